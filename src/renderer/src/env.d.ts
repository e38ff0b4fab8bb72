import type { Api } from '../../shared/api';

declare global {
  interface Window {
    /** Installed by the preload (src/preload/index.ts) or by the UI tests; absent when served by `ablate serve`. */
    readonly api: Api | undefined;
  }
}

import type { Api } from '../../shared/api';

declare global {
  interface Window {
    /** Installed by the preload (src/preload/index.ts) or by the browser test harness. */
    readonly api: Api;
  }
}

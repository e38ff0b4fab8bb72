import { app } from 'electron';

/**
 * The Vite dev server's URL under `electron-vite dev`, which the window then loads and the IPC
 * guard then trusts. Ignored in a packaged app, where only `app://` pages are ours.
 */
export function devServerUrl(): string | undefined {
  return app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
}

/** The main window: created with the options of window-options.ts, showing the renderer. */
import path from 'node:path';
import { BrowserWindow, nativeTheme } from 'electron';
import { APP_ENTRY_URL } from './app-url.js';
import { mainWindowOptions } from './window-options.js';

/** Matches --bg in the renderer's theme, so the window does not flash before the page paints. */
const BACKGROUND = { light: '#ffffff', dark: '#16181d' } as const;

export function createMainWindow(devServerUrl: string | undefined): BrowserWindow {
  // Built layout: out/main/index.js, out/preload/index.cjs (see electron.vite.config.ts).
  const preload = path.join(import.meta.dirname, '../preload/index.cjs');
  const background = nativeTheme.shouldUseDarkColors ? BACKGROUND.dark : BACKGROUND.light;
  const window = new BrowserWindow(mainWindowOptions(preload, background));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(devServerUrl ?? APP_ENTRY_URL);
  return window;
}

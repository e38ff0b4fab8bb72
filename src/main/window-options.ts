/**
 * The main window's options. No Electron import at run time (types only), so tests can read the
 * exact object the window is created with.
 *
 * `webPreferences` spells out Electron's security checklist even where a value repeats the
 * default: a reader (or a scanner) sees it at a glance, and a changed default cannot weaken it.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

export function mainWindowOptions(preloadPath: string, backgroundColor: string): BrowserWindowConstructorOptions {
  return {
    title: 'Ablate',
    width: 1280,
    height: 820,
    minWidth: 800,
    minHeight: 560,
    // Shown on 'ready-to-show', with the theme's background, so there is no white flash.
    show: false,
    backgroundColor,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
    },
  };
}

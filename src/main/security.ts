/**
 * App-wide hardening from Electron's security checklist, applied to every web contents the app
 * ever creates (not just the main window) and to the default session.
 */
import { app, session, shell, type WebContents } from 'electron';
import { isVettedExternalUrl } from './external-links.js';

/** Call before the first window is created. */
export function hardenApp(): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  denyAllPermissions();
}

/** Opens `url` in the system browser if it is a vetted https link; drops it otherwise. */
function openExternally(url: string): void {
  if (isVettedExternalUrl(url)) void shell.openExternal(url);
}

function hardenWebContents(contents: WebContents): void {
  // The page never leaves the app: a link the user follows opens in the browser (if vetted).
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    openExternally(event.url);
  });
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
  // <webview> is off in webPreferences too; this also stops one being attached with other settings.
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Ablate needs no camera, microphone, notifications, geolocation, etc.: refuse them all. */
function denyAllPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

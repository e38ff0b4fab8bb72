/**
 * Where the renderer lives: `app://ablate/…`, served by protocol.ts from `out/renderer`.
 * Pure (no Electron) so tests and the navigation and IPC guards share one definition.
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'ablate';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * Whether `url` is one of our pages: served by the app protocol or, in development only, by the
 * Vite dev server at `devServerUrl`. Compares scheme and host rather than `URL.origin`: the WHATWG
 * URL parser gives a non-special scheme such as `app:` the opaque origin "null", which would
 * match every other opaque origin too.
 */
export function isOwnUrl(url: string, devServerUrl?: string): boolean {
  const parsed = parseUrl(url);
  if (!parsed) return false;
  if (parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST) return true;
  const dev = devServerUrl ? parseUrl(devServerUrl) : null;
  return dev !== null && (dev.protocol === 'http:' || dev.protocol === 'https:') && parsed.origin === dev.origin;
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

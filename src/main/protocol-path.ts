/**
 * Maps an `app://ablate/…` request to a file under the renderer's root folder. Pure (no Electron)
 * so the tests can attack it directly. Besides the path rules every host shares
 * (services/app/page/page-path.ts), it refuses other schemes and hosts, and checks the path both
 * as sent and as the URL parser normalized it (the parser drops `..` segments before we would see
 * them in `url.pathname`).
 */
import { resolvePagePath, safeSegments } from '../services/app/page/page-path.js';
import { APP_HOST, APP_SCHEME } from './app-url.js';

/** The file to serve for `requestUrl`, an absolute path inside `root`, or null to refuse. */
export function resolveAppPath(root: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  const raw = /^[^:]+:\/\/[^/?#]*([^?#]*)/.exec(requestUrl);
  if (!raw || safeSegments(raw[1]) === null) return null;
  return resolvePagePath(root, url.pathname);
}

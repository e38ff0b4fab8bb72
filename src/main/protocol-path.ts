/**
 * Maps an `app://ablate/…` request to a file under the renderer's root folder. Pure (no Electron)
 * so the tests can attack it directly. It refuses rather than repairs: a request that tries to
 * climb out of the root, or hides such an attempt in escapes, gets null (served as 404), even
 * where the URL parser would already have clamped it. The test harness (test/e2e/harness.ts) serves
 * its pages through the same mapping.
 */
import { resolveInside } from '../services/store/ids.js';
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

  // The parser drops `..` segments before we see `url.pathname`, so check the text as sent too.
  const raw = /^[^:]+:\/\/[^/?#]*([^?#]*)/.exec(requestUrl);
  if (!raw || safeSegments(raw[1]) === null) return null;
  const segments = safeSegments(url.pathname);
  if (segments === null) return null;
  if (segments.length === 0 || url.pathname.endsWith('/')) segments.push('index.html');

  return resolveInside(root, ...segments);
}

/**
 * The decoded, non-empty segments of a URL path, or null when one is unsafe: `.` or `..`,
 * malformed escapes, or characters our build output never uses in names but that mean something
 * to a file system: `\` (a separator on Windows), `:` (drives, NTFS streams), NUL, and `%` left
 * after decoding (a double-encoded name).
 */
function safeSegments(urlPath: string): string[] | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (/[\\:%\0]/.test(decoded)) return null;
  const segments = decoded.split('/').filter((s) => s !== '');
  return segments.some((s) => s === '.' || s === '..') ? null : segments;
}

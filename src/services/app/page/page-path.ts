/**
 * Maps the path of a request for the UI to a file under the built renderer's folder, for both
 * hosts: the desktop app's `app://` protocol (src/main/protocol-path.ts) and the web server of
 * `ablate serve` (../web/web-server.ts). It refuses rather than repairs: a path that tries to
 * climb out of the root, or hides such an attempt in escapes, gets null (served as 404). Pure.
 */
import { resolveInside } from '../../store/ids.js';

/**
 * The file to serve for `rawPath` (the path of the URL exactly as the client sent it, before any
 * parser normalized it), an absolute path inside `root`, or null to refuse. `/` and paths ending
 * in `/` serve `index.html`.
 */
export function resolvePagePath(root: string, rawPath: string): string | null {
  const segments = safeSegments(rawPath);
  if (segments === null) return null;
  if (segments.length === 0 || rawPath.endsWith('/')) segments.push('index.html');
  return resolveInside(root, ...segments);
}

/**
 * The decoded, non-empty segments of a URL path, or null when one is unsafe: `.` or `..`,
 * malformed escapes, or characters our build output never uses in names but that mean something
 * to a file system: `\` (a separator on Windows), `:` (drives, NTFS streams), NUL, and `%` left
 * after decoding (a double-encoded name).
 */
export function safeSegments(urlPath: string): string[] | null {
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

/**
 * Names on disk: the experiment id (a slug of the experiment name plus the first 8 hex digits of
 * its spec hash, so the same experiment file always lands in the same folder and resumes), the
 * check that a caller's run id is one safe path segment on every platform, and the last guard
 * that a path stays inside the store root. Pure functions, any thread.
 *
 * Not a guard against symbolic links planted inside the store by someone with write access to it:
 * paths are checked lexically, not resolved through the file system.
 */
import path from 'node:path';

const MAX_SLUG = 48;
const MAX_SEGMENT = 128;
/** Names Windows reserves for devices, with or without an extension (`con`, `Com1.txt`, `LPT¹`). */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\.|$)/i;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Characters Windows forbids in file names, plus both separators. */
const FORBIDDEN = /[<>:"/\\|?*]/;

/** A filesystem-safe slug: lower-case ASCII letters, digits and single dashes; never empty. */
export function slugify(name: string): string {
  let slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // strip the accents NFKD split off
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length > MAX_SLUG) {
    slug = slug.slice(0, MAX_SLUG);
    const cut = slug.lastIndexOf('-');
    if (cut >= MAX_SLUG / 2) slug = slug.slice(0, cut);
    slug = slug.replace(/-+$/, '');
  }
  return slug === '' ? 'experiment' : slug;
}

/**
 * The folder name of an experiment: `${slugify(spec.name)}-${first 8 hex of specHash}`, e.g.
 * `why-relu-beat-sigmoid-3f2a9c01`. Throws a TypeError when specHash is not hex.
 */
export function experimentId(spec: { name: string }, specHash: string): string {
  if (!/^[0-9a-f]{8,}$/i.test(specHash)) {
    throw new TypeError(`experimentId: specHash must be a hex SHA-256, got ${JSON.stringify(specHash)}`);
  }
  return `${slugify(spec.name)}-${specHash.slice(0, 8).toLowerCase()}`;
}

/**
 * Why `name` is not a safe single path segment, or null when it is. Safe means: 1-128 characters,
 * no separator or character Windows forbids, no control character, not `.`/`..`, not starting
 * with a dot (the store keeps dot names for its own temp and lock files), not ending with a dot or
 * space (Windows strips them), and not a reserved Windows device name.
 */
export function segmentProblem(name: string): string | null {
  if (typeof name !== 'string' || name.length === 0) return 'it is empty';
  if (name.length > MAX_SEGMENT) return `it is longer than ${MAX_SEGMENT} characters`;
  if (CONTROL.test(name)) return 'it contains a control character';
  if (FORBIDDEN.test(name)) return 'it contains a path separator or one of < > : " | ? *';
  if (name.startsWith('.')) return 'it starts with a dot';
  if (/[. ]$/.test(name)) return 'it ends with a dot or a space';
  if (WINDOWS_RESERVED.test(name)) return 'it is a device name Windows reserves';
  return null;
}

/**
 * `path.resolve(root, ...segments)`, or null when the result would not be strictly inside `root`
 * (segments with `..`, absolute segments, drive letters).
 */
export function resolveInside(root: string, ...segments: string[]): string | null {
  const base = path.resolve(root);
  const target = path.resolve(base, ...segments);
  const rel = path.relative(base, target);
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return null;
  return target;
}

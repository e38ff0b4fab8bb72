/**
 * Dotted paths into the experiment spec, written the way the back end reports them in FieldErrors:
 * "train.optimizer.lr", "model.hidden[1].dropout", 'compare["model.hidden[*].dropout"][0]'. The form
 * fields read and write the one spec object through these paths, so a field and its error share
 * one name.
 */

export type PathKey = string | number;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Appends a key the way the back end does: .name, [3] or ["any text"]. */
export function joinPath(base: string, key: PathKey): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (IDENTIFIER.test(key)) return base ? `${base}.${key}` : key;
  return `${base}[${JSON.stringify(key)}]`;
}

/** Splits a path into keys; a malformed path gives null. */
export function parsePath(path: string): PathKey[] | null {
  const keys: PathKey[] = [];
  let rest = path;
  const head = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(rest);
  if (head) {
    keys.push(head[0]);
    rest = rest.slice(head[0].length);
  }
  while (rest.length > 0) {
    let m: RegExpExecArray | null;
    if ((m = /^\.([A-Za-z_$][A-Za-z0-9_$]*)/.exec(rest))) keys.push(m[1]);
    else if ((m = /^\[(\d+)\]/.exec(rest))) keys.push(Number(m[1]));
    else if ((m = /^\[("(?:[^"\\]|\\.)*")\]/.exec(rest))) keys.push(JSON.parse(m[1]) as string);
    else return null;
    rest = rest.slice(m[0].length);
  }
  return keys;
}

export function getPath(root: unknown, path: string | PathKey[]): unknown {
  const keys = typeof path === 'string' ? parsePath(path) : path;
  if (!keys) return undefined;
  let cur: unknown = root;
  for (const key of keys) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PathKey, unknown>)[key];
  }
  return cur;
}

/**
 * Sets a value, creating objects (or arrays before a numeric key) on the way; `undefined` deletes
 * an object key, so optional fields disappear from the saved file instead of being null.
 */
export function setPath(root: object, path: string | PathKey[], value: unknown): void {
  const keys = typeof path === 'string' ? parsePath(path) : path;
  if (!keys || keys.length === 0) return;
  let cur = root as Record<PathKey, unknown>;
  for (let i = 0; i < keys.length - 1; i++) {
    const key = keys[i];
    let next = cur[key];
    if (next === null || typeof next !== 'object') {
      next = typeof keys[i + 1] === 'number' ? [] : {};
      cur[key] = next;
    }
    cur = next as Record<PathKey, unknown>;
  }
  const last = keys[keys.length - 1];
  if (value === undefined && !Array.isArray(cur)) delete cur[last];
  else cur[last] = value;
}

/** True when an error at `errorPath` belongs to the field at `fieldPath` (itself or inside it). */
export function pathWithin(errorPath: string, fieldPath: string): boolean {
  if (errorPath === fieldPath) return true;
  if (!errorPath.startsWith(fieldPath)) return false;
  const next = errorPath[fieldPath.length];
  return next === '.' || next === '[';
}

/**
 * The size limits of an experiment, checked before anything that costs more than one pass over the
 * input. Cheap checks first is the rule of all of spec/: a 300,000-seed list must be refused by its
 * length, never reach a uniqueness check (ajv's `uniqueItems` is quadratic on it) or the grid's
 * expansion. The limits are far above any experiment that can be trained: they bound the work and
 * memory of validation, not what a user may design. docs/experiments.md lists them.
 *
 *   file size     1 MB of JSON text (the largest meaningful file, 10,000 seeds and a big grid, is
 *                 a few hundred KB)
 *   values        500,000 JSON values (numbers, strings, lists, objects...) in the whole experiment,
 *                 about the most a 1 MB file can hold; also bounds what the app's main process accepts
 *                 from the renderer, which sends a parsed object, not text
 *   nesting       64 levels (a real experiment nests about 8 deep)
 *   grid          at most 64 compare factors, 10,000 variants (so 10,000 values per factor),
 *                 100,000 runs, and 1,000,000 hidden layers summed over all runs (each run holds its
 *                 own config, so this bounds the memory of an expanded experiment)
 * Pure.
 */
import { fieldAt, MAX_RUNS, MAX_VARIANTS } from '../../../engine/index.js';
import { joinPath, type FieldIssue } from './errors.js';

export { MAX_RUNS, MAX_VARIANTS };

// 1 MB, the same as the largest spec the app's Api guard passes (services/app/api-guard.ts), so a
// file that opens can also be validated and run from the app.
export const MAX_EXPERIMENT_FILE_BYTES = 1_000_000;
export const MAX_JSON_VALUES = 500_000;
export const MAX_JSON_DEPTH = 64;
export const MAX_FACTORS = (fieldAt('compare') as { maxProperties: number }).maxProperties;
export const MAX_GRID_LAYERS = 1_000_000;

/** "2.4 MB" (decimal units, as file managers show sizes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1e3) return `${bytes} bytes`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} KB`;
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e9).toFixed(1)} GB`;
}

/** The issue of a file (or text) over the size limit, or null. */
export function fileSizeIssue(bytes: number): FieldIssue | null {
  if (bytes <= MAX_EXPERIMENT_FILE_BYTES) return null;
  return {
    path: '',
    message: `the file is ${formatBytes(bytes)}; an experiment file is at most 1 MB (${MAX_EXPERIMENT_FILE_BYTES} bytes). Use {"count": N} for many seeds instead of listing them`,
  };
}

/** Bytes of a text as UTF-8, counted without encoding it. */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) bytes += c >= 0x800 && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
  }
  return bytes;
}

/**
 * Counts the values of a parsed experiment and its nesting, stopping at the first limit passed, so
 * the cost is bounded by the limits, not by the input. The message names the longest list or
 * biggest object seen, which is nearly always the culprit.
 */
export function structureIssues(value: unknown): FieldIssue[] {
  let count = 0;
  let largest = { path: '', size: 0 };
  const tooDeep: FieldIssue[] = [];
  // Paths are only built for lists and objects: leaves are most of the values.
  const visit = (v: unknown, path: string, depth: number): boolean => {
    if (++count > MAX_JSON_VALUES) return false;
    if (typeof v !== 'object' || v === null) return true;
    if (depth >= MAX_JSON_DEPTH) {
      tooDeep.push({ path, message: `is nested more than ${MAX_JSON_DEPTH} levels deep; an experiment nests about 8 levels` });
      return false;
    }
    const child = (c: unknown, key: string | number) =>
      typeof c === 'object' && c !== null ? visit(c, joinPath(path, key), depth + 1) : ++count <= MAX_JSON_VALUES;
    if (Array.isArray(v)) {
      if (v.length > largest.size) largest = { path, size: v.length };
      for (let i = 0; i < v.length; i++) if (!child(v[i], i)) return false;
    } else {
      const keys = Object.keys(v);
      if (keys.length > largest.size) largest = { path, size: keys.length };
      for (const k of keys) if (!child((v as Record<string, unknown>)[k], k)) return false;
    }
    return true;
  };
  if (visit(value, '', 0)) return [];
  if (tooDeep.length > 0) return tooDeep;
  const where = largest.path ? ` (${largest.path} alone holds ${largest.size})` : '';
  return [
    {
      path: largest.path,
      message: `the experiment holds more than ${MAX_JSON_VALUES} values${where}; that is more than a 1 MB experiment file can hold`,
    },
  ];
}

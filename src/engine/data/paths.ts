/**
 * The file paths a DataSpec names, found through each source's `fileFields` (source.ts), so no
 * caller hard-codes which fields of which source are files. Relative paths resolve against a base
 * folder exactly as loading does (files.ts resolveDataPath). No file access; any thread that may
 * import the registry.
 */
import { resolveDataPath } from './files.js';
import { getDataSource } from './registry.js';
import type { DataSpec } from './spec.js';

/**
 * `spec` with every file field made absolute against `baseDir` (absolute paths stay as they are).
 * A copy when something changes, `spec` itself otherwise. Fields that are not non-blank strings,
 * and specs of an unknown source, are left for validateDataSpec to report.
 */
export function absoluteDataPaths<S extends DataSpec>(spec: S, baseDir: string): S {
  const files = getDataSource(spec.source)?.fileFields ?? [];
  if (files.length === 0) return spec;
  const out: Record<string, unknown> = { ...spec };
  for (const field of files) {
    const value = out[field];
    if (typeof value === 'string' && value.trim() !== '') out[field] = resolveDataPath(value, baseDir);
  }
  return out as S;
}

/** The file paths named by `spec` (unchecked input), as written; [] for sources without files. */
export function dataFilePaths(spec: unknown): string[] {
  const s = spec as Record<string, unknown> | null | undefined;
  const def = typeof s?.source === 'string' ? getDataSource(s.source) : undefined;
  return (def?.fileFields ?? []).map((f) => s![f]).filter((v): v is string => typeof v === 'string');
}

/**
 * The data layer's limits, so that no file, however small or endless, makes a loader allocate or
 * read without bound (docs/data.md, "Limits"):
 * - a memory ceiling per dataset (the loaded feature and target arrays), default the smaller of
 *   8 GiB and half the machine's memory, set with the environment variable ABLATE_DATASET_MEMORY
 *   ("2GiB", "512MB", "1000000") or LoadContext.memoryLimitBytes;
 * - the most a gzip file can expand (deflate's maximum ratio), to reject a header that announces
 *   more data than the compressed file can hold before anything is allocated;
 * - the longest CSV line.
 * Pure functions plus one read of the environment and os.totalmem(); any thread.
 */
import os from 'node:os';
import { DataError } from '../errors.js';

/** The longest CSV line, in characters (UTF-16 code units), line break excluded. */
export const MAX_CSV_LINE_CHARS = 8 * 1024 * 1024;

/** Deflate cannot expand by more than 1032:1 (RFC 1951 stored/fixed block bounds); with slack for gzip headers. */
const GZIP_MAX_RATIO = 1032;
const GZIP_SLACK_BYTES = 1 << 16;

export const DATASET_MEMORY_ENV = 'ABLATE_DATASET_MEMORY';
const DEFAULT_CEILING = 8 * 1024 ** 3;

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** "2GiB", "512 MB", "1e9", "1000000" -> bytes; null when not a positive size. */
export function parseByteSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined) return null;
  const bytes = Math.floor(Number(m[1]) * unit);
  return Number.isFinite(bytes) && bytes > 0 ? bytes : null;
}

/** The memory ceiling per dataset: ABLATE_DATASET_MEMORY when set (DataError when unreadable), else min(8 GiB, RAM / 2). */
export function defaultDatasetMemoryLimit(env: Record<string, string | undefined> = process.env): number {
  const given = env[DATASET_MEMORY_ENV];
  if (given !== undefined && given.trim() !== '') {
    const bytes = parseByteSize(given);
    if (bytes === null) throw new DataError(`${DATASET_MEMORY_ENV}="${given}" is not a size; write e.g. 4GiB, 512MB or 1000000 (bytes)`);
    return bytes;
  }
  return Math.min(DEFAULT_CEILING, Math.floor(os.totalmem() / 2));
}

/** 1536 -> "1.5 KiB", 15680000000 -> "14.6 GiB". */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${v.toFixed(1)} ${units[u]}`;
}

/** DataError when a dataset of `bytes` (described by `what`) would pass the ceiling `limit`. */
export function checkDatasetMemory(file: string, bytes: number, what: string, limit: number): void {
  if (bytes <= limit) return;
  throw new DataError(
    `${file}: ${what} would need ${formatBytes(bytes)} of memory, more than the limit of ${formatBytes(limit)} per dataset ` +
      `(set ${DATASET_MEMORY_ENV}, e.g. ${DATASET_MEMORY_ENV}=${Math.ceil(bytes / 1024 ** 3) + 1}GiB, to raise it; docs/data.md, "Limits")`,
  );
}

/** The most a gzip file of `compressedBytes` can hold once decompressed. */
export function gzipMaxExpansion(compressedBytes: number): number {
  return compressedBytes * GZIP_MAX_RATIO + GZIP_SLACK_BYTES;
}

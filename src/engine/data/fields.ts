/**
 * Field checks that data specs need beyond the shared Checker (strings, paths, lists of names).
 * Each records an issue on the Checker with the field's dotted path; nothing here throws.
 */
import { describe, type Checker } from '../config/check.js';

export function nonEmptyString(c: Checker, path: string, value: unknown): value is string {
  if (typeof value === 'string' && value.trim().length > 0) return true;
  c.fail(path, `must be a non-empty string, got ${describe(value)}`);
  return false;
}

export function optionalStringList(c: Checker, path: string, value: unknown, maxLength: number): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    c.fail(path, `must be a list of names, got ${describe(value)}`);
    return;
  }
  if (value.length === 0 || value.length > maxLength) {
    c.fail(path, `must list between 1 and ${maxLength} names, got ${value.length}`);
    return;
  }
  const seen = new Set<string>();
  value.forEach((v: unknown, i: number) => {
    if (typeof v !== 'string' || v.length === 0) c.fail(`${path}[${i}]`, `must be a non-empty string, got ${describe(v)}`);
    else if (seen.has(v)) c.fail(`${path}[${i}]`, `repeats the name "${v}"; class names must be distinct`);
    else seen.add(v);
  });
}

/** Absent, or an integer seed in [0, 2^32). */
export function optionalSeed(c: Checker, path: string, value: unknown): void {
  c.optionalNumber(path, value, { min: 0, max: 0xffffffff, integer: true });
}

/**
 * The `seeds` field: an explicit list of distinct integer seeds, or {count, start} for the seeds
 * start, start+1, ..., start+count-1 (start defaults to 0). Seeds are engine seeds: integers in
 * [0, 2^32). Checking reports every problem with its path; expanding assumes a checked value.
 */
import { Checker, describe, fieldAt, rangeOf } from '../../../engine/index.js';
import type { ExperimentSpec } from '../types.js';
import { joinPath, suggestion, type FieldIssue } from './errors.js';

const SEED_RANGE = rangeOf('$seed');
export const MAX_SEED = SEED_RANGE.max!;
export const MAX_SEED_COUNT = (fieldAt('seeds#list') as { maxItems: number }).maxItems;

export function checkSeeds(value: unknown, path = 'seeds'): FieldIssue[] {
  const c = new Checker();
  if (Array.isArray(value)) {
    if (value.length === 0) c.fail(path, 'must list at least one seed');
    // The length first: a list too long is not read any further (limits.ts).
    if (value.length > MAX_SEED_COUNT) {
      c.fail(path, `must list at most ${MAX_SEED_COUNT} seeds, got ${value.length}`);
      return c.issues;
    }
    const first = new Map<number, number>();
    value.forEach((seed: unknown, i) => {
      const p = joinPath(path, i);
      if (!c.number(p, seed, SEED_RANGE)) return;
      const earlier = first.get(seed as number);
      if (earlier !== undefined) c.fail(p, `repeats ${joinPath(path, earlier)} (${String(seed)}); each seed may appear only once`);
      else first.set(seed as number, i);
    });
  } else if (typeof value === 'object' && value !== null) {
    const obj = value as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      if (key !== 'count' && key !== 'start')
        c.fail(joinPath(path, key), `is not a known field; allowed: count, start${suggestion(key, ['count', 'start'])}`);
    }
    if (obj.count === undefined) c.fail(`${path}.count`, 'is required');
    const countOk = obj.count !== undefined && c.number(`${path}.count`, obj.count, rangeOf('seeds#range.count'));
    const startOk = obj.start === undefined || c.number(`${path}.start`, obj.start, SEED_RANGE);
    if (countOk && startOk && Number(obj.start ?? 0) + Number(obj.count) - 1 > MAX_SEED) {
      c.fail(path, `start + count - 1 must be at most ${MAX_SEED}, got ${Number(obj.start ?? 0) + Number(obj.count) - 1}`);
    }
  } else {
    c.fail(
      path,
      `must be a list of distinct whole numbers such as [0, 1, 2], or an object such as {"count": 5, "start": 0}, got ${describe(value)}`,
    );
  }
  return c.issues;
}

/** The seeds of a checked `seeds` value, in the order given (a count gives ascending seeds). */
export function expandSeeds(seeds: ExperimentSpec['seeds']): number[] {
  if (Array.isArray(seeds)) return [...seeds];
  const start = seeds.start ?? 0;
  return Array.from({ length: seeds.count }, (_, i) => start + i);
}

/**
 * The search space of an experiment (`search.space`): one dimension per key, a key being what a
 * compare key may be (a named factor or a config path, spec/factors.ts). A dimension is
 *
 *   [v1, v2, ...]            one of the values, each with probability 1/k
 *   {"uniform": [lo, hi]}    a number, uniform in [lo, hi]
 *   {"log": [lo, hi]}        a number, uniform in log between lo > 0 and hi (learning rates, decays)
 *   {"int": [lo, hi]}        a whole number, each of lo..hi with probability 1/(hi - lo + 1)
 *   {"logInt": [lo, hi]}     a whole number, lo >= 1, uniform in log over [lo, hi + 1) rounded down
 *
 * A sampler hands each dimension a coordinate u in [0, 1) (samplers.ts) and `valueAt` maps it.
 * Drawn numbers keep 4 significant digits (0.01234, not 0.012343871...): they appear in labels and
 * files, four digits are more than a tuning result can tell apart, and the rounding is the same on
 * every machine. Both ends of a range, and every listed value, are checked by the key's factor, so a
 * value the factor would refuse is reported at the file's field before anything runs. Pure.
 */
import { describe, MAX_SEARCH_DIMENSIONS, shownJson } from '../../../engine/index.js';
import { joinPath, type FieldIssue } from '../spec/errors.js';
import { isDataKey } from '../spec/data-factors.js';
import { factorFor, type Factor, type FactorLevel } from '../spec/factors.js';

export const RANGE_KINDS = ['uniform', 'log', 'int', 'logInt'] as const;
export type RangeKind = (typeof RANGE_KINDS)[number];
export const MAX_CHOICES = 1000; // the schema's maxItems (vocabulary/experiment.ts searchDimension)

export type Dimension =
  | { key: string; factor: Factor; kind: RangeKind; lo: number; hi: number }
  | { key: string; factor: Factor; kind: 'choice'; choices: unknown[] };

/** Reads `search.space`; only faultless dimensions are returned, in the file's key order. */
export function readSpace(
  space: unknown,
  compareKeys: readonly string[],
  path = 'search.space',
): { dims: Dimension[]; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const dims: Dimension[] = [];
  if (typeof space !== 'object' || space === null || Array.isArray(space)) {
    return {
      dims,
      issues: [
        {
          path,
          message: `must be an object mapping factors to ranges or lists, such as {"lr": {"log": [1e-4, 1]}}, got ${describe(space)}`,
        },
      ],
    };
  }
  const keys = Object.keys(space);
  if (keys.length === 0) issues.push({ path, message: 'must name at least one factor to search, such as {"lr": {"log": [1e-4, 1]}}' });
  if (keys.length > MAX_SEARCH_DIMENSIONS)
    issues.push({ path, message: `has ${keys.length} factors; at most ${MAX_SEARCH_DIMENSIONS} can be searched` });
  if (issues.length > 0) return { dims, issues };
  for (const [key, spec] of Object.entries(space as Record<string, unknown>)) {
    const at = joinPath(path, key);
    if (isDataKey(key)) {
      // Each distinct data spec is prepared and held in memory (runner.ts): a few compared values, not a range of trials.
      issues.push({ path: at, message: 'is a data factor; data factors can be compared (put it in compare), not searched' });
      continue;
    }
    const factor = factorFor(key);
    if (typeof factor === 'string') {
      issues.push({ path: at, message: factor });
      continue;
    }
    if (compareKeys.includes(key)) {
      issues.push({ path: at, message: `is also a compare factor; a factor is either compared or searched, not both` });
      continue;
    }
    const dim = readDimension(key, factor, spec, at, issues);
    if (dim) dims.push(dim);
  }
  return { dims, issues };
}

function readDimension(key: string, factor: Factor, spec: unknown, at: string, issues: FieldIssue[]): Dimension | null {
  const before = issues.length;
  if (Array.isArray(spec)) {
    if (spec.length === 0 || spec.length > MAX_CHOICES) {
      issues.push({ path: at, message: `must list 1 to ${MAX_CHOICES} values, got ${spec.length}` });
      return null;
    }
    const seen = new Map<string, number>();
    spec.forEach((value: unknown, i) => {
      const level = factor.level(value);
      if (typeof level === 'string') return void issues.push({ path: joinPath(at, i), message: level });
      const earlier = seen.get(level.canonical);
      if (earlier !== undefined)
        issues.push({ path: joinPath(at, i), message: `repeats ${joinPath(at, earlier)}; each value may appear only once` });
      else seen.set(level.canonical, i);
    });
    return issues.length === before ? { key, factor, kind: 'choice', choices: spec } : null;
  }
  const forms = `a list of values, or one of {"uniform": [lo, hi]}, {"log": [lo, hi]}, {"int": [lo, hi]}, {"logInt": [lo, hi]}`;
  if (typeof spec !== 'object' || spec === null) {
    issues.push({ path: at, message: `must be ${forms}, got ${describe(spec)}` });
    return null;
  }
  const names = Object.keys(spec);
  const kind = names[0] as RangeKind;
  if (names.length !== 1 || !(RANGE_KINDS as readonly string[]).includes(kind)) {
    issues.push({
      path: at,
      message: `must be ${forms}, got an object with ${names.length === 0 ? 'no field' : `fields ${names.join(', ')}`}`,
    });
    return null;
  }
  const range = (spec as Record<string, unknown>)[kind];
  const p = joinPath(at, kind);
  if (!Array.isArray(range) || range.length !== 2 || !range.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    issues.push({ path: p, message: `must be [lo, hi], two finite numbers, got ${shownJson(range)}` });
    return null;
  }
  const [lo, hi] = range as [number, number];
  if (!(lo < hi)) issues.push({ path: p, message: `must be [lo, hi] with lo below hi, got [${lo}, ${hi}]` });
  else if ((kind === 'int' || kind === 'logInt') && !(Number.isInteger(lo) && Number.isInteger(hi)))
    issues.push({ path: p, message: `must be two whole numbers for ${kind}, got [${lo}, ${hi}]` });
  else if (kind === 'log' && !(lo > 0)) issues.push({ path: p, message: `must have lo above 0 for a log range, got ${lo}` });
  else if (kind === 'logInt' && !(lo >= 1)) issues.push({ path: p, message: `must have lo of at least 1 for a logInt range, got ${lo}` });
  else {
    [lo, hi].forEach((end, i) => {
      const level = factor.level(end);
      if (typeof level === 'string') issues.push({ path: joinPath(p, i), message: level });
    });
    // A number range draws fractions: a factor that takes whole numbers only needs int or logInt.
    const inside = kind === 'uniform' || kind === 'log' ? factor.level(lo + (hi - lo) * 0.5123) : null;
    if (issues.length === before && typeof inside === 'string')
      issues.push({
        path: p,
        message: `draws values between the ends that ${key} does not take (${inside}); use "int" or "logInt" for whole numbers`,
      });
  }
  return issues.length === before ? { key, factor, kind, lo, hi } : null;
}

/** The value of a dimension at coordinate u in [0, 1). */
export function valueAt(dim: Dimension, u: number): unknown {
  switch (dim.kind) {
    case 'choice':
      return dim.choices[Math.min(dim.choices.length - 1, Math.floor(u * dim.choices.length))];
    case 'uniform':
      return clamp(significant(dim.lo + u * (dim.hi - dim.lo)), dim.lo, dim.hi);
    case 'log':
      return clamp(significant(Math.exp(Math.log(dim.lo) + u * (Math.log(dim.hi) - Math.log(dim.lo)))), dim.lo, dim.hi);
    case 'int':
      return Math.min(dim.hi, dim.lo + Math.floor(u * (dim.hi - dim.lo + 1)));
    case 'logInt':
      return clamp(Math.floor(Math.exp(Math.log(dim.lo) + u * (Math.log(dim.hi + 1) - Math.log(dim.lo)))), dim.lo, dim.hi);
  }
}

/** The level a value of a dimension applies (the factor accepted both ends and every choice). */
export function levelOf(dim: Dimension, value: unknown): FactorLevel {
  const level = dim.factor.level(value);
  if (typeof level === 'string') throw new Error(`search: ${dim.key} = ${shownJson(value)} was not accepted: ${level}`);
  return level;
}

function significant(x: number): number {
  return Number(x.toPrecision(4));
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

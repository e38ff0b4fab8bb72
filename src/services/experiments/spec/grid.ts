/**
 * The variant grid of an experiment: each compare factor's values read into levels, their
 * cartesian product in key order (the first key varies slowest, like nested loops), and the ids:
 *
 *   variant id   "<key>=<value>" per factor joined with ",": "activation=relu,regularizer=dropout-0.2";
 *                "base" when there is nothing to compare. Values appear as written (factors.ts).
 *   label        the levels' labels joined with " · ": "relu · dropout-0.2", "lr 0.01 · batch 32".
 *   run id       "<variant index>-<slug>-s<seed>", e.g. "03-activation-relu_regularizer-dropout-0.2-s1":
 *                the index zero-padded to the width of the largest index (at least 2 digits), the
 *                slug the variant id lowercased with "=" -> "-", "," -> "_", anything outside
 *                [a-z0-9._-] -> "-", at most 80 characters. The index alone makes run ids unique;
 *                the slug is for people. Safe on every file system (no reserved names, no trailing dot).
 *
 * Same spec, same ids in the same order. Pure.
 */
import { shownJson } from '../../../engine/index.js';
import type { Variant } from '../types.js';
import { joinPath, type FieldIssue } from './errors.js';
import { readSearch, type Observed } from '../search/trials.js';
import { factorFor, type EditableConfig, type FactorLevel } from './factors.js';
import { MAX_FACTORS, MAX_VARIANTS } from './limits.js';

export interface GridFactor {
  key: string;
  values: unknown[];
  levels: FactorLevel[];
  /** Each value is an object whose entries go into the variant's factors as they are (search trials). */
  spread?: boolean;
  /** Where a problem of this factor's values is reported (default compare["<key>"]). */
  path?: string;
  /**
   * Values and levels per combination of the factors after it (bayes trials differ per compare
   * variant); only the first factor may have them. `values` and `levels` are the first cell's.
   */
  byCell?: { values: unknown[]; levels: FactorLevel[] }[];
  /** Levels the factor will have when complete (a bayes search grows to its trials); default levels.length. */
  plannedLevels?: number;
}

/** Variants of the complete grid (a bayes search's once every trial is proposed): sets the width of run ids' index. */
export function plannedGridSize(factors: GridFactor[]): number {
  return factors.reduce((n, f) => n * (f.plannedLevels ?? f.levels.length), 1);
}

/** The field a problem with a factor's values is reported at. */
export function factorPath(factor: GridFactor): string {
  return factor.path ?? joinPath('compare', factor.key);
}

export interface GridVariant {
  index: number;
  variant: Variant;
  levels: FactorLevel[];
}

/** Reads every factor of `compare`; problems are reported per key and per value. Only faultless factors are returned. */
export function readFactors(compare: unknown): { factors: GridFactor[]; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const factors: GridFactor[] = [];
  if (compare === undefined) return { factors, issues };
  if (typeof compare !== 'object' || compare === null || Array.isArray(compare)) {
    return {
      factors,
      issues: [
        { path: 'compare', message: 'must be an object mapping factors to lists of values, such as {"activation": ["relu", "tanh"]}' },
      ],
    };
  }
  const entries = Object.entries(compare);
  // Counts before contents (limits.ts): a factor with more values than the grid may have variants
  // can never be valid, and is not read.
  if (entries.length > MAX_FACTORS) {
    return { factors, issues: [{ path: 'compare', message: `has ${entries.length} factors; the limit is ${MAX_FACTORS}` }] };
  }
  for (const [key, values] of entries) {
    const path = joinPath('compare', key);
    const factor = factorFor(key);
    if (typeof factor === 'string') {
      issues.push({ path, message: factor });
      continue;
    }
    if (!Array.isArray(values)) {
      issues.push({ path, message: `must be a list of values, got ${shownJson(values)}` });
      continue;
    }
    if (values.length > MAX_VARIANTS) {
      issues.push({ path, message: `lists ${values.length} values; a factor has at most ${MAX_VARIANTS} (the limit of variants)` });
      continue;
    }
    if (values.length === 0) {
      issues.push({
        path,
        message: 'must not be an empty list: give at least one value (a factor with one value applies it to every variant)',
      });
      continue;
    }
    const levels: FactorLevel[] = [];
    const seen = new Map<string, number>();
    const before = issues.length;
    values.forEach((value: unknown, i) => {
      const level = factor.level(value);
      if (typeof level === 'string') return void issues.push({ path: joinPath(path, i), message: level });
      const earlier = seen.get(level.canonical);
      if (earlier !== undefined) {
        issues.push({
          path: joinPath(path, i),
          message: `repeats ${joinPath(path, earlier)} (${shownJson(values[earlier])} sets the same); each value may appear only once`,
        });
      } else seen.set(level.canonical, i);
      levels.push(level);
    });
    if (issues.length === before) factors.push({ key, values, levels });
  }
  return { factors, issues };
}

/**
 * The factors of an experiment: its search trials (search/trials.ts) when it has a search, then
 * its compare factors in key order. Trials first (slowest) keep every run's index, so its id, when
 * a bayes search grows by later trials, and run trial 1 of every compare variant before trial 2. Problems of either are reported at their paths.
 */
export function experimentFactors(
  spec: { compare?: unknown; search?: unknown },
  seeds: number[] = [],
  observed?: Observed,
): { factors: GridFactor[]; issues: FieldIssue[] } {
  const read = readFactors(spec.compare);
  const compareKeys = typeof spec.compare === 'object' && spec.compare !== null ? Object.keys(spec.compare) : [];
  const cells =
    read.issues.length === 0 && spec.search !== undefined
      ? variantGrid(read.factors).map((g) => (g.levels.length ? g.variant.id : ''))
      : [];
  const search = readSearch(spec.search, compareKeys, { cells, seeds, observed });
  return { factors: search.factor ? [search.factor, ...read.factors] : read.factors, issues: [...read.issues, ...search.issues] };
}

/** Number of variants of the grid (without building it). */
export function gridSize(factors: GridFactor[]): number {
  return factors.reduce((n, f) => n * f.levels.length, 1);
}

/** The cartesian product of the factors, first key slowest. Assumes readFactors reported no issue. */
export function variantGrid(factors: GridFactor[]): GridVariant[] {
  if (factors.length === 0) return [{ index: 0, variant: { id: 'base', label: 'base', factors: {} }, levels: [] }];
  const out: GridVariant[] = [];
  const total = gridSize(factors);
  for (let index = 0; index < total; index++) {
    let rest = index;
    const picks = new Array<number>(factors.length);
    for (let f = factors.length - 1; f >= 0; f--) {
      picks[f] = rest % factors[f].levels.length;
      rest = Math.floor(rest / factors[f].levels.length);
    }
    // The cell of a byCell factor (the first one) is the index of the combination after it.
    const cell = index % (total / factors[0].levels.length);
    const own = (f: GridFactor) => f.byCell?.[cell] ?? f;
    const levels = picks.map((p, f) => own(factors[f]).levels[p]);
    const id = factors.map((f, k) => `${f.key}=${levels[k].text}`).join(',');
    const label = levels.map((l) => l.label).join(' · ');
    const values: Record<string, unknown> = {};
    factors.forEach((f, k) => {
      const value = structuredClone(own(f).values[picks[k]]);
      if (f.spread) Object.assign(values, value);
      else values[f.key] = value;
    });
    out.push({ index, variant: { id, label, factors: values }, levels });
  }
  return out;
}

/**
 * A copy of the base config with the variant's levels applied in factor order; `error` says why the
 * level at index `failed` could not apply.
 */
export function variantConfig(
  base: EditableConfig,
  levels: FactorLevel[],
): { config: EditableConfig; error: string | null; failed: number } {
  const config: EditableConfig = structuredClone({ model: base.model, train: base.train });
  if (base.data !== undefined) config.data = structuredClone(base.data);
  for (let i = 0; i < levels.length; i++) {
    const error = levels[i].apply(config);
    if (error) return { config, error, failed: i };
  }
  return { config, error: null, failed: -1 };
}

export function runId(variantIndex: number, variantCount: number, variantId: string, seed: number): string {
  const width = Math.max(2, String(Math.max(0, variantCount - 1)).length);
  return `${String(variantIndex).padStart(width, '0')}-${slug(variantId)}-s${seed}`;
}

function slug(id: string): string {
  const s = id
    .toLowerCase()
    .replace(/=/g, '-')
    .replace(/,/g, '_')
    .replace(/[^a-z0-9._-]+/g, '-')
    .slice(0, 80)
    .replace(/^[-.]+|[-.]+$/g, '');
  return s || 'variant';
}

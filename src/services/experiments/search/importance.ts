/**
 * Factor importance of a search: how much of the objective's variation over the trials each
 * searched factor explains on its own. The method is the correlation ratio (eta squared), the
 * binned estimate of a factor's first-order Sobol index (its main effect in the functional ANOVA
 * of the objective):
 *
 *   eta^2(x) = sum over groups g of n_g (mean_g - mean)^2  /  sum over trials (y - mean)^2
 *
 * where the trials are grouped by the factor's value: one group per value for a list factor, and
 * for a range factor `bins` groups of consecutive trials sorted by value (equal counts, ties kept
 * together), bins = max(2, min(5, floor(sqrt(trials / 2)))). It is in [0, 1]: 1 when the factor's
 * groups explain all of the spread, near 0 when it explains none.
 *
 * Uncertainty over seeds: eta^2 is computed per seed (each seed's objective of every trial that
 * has a result with that seed), and the importance is the mean over seeds with its 95% interval
 * (logit-t, as every fraction; stats.ts). Chance level: a factor with no effect still scores about
 * (groups - 1) / (trials - 1) from noise alone (the expectation of eta^2 under no effect), reported
 * beside it as `chance`, so a score near chance is read as no evidence. The interval covers the
 * seeds' noise, not the design's: with few trials, a factor without effect can borrow importance
 * from one that has it when their draws happen to correlate (more trials, or Sobol's more even
 * cover, shrink that). Main effects only: interactions (lr matters only with adam) are not
 * attributed. Pure.
 */
import { summarize } from '../stats.js';

export interface FactorImportance {
  key: string;
  /** Mean over seeds of eta^2, and its 95% interval (null with one seed). */
  mean: number;
  lower: number | null;
  upper: number | null;
  /** eta^2 per seed, in the order of `seeds`. */
  perSeed: number[];
  seeds: number[];
  /** Expected eta^2 of a factor without effect: (groups - 1) / (trials - 1), averaged over seeds. */
  chance: number;
}

/** One trial: its factor values and its objective per seed. */
export interface TrialObservations {
  values: Record<string, unknown>;
  bySeed: ReadonlyMap<number, number>;
}

export function binsFor(trials: number): number {
  return Math.max(2, Math.min(5, Math.floor(Math.sqrt(trials / 2))));
}

/** Groups of trial indices by a factor's value (see the file comment). */
export function groupsOf(values: unknown[]): number[][] {
  const numeric = values.every((v) => typeof v === 'number');
  const distinct = new Map<string, number[]>();
  values.forEach((v, i) => {
    const key = JSON.stringify(v);
    distinct.set(key, [...(distinct.get(key) ?? []), i]);
  });
  const bins = binsFor(values.length);
  if (!numeric || distinct.size <= bins) return [...distinct.values()];
  // Equal-count bins over the sorted distinct values; a value's trials never straddle two bins.
  const sorted = [...distinct.entries()].sort((a, b) => Number(JSON.parse(a[0])) - Number(JSON.parse(b[0])));
  const groups: number[][] = [];
  let current: number[] = [];
  let done = 0;
  for (const [, members] of sorted) {
    current.push(...members);
    done += members.length;
    if (done >= ((groups.length + 1) * values.length) / bins && groups.length < bins - 1) {
      groups.push(current);
      current = [];
    }
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** eta^2 of y grouped by `groups` (indices into y); null when y has no spread. */
export function etaSquared(y: readonly number[], groups: readonly (readonly number[])[]): number | null {
  const mean = y.reduce((a, b) => a + b, 0) / y.length;
  const total = y.reduce((a, v) => a + (v - mean) ** 2, 0);
  if (!(total > 0)) return null;
  let between = 0;
  for (const g of groups) {
    if (g.length === 0) continue;
    const m = g.reduce((a, i) => a + y[i], 0) / g.length;
    between += g.length * (m - mean) ** 2;
  }
  return Math.min(1, between / total);
}

/** Importance of each key over the trials, most important first (ties in key order). */
export function factorImportance(keys: readonly string[], trials: readonly TrialObservations[]): FactorImportance[] {
  const seeds = [...new Set(trials.flatMap((t) => [...t.bySeed.keys()]))].sort((a, b) => a - b);
  const out = keys.map((key): FactorImportance | null => {
    const perSeed: number[] = [];
    const used: number[] = [];
    let chance = 0;
    for (const seed of seeds) {
      const have = trials.filter((t) => Number.isFinite(t.bySeed.get(seed)));
      if (have.length < 3) continue;
      const groups = groupsOf(have.map((t) => t.values[key]));
      const eta = etaSquared(
        have.map((t) => t.bySeed.get(seed)!),
        groups,
      );
      if (eta === null) continue;
      perSeed.push(eta);
      used.push(seed);
      chance += (groups.length - 1) / (have.length - 1);
    }
    if (perSeed.length === 0) return null;
    const s = summarize(perSeed, undefined, 'unit');
    return {
      key,
      mean: s.mean!,
      lower: s.ci?.lower ?? null,
      upper: s.ci?.upper ?? null,
      perSeed,
      seeds: used,
      chance: chance / perSeed.length,
    };
  });
  return out.filter((x): x is FactorImportance => x !== null).sort((a, b) => b.mean - a.mean);
}

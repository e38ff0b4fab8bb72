/**
 * Statistics over seeds: what the results table and the comparison plots show. The interval
 * methods are src/shared/intervals.ts's (and docs/experiments.md, "Statistics"):
 *
 *  - summarize: mean, sample standard deviation (n - 1) and the interval of the mean of one metric
 *    over a variant's seeds: Student's t for unbounded metrics, the t-interval on the log scale for
 *    metrics >= 0 (losses, times) and on the logit scale for metrics in [0, 1] (accuracies), so an
 *    interval never leaves the metric's range. With one value there is no spread: std and interval
 *    are null and `note` says why.
 *  - pairedDifference: variant minus baseline, paired by seed (only seeds present in both; the
 *    experiment runs every variant with the same seeds, common random numbers, so pairing removes
 *    the shared seed-to-seed noise). Mean difference, its t-interval (within [-1, 1] for
 *    accuracies), the two-sided paired t-test p-value 2 · P(T_{n-1} >= |t|), t = mean(d) / (s_d /
 *    sqrt(n)), and Cohen's d_z = mean(d) / s_d.
 *  - welchDifference: variant minus baseline when they share no seed (runs of two experiments):
 *    the difference of the two means with Welch's t-interval (unequal variances, Welch-Satterthwaite
 *    degrees of freedom; within [-1, 1] for accuracies) and the two-sided Welch test's p-value
 *    2 · P(T_df >= |t|), t = difference / se. No d_z: there are no pairs.
 *  - curveBand: mean and interval at each x (epoch or step index) over the curves that have a
 *    point there, with that count. Early-stopped runs end early, so later points average fewer
 *    seeds (and the ones that kept training): read `n` beside the band.
 * Non-finite values (a diverged run's NaN or Infinity) are left out and counted in `note`. Pure.
 */
import jStat from 'jstat';
import type { EpochMetrics } from '../../engine/index.js';
import {
  cohensDz,
  DEFAULT_LEVEL,
  differenceInterval,
  meanInterval,
  tCritical,
  welchInterval,
  type IntervalMethod,
  type MetricRange,
} from '../../shared/intervals.js';
import { weightsOf } from '../../shared/run-weights.js';
import type { RunSummary } from './types.js';

export { DEFAULT_LEVEL, tCritical };

export interface Interval {
  lower: number;
  upper: number;
}

export interface Summary {
  /** Finite values used. */
  n: number;
  /** null when n = 0. */
  mean: number | null;
  /** Sample standard deviation (divides by n - 1); null when n < 2. */
  std: number | null;
  /** Interval of the mean at `level`; null when n < 2. */
  ci: Interval | null;
  /** How `ci` was made (t, log-t, logit-t); null without one. */
  method: IntervalMethod | null;
  level: number;
  /** Why std or ci is missing, or which values were left out; null when nothing to say. */
  note: string | null;
}

export interface PairedDifference extends Summary {
  /** Seeds present (with finite values) in both, ascending. */
  seeds: number[];
  /** Mean of (variant - baseline) is `mean`; t statistic and degrees of freedom (n - 1). */
  t: number | null;
  df: number | null;
  /** Two-sided paired t-test p-value; null when n < 2. */
  pValue: number | null;
  /** Cohen's d_z: mean(d) / s_d; null when n < 2 or every pair differs by the same amount. */
  dz: number | null;
}

export interface BandPoint {
  x: number;
  /** Curves with a finite value at x. */
  n: number;
  mean: number;
  /** Interval bounds; null when n < 2. */
  lower: number | null;
  upper: number | null;
}

export function summarize(values: readonly number[], level = DEFAULT_LEVEL, range: MetricRange = 'real'): Summary {
  return fromInterval(values, level, (finite) => meanInterval(finite, range, level));
}

function fromInterval(values: readonly number[], level: number, make: (finite: number[]) => ReturnType<typeof meanInterval>): Summary {
  const finite = values.filter(Number.isFinite);
  const dropped = values.length - finite.length;
  const droppedNote = dropped > 0 ? `${dropped} of ${values.length} values are not finite (diverged runs) and are left out` : null;
  const iv = make(finite);
  const ci = iv.lower !== null && iv.upper !== null ? { lower: iv.lower, upper: iv.upper } : null;
  const base = { n: iv.n, mean: iv.mean, std: iv.sd, ci, method: iv.method, level };
  if (iv.n === 0) return { ...base, note: droppedNote ?? 'no values' };
  if (iv.n === 1) return { ...base, note: join('one seed (n = 1): no standard deviation or interval', droppedNote) };
  return { ...base, note: droppedNote };
}

/** Variant minus baseline, paired by seed; `range` is the metric's (a difference of accuracies stays in [-1, 1]). */
export function pairedDifference(
  baseline: ReadonlyMap<number, number>,
  variant: ReadonlyMap<number, number>,
  level = DEFAULT_LEVEL,
  range: MetricRange = 'real',
): PairedDifference {
  const shared = [...variant.keys()].filter((s) => baseline.has(s)).sort((a, b) => a - b);
  const seeds = shared.filter((s) => Number.isFinite(variant.get(s)!) && Number.isFinite(baseline.get(s)!));
  const unpaired = variant.size + baseline.size - 2 * shared.length;
  const notes = [
    unpaired > 0 ? `${unpaired} runs have no partner with the same seed and are left out` : null,
    shared.length > seeds.length ? `${shared.length - seeds.length} pairs have a non-finite value (diverged runs) and are left out` : null,
  ];
  const d = seeds.map((s) => variant.get(s)! - baseline.get(s)!);
  const s = fromInterval(d, level, (finite) => differenceInterval(finite, range, level));
  const base = { ...s, seeds, note: join(s.note, ...notes), dz: cohensDz(s.mean, s.std) };
  if (s.n < 2 || s.mean === null || s.std === null) return { ...base, t: null, df: null, pValue: null };
  const df = s.n - 1;
  if (s.std === 0) {
    // Every pair differs by the same amount: no noise to test against.
    const note = join(base.note, 'every pair differs by the same amount, so the t statistic is degenerate');
    return { ...base, note, t: s.mean === 0 ? 0 : Math.sign(s.mean) * Infinity, df, pValue: s.mean === 0 ? 1 : 0 };
  }
  const t = s.mean / (s.std / Math.sqrt(s.n));
  return { ...base, t, df, pValue: Math.min(1, 2 * jStat.studentt.cdf(-Math.abs(t), df)) };
}

export interface WelchDifference {
  /** mean(variant) - mean(baseline) over their finite values; null when either has none. */
  mean: number | null;
  /** Standard error of the difference; null when either side has fewer than 2 values. */
  se: number | null;
  ci: Interval | null;
  /** Welch-Satterthwaite degrees of freedom, t statistic and two-sided p-value; null without a test. */
  df: number | null;
  t: number | null;
  pValue: number | null;
  /** Finite values on each side. */
  nVariant: number;
  nBaseline: number;
  level: number;
  note: string | null;
}

/** Variant minus baseline over two independent sets of seeds (no pairing): Welch's interval and test. */
export function welchDifference(
  baseline: readonly number[],
  variant: readonly number[],
  level = DEFAULT_LEVEL,
  range: MetricRange = 'real',
): WelchDifference {
  const b = baseline.filter(Number.isFinite);
  const v = variant.filter(Number.isFinite);
  const dropped = baseline.length + variant.length - b.length - v.length;
  const droppedNote = dropped > 0 ? `${dropped} values are not finite (diverged runs) and are left out` : null;
  const w = welchInterval(v, b, range, level);
  const ci = w.lower !== null && w.upper !== null ? { lower: w.lower, upper: w.upper } : null;
  const base = { mean: w.mean, se: w.se, ci, nVariant: w.nVariant, nBaseline: w.nBaseline, level };
  if (w.mean === null) return { ...base, df: null, t: null, pValue: null, note: join('no values on one side', droppedNote) };
  if (w.se === null) {
    const note = 'Welch needs 2 seeds or more on each side: no interval or test';
    return { ...base, df: null, t: null, pValue: null, note: join(note, droppedNote) };
  }
  if (w.se === 0) {
    // Neither side varies: no noise to test against (as a paired difference with equal pairs).
    const note = join('neither side varies over its seeds, so the t statistic is degenerate', droppedNote);
    return { ...base, df: null, t: w.mean === 0 ? 0 : Math.sign(w.mean) * Infinity, pValue: w.mean === 0 ? 1 : 0, note };
  }
  const t = w.mean / w.se;
  return { ...base, df: w.df, t, pValue: Math.min(1, 2 * jStat.studentt.cdf(-Math.abs(t), w.df!)), note: droppedNote };
}

/**
 * Mean and band of several curves (one per seed) at every x any of them has; a curve with two
 * points at one x counts the last. Sorted by x. `range` is the curve metric's.
 */
export function curveBand(
  curves: ReadonlyArray<ReadonlyArray<{ x: number; y: number }>>,
  level = DEFAULT_LEVEL,
  range: MetricRange = 'real',
): BandPoint[] {
  const byX = new Map<number, number[]>();
  for (const curve of curves) {
    const last = new Map<number, number>();
    for (const p of curve) last.set(p.x, p.y);
    for (const [x, y] of last) {
      if (!Number.isFinite(y)) continue;
      const ys = byX.get(x) ?? [];
      ys.push(y);
      byX.set(x, ys);
    }
  }
  return [...byX.entries()]
    .sort(([a], [b]) => a - b)
    .map(([x, ys]) => {
      const s = meanInterval(ys, range, level);
      return { x, n: s.n, mean: s.mean!, lower: s.lower, upper: s.upper };
    });
}

/** Numeric fields of an epoch's metrics, read from a run summary's final or best epoch. */
export type EpochMetricName = 'trainLoss' | 'trainAccuracy' | 'valLoss' | 'valAccuracy' | 'penalty' | 'lr';
/** final: the last epoch; best: the best epoch; weights: the epoch of the kept weights (the restored best one, else the last). */
export type SummaryMetric =
  | `final.${EpochMetricName}`
  | `best.${EpochMetricName}`
  | `weights.${EpochMetricName}`
  | 'test.loss'
  | 'test.accuracy'
  | 'epochsRun'
  | 'seconds';

/** One metric of a run summary, or null when the run has none (no validation split, a regression head...). */
export function summaryMetric(s: RunSummary, metric: SummaryMetric): number | null {
  if (metric === 'epochsRun') return s.epochsRun;
  if (metric === 'seconds') return s.timings.seconds;
  if (metric === 'test.loss') return s.test?.loss ?? null;
  if (metric === 'test.accuracy') return s.test?.accuracy ?? null;
  const [which, field] = metric.split('.') as ['final' | 'best' | 'weights', EpochMetricName];
  const epoch: EpochMetrics | null = which === 'final' ? s.final : which === 'best' ? s.best : weightsOf(s).metrics;
  return epoch?.[field] ?? null;
}

/** Metric values by variant id, then by seed (runs without the metric are absent). */
export function valuesBySeed(summaries: readonly RunSummary[], metric: SummaryMetric): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  for (const s of summaries) {
    const v = summaryMetric(s, metric);
    if (v === null) continue;
    const bySeed = out.get(s.variantId) ?? new Map<number, number>();
    if (bySeed.has(s.seed)) throw new Error(`stats: two runs of variant ${s.variantId} have seed ${s.seed}`);
    bySeed.set(s.seed, v);
    out.set(s.variantId, bySeed);
  }
  return out;
}

function join(...notes: (string | null)[]): string | null {
  const present = notes.filter((n): n is string => !!n);
  return present.length > 0 ? present.join('; ') : null;
}

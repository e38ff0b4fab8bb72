/**
 * Intervals that respect what they measure, shared by the back end's statistics (stats.ts) and the
 * renderer's own bands (per-layer diagnostics), so both say the same thing. A metric lives in a
 * range: accuracies and fractions in [0, 1] ("unit"), losses, norms, times and counts at or above 0
 * ("positive"), differences anywhere ("real"). The interval of a mean over seeds never leaves it:
 *
 *   real      mean ± h, h = t(1 - (1 - level)/2, n - 1) · s / sqrt(n)      (Student's t)
 *   positive  exp(log m ± h / m)                     (the t-interval on the log scale, delta method)
 *   unit      logistic(logit m ± h / (m (1 - m)))    (the t-interval on the logit scale, delta method)
 *
 * with m the mean and s the sample standard deviation (n - 1). On the transformed scale the
 * standard error of the mean is s / (sqrt(n) · g'(m)) (delta method); mapping the interval back
 * keeps it inside the range, asymmetric towards the boundary the mean is near, and equal to the
 * t-interval to first order when the mean is far from every bound. A mean on the boundary (every
 * value 0, or every accuracy 1) has no spread and gets the degenerate interval [m, m]. A paired
 * difference keeps the t-interval, intersected with the values the difference of two metrics of
 * that range can take ([-1, 1] for accuracies): a confidence interval intersected with the
 * parameter's possible values keeps its coverage. Two variants that share no seed get the
 * difference of their means with Welch's t-interval instead (welchInterval), likewise intersected.
 * Quantiles and the noncentral t come from jstat.
 * Pure; imported by the renderer and Node alike.
 */
import jStat from 'jstat';

export type MetricRange = 'unit' | 'positive' | 'real';

export const DEFAULT_LEVEL = 0.95;

/** The range of a metric by its name: "final.valAccuracy", "zeroFraction", "test.loss", "seconds", ... */
export function metricRange(name: string): MetricRange {
  const n = name.toLowerCase();
  if (/accuracy|fraction|saturation|dead/.test(n)) return 'unit';
  if (/loss|norm|ratio|seconds|epochs|penalty|lr$|samples/.test(n)) return 'positive';
  return 'real';
}

/** Quantiles already computed: a curve asks for the same few thousands of times (one per step). */
const T_CACHE = new Map<string, number>();

/** The t quantile for a two-sided interval at `level` with `df` degrees of freedom. */
export function tCritical(level: number, df: number): number {
  const key = `${level}:${df}`;
  let t = T_CACHE.get(key);
  if (t === undefined) {
    t = jStat.studentt.inv(1 - (1 - level) / 2, df) as number;
    // Welch's degrees of freedom are fractional and rarely repeat: only whole ones are kept.
    if (Number.isInteger(df)) T_CACHE.set(key, t);
  }
  return t;
}

/** Mean and interval of one metric over seeds (finite values only: the caller leaves out the rest). */
export interface MeanInterval {
  n: number;
  /** null when n = 0. */
  mean: number | null;
  /** Sample standard deviation (n - 1); null when n < 2. */
  sd: number | null;
  /** Interval bounds at `level`; null when n < 2. */
  lower: number | null;
  upper: number | null;
  /** How the interval was made; null when there is none. */
  method: IntervalMethod | null;
}

/**
 * t: Student's t; log-t and logit-t: the t-interval on the log or logit scale (delta method);
 * welch-t: Welch's t-interval of a difference of two independent means (welchInterval).
 */
export type IntervalMethod = 't' | 'log-t' | 'logit-t' | 'welch-t';

const inRange = (v: number, range: MetricRange) => (range === 'unit' ? v >= 0 && v <= 1 : range === 'positive' ? v >= 0 : true);

export function meanInterval(values: readonly number[], range: MetricRange = 'real', level = DEFAULT_LEVEL): MeanInterval {
  const n = values.length;
  if (n === 0) return { n, mean: null, sd: null, lower: null, upper: null, method: null };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { n, mean, sd: null, lower: null, upper: null, method: null };
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  const h = (tCritical(level, n - 1) * sd) / Math.sqrt(n);
  // A value outside the range means the range does not describe this metric: plain t.
  const bounded = range !== 'real' && values.every((v) => inRange(v, range));
  if (!bounded) return { n, mean, sd, lower: mean - h, upper: mean + h, method: 't' };
  if (range === 'positive') {
    if (mean <= 0) return { n, mean, sd, lower: mean, upper: mean, method: 'log-t' };
    const k = h / mean;
    return { n, mean, sd, lower: mean * Math.exp(-k), upper: mean * Math.exp(k), method: 'log-t' };
  }
  if (mean <= 0 || mean >= 1) return { n, mean, sd, lower: mean, upper: mean, method: 'logit-t' };
  const centre = Math.log(mean / (1 - mean));
  const k = h / (mean * (1 - mean));
  return { n, mean, sd, lower: logistic(centre - k), upper: logistic(centre + k), method: 'logit-t' };
}

function logistic(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/**
 * The t-interval of a mean paired difference, intersected with the values a difference of two
 * metrics of `range` can take ([-1, 1] for accuracies; unbounded otherwise).
 */
export function differenceInterval(diffs: readonly number[], range: MetricRange, level = DEFAULT_LEVEL): MeanInterval {
  const iv = meanInterval(diffs, 'real', level);
  if (range !== 'unit' || iv.lower === null || iv.upper === null) return iv;
  return { ...iv, lower: Math.max(-1, iv.lower), upper: Math.min(1, iv.upper) };
}

/** Welch's interval of a difference of two independent means (welchInterval). */
export interface WelchInterval {
  /** mean(variant) - mean(baseline); null when either side has no value. */
  mean: number | null;
  /** Standard error sqrt(s_v^2 / n_v + s_b^2 / n_b); null when either side has fewer than 2 values. */
  se: number | null;
  /** Welch-Satterthwaite degrees of freedom; null without a standard error, or when it is 0. */
  df: number | null;
  lower: number | null;
  upper: number | null;
  nVariant: number;
  nBaseline: number;
}

/**
 * The difference of the means of two independent samples (variant - baseline) with Welch's
 * t-interval, for variances that need not be equal: mean ± t(1 - (1 - level)/2, df) · se with
 *
 *   se = sqrt(s_v²/n_v + s_b²/n_b),   df = se⁴ / ((s_v²/n_v)² / (n_v - 1) + (s_b²/n_b)² / (n_b - 1))
 *
 * (Welch-Satterthwaite; s the sample standard deviation, n - 1). Intersected, as a paired
 * difference is, with the values a difference of two metrics of `range` can take ([-1, 1] for
 * accuracies). Each side needs 2 values for a standard error; with no spread on either side (se =
 * 0) the interval is the point [mean, mean] and df is null.
 */
export function welchInterval(
  variant: readonly number[],
  baseline: readonly number[],
  range: MetricRange = 'real',
  level = DEFAULT_LEVEL,
): WelchInterval {
  const v = meanInterval(variant, 'real', level);
  const b = meanInterval(baseline, 'real', level);
  const out: WelchInterval = { mean: null, se: null, df: null, lower: null, upper: null, nVariant: v.n, nBaseline: b.n };
  if (v.mean === null || b.mean === null) return out;
  out.mean = v.mean - b.mean;
  if (v.sd === null || b.sd === null) return out;
  const qv = (v.sd * v.sd) / v.n;
  const qb = (b.sd * b.sd) / b.n;
  const se = Math.sqrt(qv + qb);
  out.se = se;
  if (se === 0) return { ...out, lower: out.mean, upper: out.mean };
  const df = (qv + qb) ** 2 / ((qv * qv) / (v.n - 1) + (qb * qb) / (b.n - 1));
  const h = tCritical(level, df) * se;
  const [lo, hi] = range === 'unit' ? [-1, 1] : [-Infinity, Infinity];
  return { ...out, df, lower: Math.max(lo, out.mean - h), upper: Math.min(hi, out.mean + h) };
}

/**
 * Holm's step-down adjustment of p-values for several comparisons with one baseline: sorted
 * ascending, the k-th smallest (k from 0) becomes max over j <= k of min(1, (m - j) p_(j)), m the
 * number of p-values given. nulls (no test) stay null and do not count in m.
 */
export function holmAdjust(p: ReadonlyArray<number | null>): Array<number | null> {
  const order = p.flatMap((v, i) => (v === null || !Number.isFinite(v) ? [] : [{ v, i }])).sort((a, b) => a.v - b.v);
  const out: Array<number | null> = p.map(() => null);
  let running = 0;
  order.forEach(({ v, i }, k) => {
    running = Math.max(running, Math.min(1, (order.length - k) * v));
    out[i] = running;
  });
  return out;
}

/** Cohen's d_z of paired differences: their mean over their sample standard deviation; null when undefined. */
export function cohensDz(mean: number | null, sd: number | null): number | null {
  if (mean === null || sd === null || !(sd > 0)) return null;
  return mean / sd;
}

/**
 * Power of the two-sided paired t-test at level `alpha` with n pairs when the true standardized
 * paired difference is dz: P(|T| > t(1 - alpha/2, n - 1)) for T noncentral t with n - 1 degrees
 * of freedom and noncentrality dz · sqrt(n).
 */
export function pairedTestPower(n: number, dz: number, alpha = 0.05): number {
  const df = n - 1;
  const t = jStat.studentt.inv(1 - alpha / 2, df);
  const ncp = dz * Math.sqrt(n);
  return 1 - jStat.noncentralt.cdf(t, df, ncp) + jStat.noncentralt.cdf(-t, df, ncp);
}

export const MAX_ADVISED_SEEDS = 10000;

/**
 * Seed-count advice: the fewest seeds (pairs, at least 2) for which the two-sided paired t-test at
 * `alpha` detects a true difference `delta` with probability `power`, when paired differences
 * spread with standard deviation `sd` (dz = delta / sd). null when delta or sd give no answer
 * (zero, not finite) or more than MAX_ADVISED_SEEDS would be needed.
 */
export function seedsForPower(delta: number, sd: number, o: { alpha?: number; power?: number } = {}): number | null {
  const alpha = o.alpha ?? 0.05;
  const target = o.power ?? 0.8;
  const dz = Math.abs(delta) / sd;
  if (!Number.isFinite(dz) || dz === 0) return null;
  const enough = (n: number) => pairedTestPower(n, dz, alpha) >= target;
  if (!enough(MAX_ADVISED_SEEDS)) return null;
  let lo = 1; // not enough (a test needs 2 pairs)
  let hi = 2;
  while (!enough(hi)) [lo, hi] = [hi, Math.min(MAX_ADVISED_SEEDS, hi * 2)];
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (enough(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

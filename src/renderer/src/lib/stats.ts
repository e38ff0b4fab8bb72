/**
 * Small statistics for the renderer's own aggregates (diagnostics across seeds): mean and a 95%
 * Student-t interval per x. The back end computes the comparison's intervals the same way; this
 * is only for series it does not aggregate (per-layer diagnostics).
 */

/** Two-sided 97.5% quantiles of Student's t for df = 1..30; 1.96 beyond. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086,
  2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function tQuantile975(df: number): number {
  if (df < 1) return NaN;
  if (df <= 30) return T975[Math.floor(df) - 1];
  if (df <= 60) return 2.0;
  if (df <= 120) return 1.98;
  return 1.96;
}

export interface MeanInterval {
  mean: number;
  lower: number | null;
  upper: number | null;
  n: number;
}

export function meanInterval(values: readonly number[]): MeanInterval {
  const v = values.filter((x) => Number.isFinite(x));
  const n = v.length;
  if (n === 0) return { mean: NaN, lower: null, upper: null, n: 0 };
  const mean = v.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, lower: null, upper: null, n };
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const half = (tQuantile975(n - 1) * sd) / Math.sqrt(n);
  return { mean, lower: mean - half, upper: mean + half, n };
}

export interface SeriesBand {
  x: number[];
  mean: number[];
  lower: number[];
  upper: number[];
  n: number[];
}

/**
 * Aligns several series by x (values equal across seeds: steps, epochs) and reduces each x to a
 * mean and 95% interval. Where fewer than 2 series have a value, the band collapses to the mean.
 */
export function bandOf(series: ReadonlyArray<{ x: readonly number[]; y: readonly number[] }>): SeriesBand {
  const byX = new Map<number, number[]>();
  for (const s of series) {
    const len = Math.min(s.x.length, s.y.length);
    for (let i = 0; i < len; i++) {
      const list = byX.get(s.x[i]);
      if (list) list.push(s.y[i]);
      else byX.set(s.x[i], [s.y[i]]);
    }
  }
  const xs = [...byX.keys()].sort((a, b) => a - b);
  const out: SeriesBand = { x: [], mean: [], lower: [], upper: [], n: [] };
  for (const x of xs) {
    const iv = meanInterval(byX.get(x) ?? []);
    if (iv.n === 0) continue;
    out.x.push(x);
    out.mean.push(iv.mean);
    out.lower.push(iv.lower ?? iv.mean);
    out.upper.push(iv.upper ?? iv.mean);
    out.n.push(iv.n);
  }
  return out;
}

/** True when an interval lies entirely on one side of zero. */
export function excludesZero(iv: { lower: number | null; upper: number | null } | null | undefined): boolean {
  if (!iv || iv.lower === null || iv.upper === null) return false;
  return iv.lower > 0 || iv.upper < 0;
}

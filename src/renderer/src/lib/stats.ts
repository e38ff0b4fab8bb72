/**
 * The renderer's own aggregates (per-layer diagnostics across seeds): mean and 95% interval per x,
 * by the same bounded methods as the back end's comparison (src/shared/intervals.ts), so a band of
 * a fraction stays in [0, 1] and a band of a norm above 0. Pure.
 */
import { meanInterval, type MetricRange } from '../../../shared/intervals.js';

export interface SeriesBand {
  x: number[];
  mean: number[];
  lower: number[];
  upper: number[];
  n: number[];
}

/**
 * Aligns several series by x (values equal across seeds: steps, epochs) and reduces each x to a
 * mean and 95% interval within `range`. Where fewer than 2 series have a value, the band collapses
 * to the mean. Non-finite values are left out.
 */
export function bandOf(series: ReadonlyArray<{ x: readonly number[]; y: readonly number[] }>, range: MetricRange = 'real'): SeriesBand {
  const byX = new Map<number, number[]>();
  for (const s of series) {
    const len = Math.min(s.x.length, s.y.length);
    for (let i = 0; i < len; i++) {
      if (!Number.isFinite(s.y[i])) continue;
      const list = byX.get(s.x[i]);
      if (list) list.push(s.y[i]);
      else byX.set(s.x[i], [s.y[i]]);
    }
  }
  const xs = [...byX.keys()].sort((a, b) => a - b);
  const out: SeriesBand = { x: [], mean: [], lower: [], upper: [], n: [] };
  for (const x of xs) {
    const iv = meanInterval(byX.get(x) ?? [], range);
    if (iv.mean === null) continue;
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

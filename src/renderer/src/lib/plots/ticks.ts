/**
 * Tick marks for log axes: Plotly's defaults label every digit between powers of ten, which
 * clutters small panels. Powers of ten over wide ranges, 1-2-5 steps over narrow ones, printed
 * as plain numbers ("0.2", "1", "1e-4").
 */
import { fmtNum } from '../format.js';

export function logTicks(lo: number, hi: number): { tickvals: number[]; ticktext: string[] } | null {
  if (!(lo > 0) || !Number.isFinite(hi) || !(hi > lo)) return null;
  const a = Math.floor(Math.log10(lo));
  const b = Math.ceil(Math.log10(hi));
  const decades = b - a;
  const steps = decades > 3 ? [1] : decades > 1 ? [1, 3] : [1, 2, 5];
  const every = decades > 8 ? 2 : 1;
  const vals: number[] = [];
  for (let k = a; k <= b; k++) {
    if ((k - a) % every !== 0) continue;
    for (const m of steps) {
      const v = m * 10 ** k;
      if (v >= lo / 1.0001 && v <= hi * 1.0001) vals.push(Number(v.toPrecision(6)));
    }
  }
  if (vals.length < 2) return null;
  return { tickvals: vals, ticktext: vals.map((v) => fmtNum(v, 2)) };
}

/** Smallest and largest positive finite value of several arrays. */
export function positiveExtent(...arrays: ReadonlyArray<readonly number[]>): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const arr of arrays)
    for (const v of arr) {
      if (!(v > 0) || !Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  return lo <= hi ? [lo, hi] : null;
}

/** Applies log ticks to every y axis of a layout (small multiples share them). */
export function applyLogTicks(layout: Record<string, unknown>, extent: [number, number] | null): void {
  const ticks = extent ? logTicks(extent[0], extent[1]) : null;
  if (!ticks) return;
  for (const key of Object.keys(layout)) {
    if (/^yaxis\d*$/.test(key)) layout[key] = { ...(layout[key] as object), tickmode: 'array', ...ticks };
  }
}

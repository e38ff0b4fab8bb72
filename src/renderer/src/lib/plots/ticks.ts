/**
 * Tick marks. Log axes: Plotly's defaults label every digit between powers of ten, which clutters
 * small panels; here powers of ten over wide ranges, 1-2-5 (then finer) steps over narrow ones,
 * and always at least MIN_LOG_TICKS labels, printed as plain numbers ("0.2", "1", "1e-4"). Axes
 * of whole things (steps, epochs): ticks at whole numbers only.
 */
import { fmtNum } from '../format.js';

/** Fewer labels than this on a log axis say too little to read a value off it. */
export const MIN_LOG_TICKS = 4;

/** Mantissas to try, coarsest first, until the range shows enough ticks. */
const MANTISSAS = [[1], [1, 3], [1, 2, 5], [1, 1.5, 2, 3, 5, 7], [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9]];

export function logTicks(lo: number, hi: number): { tickvals: number[]; ticktext: string[] } | null {
  if (!(lo > 0) || !Number.isFinite(hi) || !(hi > lo)) return null;
  const a = Math.floor(Math.log10(lo));
  const b = Math.ceil(Math.log10(hi));
  const decades = b - a;
  const every = decades > 8 ? 2 : 1;
  const within = (steps: number[]) => {
    const vals: number[] = [];
    for (let k = a; k <= b; k++) {
      if ((k - a) % every !== 0) continue;
      for (const m of steps) {
        const v = m * 10 ** k;
        if (v >= lo / 1.0001 && v <= hi * 1.0001) vals.push(Number(v.toPrecision(6)));
      }
    }
    return vals;
  };
  const first = decades > 3 ? 0 : decades > 1 ? 1 : 2;
  let vals = within(MANTISSAS[first]);
  for (let i = first + 1; vals.length < MIN_LOG_TICKS && i < MANTISSAS.length; i++) vals = within(MANTISSAS[i]);
  // Narrower than the finest mantissas can label: evenly spaced round numbers.
  if (vals.length < MIN_LOG_TICKS) vals = linearTicks(lo, hi, 5);
  if (vals.length > 10) vals = vals.filter((_, i) => i % Math.ceil(vals.length / 8) === 0);
  if (vals.length < 2) return null;
  return { tickvals: vals, ticktext: vals.map((v) => fmtNum(v, 3)) };
}

/** A round step (1, 2 or 5 times a power of ten) near `span / count`. */
function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

/** Round numbers in [lo, hi], about `count` of them. */
export function linearTicks(lo: number, hi: number, count: number): number[] {
  const step = niceStep(hi - lo, count);
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(6)));
  return out;
}

/** Plotly axis settings for whole-number ticks only over [lo, hi] (empty when the range is unknown). */
export function integerTicks(lo: number, hi: number, count = 6): Record<string, unknown> {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { tickformat: 'd' };
  const dtick = Math.max(1, Math.round(niceStep(Math.max(hi - lo, 1), count)));
  return { tickmode: 'linear', tick0: 0, dtick, tickformat: 'd' };
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

/**
 * Words and numbers of the Compare tab's "Per class" view: a fraction as a percentage with its
 * interval, a recall difference in percentage points, and whether a difference's interval
 * excludes zero. Pure.
 */
import type { CellStat } from '../../../shared/per-class.js';

const DASH = '—';

/** "97.3%", a fraction of 1 as a percentage to one decimal. */
export const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;

/** "+4.2 pp" / "−0.8 pp" / "0.0 pp". */
export function pp(v: number): string {
  const r = Math.abs(100 * v) < 0.05 ? 0 : 100 * v;
  return `${r > 0 ? '+' : r < 0 ? '−' : ''}${Math.abs(r).toFixed(1)} pp`;
}

/** The mean alone, and its interval ("[91.0%, 98.1%]") or, without one, how many seeds it has ("n = 1"). */
export function cellParts(c: CellStat, f: (v: number) => string): { mean: string; interval: string } {
  if (c.mean === null) return { mean: DASH, interval: '' };
  return { mean: f(c.mean), interval: c.lower !== null && c.upper !== null ? `[${f(c.lower)}, ${f(c.upper)}]` : `n = ${c.n}` };
}

/** Whether a difference's interval lies wholly above (+1) or below (-1) zero; 0 when it does not. */
export function differenceSign(c: CellStat): -1 | 0 | 1 {
  if (c.lower === null || c.upper === null) return 0;
  return c.lower > 0 ? 1 : c.upper < 0 ? -1 : 0;
}

/**
 * Hover text of a mean curve's points: the mean, its 95% interval and the seeds behind it (n), for
 * the one point under the pointer (the plots hover the nearest point, never every trace at that x).
 * Pure.
 */
import { fmtNum } from '../format.js';
import type { PreparedLine } from './curves.js';

function value(v: number, percent: boolean): string {
  return percent ? `${fmtNum(v * 100, 3)}%` : fmtNum(v, 4);
}

/**
 * Texts already made, per line: the small multiples and the overlay draw the same lines, and
 * figures are rebuilt (on a highlight, say) with lines unchanged. Prepared lines are never
 * changed once made (each worker answer brings new ones), so a line's texts stay true.
 */
const made = new WeakMap<PreparedLine, Map<string, string[]>>();

/** One line of text per point: "mean 0.412 · 95% CI 0.391–0.433 · n = 4". */
export function bandHoverText(line: PreparedLine, o: { percent: boolean; smoothed: boolean }): string[] {
  const key = `${o.percent}|${o.smoothed}`;
  let byOptions = made.get(line);
  const known = byOptions?.get(key);
  if (known) return known;
  const texts = hoverTexts(line, o);
  if (!byOptions) made.set(line, (byOptions = new Map()));
  byOptions.set(key, texts);
  return texts;
}

function hoverTexts(line: PreparedLine, o: { percent: boolean; smoothed: boolean }): string[] {
  return line.x.map((_, i) => {
    const mean = `${o.smoothed ? 'smoothed mean' : 'mean'} ${value(line.mean[i], o.percent)}`;
    const n = line.n?.[i];
    if (n === undefined) return mean;
    if (n < 2) return `${mean} · n = ${n} (no interval from one seed)`;
    return `${mean} · 95% CI ${value(line.lower[i], o.percent)}–${value(line.upper[i], o.percent)} · n = ${n}`;
  });
}

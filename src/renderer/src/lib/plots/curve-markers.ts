/**
 * The best-epoch and early-stop markers of a mean curve: one of each per variant, at the median
 * over its seeds (a mean curve has one best point to show; several diamonds on one line read as
 * several bests), with every seed's epoch in the hover text. Pure.
 */
import type { CurveMarker } from './curves.js';

export interface EndedRun {
  seed: number;
  /** 0-based. */
  bestEpoch: number | null;
  stoppedEpoch: number | null;
}

/** The lower middle for an even count, so the median is one of the epochs. */
function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

/** `at` places a 0-based epoch on the plot's x axis (undefined when it is not drawn yet). */
export function medianMarkers(runs: readonly EndedRun[], at: (epoch: number) => number | undefined): CurveMarker[] {
  const out: CurveMarker[] = [];
  for (const kind of ['best', 'stopped'] as const) {
    const bySeed = runs.flatMap((r) => {
      const epoch = kind === 'best' ? r.bestEpoch : r.stoppedEpoch;
      return epoch === null ? [] : [{ seed: r.seed, epoch }];
    });
    if (bySeed.length === 0) continue;
    const m = median(bySeed.map((b) => b.epoch));
    const x = at(m);
    if (x === undefined || !Number.isFinite(x)) continue;
    const list = bySeed.map((b) => `seed ${b.seed}: ${b.epoch + 1}`).join(', ');
    const what = kind === 'best' ? 'best epoch' : 'stopped early after epoch';
    const text = bySeed.length === 1 ? `${what} ${m + 1} (${list})` : `${what} ${m + 1}, the median over ${bySeed.length} seeds<br>${list}`;
    out.push({ kind, x, text });
  }
  return out;
}

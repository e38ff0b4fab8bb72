/**
 * Putting stored histograms of several runs on one set of bins, exactly or not at all, and
 * picking the stored diagnostics step nearest a requested one. Pure.
 *
 * Weight and gradient histograms each span their own power-of-two range [-R, R] with an even bin
 * count, so the bins of a narrower one lie inside single bins of the widest: summing them there is
 * exact, no value is moved. Activation histograms share the experiment's fixed range but collect
 * outliers in their end bins, so they are merged only when their bins are identical. Anything else
 * is reported as not mergeable and the caller draws each at its own bins, saying so.
 */
import type { BinnedCounts, RunDiagnostics } from '../../../../shared/api.js';

export type DistQuantity = 'activation' | 'weight' | 'gradient';

export const DIST_QUANTITIES: Record<DistQuantity, { label: string; axis: string }> = {
  activation: { label: 'Activations', axis: 'activation value f(z)' },
  weight: { label: 'Weights', axis: 'weight value W' },
  gradient: { label: 'Gradients', axis: 'gradient value ∂L/∂W' },
};

export interface SharedBins {
  lo: number;
  hi: number;
  /** Per input histogram, its counts on the shared bins. */
  counts: number[][];
}

/** The histograms of one layer over time, or null per time when not stored. */
export function histogramSeries(d: RunDiagnostics, q: DistQuantity, layer: number): Array<BinnedCounts | null> {
  if (q === 'activation') {
    const [lo, hi] = d.histogramRange;
    return (d.histograms[layer] ?? []).map((counts) => (counts.length ? { lo, hi, counts } : null));
  }
  return ((q === 'weight' ? d.weightHistograms : d.gradHistograms)?.[layer] ?? []).map((h) => h ?? null);
}

/**
 * The index of the stored step nearest `step` among those with a histogram (the earlier on a tie),
 * or -1 when there is none.
 */
export function nearestStored(steps: number[], stored: Array<unknown>, step: number): number {
  let best = -1;
  for (let i = 0; i < Math.min(steps.length, stored.length); i++) {
    if (stored[i] === null || stored[i] === undefined) continue;
    if (best < 0 || Math.abs(steps[i] - step) < Math.abs(steps[best] - step)) best = i;
  }
  return best;
}

/** Slack for edges computed in floating point (a fraction of the target bin width). */
const EPS = 1e-9;

/**
 * All histograms on the bins of the widest one, or null when that would move any count:
 * `exactOnly` (activations) demands identical bins; otherwise every source bin must lie inside one
 * target bin. A histogram with lo = hi (every entry equal, e.g. all-zero weights) is a point mass
 * placed in the target bin that contains it. When all are point masses the bins are [v - 1, v + 1].
 */
export function sharedBins(hs: BinnedCounts[], exactOnly: boolean): SharedBins | null {
  if (hs.length === 0) return null;
  const spread = hs.filter((h) => h.hi > h.lo);
  const widest = spread.reduce<BinnedCounts | null>((w, h) => (!w || h.hi - h.lo > w.hi - w.lo ? h : w), null);
  const bins = widest?.counts.length ?? hs[0].counts.length;
  const lo = widest ? widest.lo : hs[0].lo - 1;
  const hi = widest ? widest.hi : hs[0].lo + 1;
  const width = (hi - lo) / bins;
  const counts: number[][] = [];
  for (const h of hs) {
    if (exactOnly && (h.lo !== lo || h.hi !== hi || h.counts.length !== bins)) return null;
    const out = new Array<number>(bins).fill(0);
    const w = (h.hi - h.lo) / h.counts.length;
    for (let k = 0; k < h.counts.length; k++) {
      const c = h.counts[k];
      if (c === 0) continue;
      const left = (h.lo + k * w - lo) / width;
      const right = (h.lo + (k + 1) * w - lo) / width;
      const i = Math.floor(left + EPS);
      // The source bin [left, right] must sit inside target bin i: [i, i + 1].
      if (i < 0 || i >= bins || right > i + 1 + EPS) return null;
      out[i] += c;
    }
    counts.push(out);
  }
  return { lo, hi, counts };
}

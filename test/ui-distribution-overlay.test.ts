/**
 * The distributions overlay of Compare: runs' histograms at (about) one step merged onto shared
 * bins, checked against counts and shares worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import type { BinnedCounts, RunDiagnostics } from '../src/shared/api.js';
import { distributionOverlayFigure, overlaySteps, type OverlayRun } from '../src/renderer/src/lib/plots/distribution-overlay.js';
import { nearestStored, sharedBins } from '../src/renderer/src/lib/plots/histogram-bins.js';
import { DEFAULT_TOKENS } from '../src/renderer/src/lib/plots/theme.js';
import { diagnostics } from './helpers/figure-inputs.js';

function diag(steps: number[], weights: Array<BinnedCounts | null>, activations: number[][] = []): RunDiagnostics {
  return diagnostics({
    layers: ['hidden.0', 'output'],
    steps,
    histograms: [activations, []],
    histogramRange: [-4, 4],
    weightHistograms: [weights, []],
    gradHistograms: [[], []],
  });
}

describe('shared bins', () => {
  it('sums a narrower power-of-two histogram into the widest one’s bins', () => {
    // A: width 0.5 over [-1, 1]. B: width 0.25 over [-0.5, 0.5]; its bins [-0.5,-0.25) and
    // [-0.25,0) both fall in A's bin [-0.5, 0) (index 1), [0,0.25) and [0.25,0.5] in [0, 0.5) (index 2).
    const a = { lo: -1, hi: 1, counts: [1, 3, 4, 2] };
    const b = { lo: -0.5, hi: 0.5, counts: [2, 0, 1, 1] };
    expect(sharedBins([a, b], false)).toEqual({ lo: -1, hi: 1, counts: [a.counts, [0, 2, 2, 0]] });
  });

  it('places an all-equal (point mass) histogram in the bin holding its value', () => {
    const a = { lo: -1, hi: 1, counts: [1, 3, 4, 2] };
    const zero = { lo: 0, hi: 0, counts: [0, 0, 6, 0] };
    expect(sharedBins([zero, a], false)!.counts[0]).toEqual([0, 0, 6, 0]);
  });

  it('refuses bins that straddle, and activation bins that differ at all', () => {
    expect(
      sharedBins(
        [
          { lo: -1, hi: 1, counts: [1, 1, 1, 1] },
          { lo: -0.75, hi: 0.75, counts: [1, 1] },
        ],
        false,
      ),
    ).toBeNull();
    // Nested but activation end bins hold outliers: merging would move them.
    expect(
      sharedBins(
        [
          { lo: -1, hi: 1, counts: [1, 1, 1, 1] },
          { lo: -0.5, hi: 0.5, counts: [1, 1, 1, 1] },
        ],
        true,
      ),
    ).toBeNull();
    expect(
      sharedBins(
        [
          { lo: -4, hi: 4, counts: [1, 2] },
          { lo: -4, hi: 4, counts: [3, 0] },
        ],
        true,
      )!.counts,
    ).toEqual([
      [1, 2],
      [3, 0],
    ]);
  });

  it('picks the stored step nearest the request, skipping steps without a histogram, the earlier on a tie', () => {
    expect(nearestStored([1, 50, 100], [1, 1, 1], 70)).toBe(1);
    expect(nearestStored([1, 50, 100], [1, null, 1], 70)).toBe(2);
    expect(nearestStored([1, 50, 100], [1, 1, 1], 75)).toBe(1);
    expect(nearestStored([1, 50], [null, null], 1)).toBe(-1);
  });
});

describe('distribution overlay figure', () => {
  const runs: OverlayRun[] = [
    { variantId: 'a', title: 'A', color: '#0072b2', diag: diag([1, 50, 100], [null, { lo: -1, hi: 1, counts: [1, 3, 4, 2] }, null]) },
    {
      variantId: 'b',
      title: 'B',
      color: '#d55e00',
      diag: diag([1, 60, 120], [null, null, { lo: -0.5, hi: 0.5, counts: [2, 0, 1, 1] }]),
    },
  ];

  it('labels each variant with the step it shows and draws shares on shared bins in its color', () => {
    const f = distributionOverlayFigure(runs, { tokens: DEFAULT_TOKENS.light, quantity: 'weight', layer: 0, step: 70 });
    expect(f.picks.map((p) => p.step)).toEqual([50, 120]);
    expect(f.shared).toBe(true);
    expect(f.notes).toEqual([]);
    expect(f.data.map((d) => d.name)).toEqual(['A · step 50', 'B · step 120']);
    expect(f.data.map((d) => (d.line as { color: string }).color)).toEqual(['#0072b2', '#d55e00']);
    expect(f.data[0].x).toEqual([-1, -0.5, 0, 0.5, 1]);
    // Shares: A 1,3,4,2 of 10; B 0,2,2,0 of 4. The last value repeats to close the outline.
    expect(f.data[0].y).toEqual([0.1, 0.3, 0.4, 0.2, 0.2]);
    expect(f.data[1].y).toEqual([0, 0.5, 0.5, 0, 0]);
  });

  it('names a run whose whole range fits in two shared bins', () => {
    // Bins of width 0.5 over [-1, 1]; C spans [-2^-4, 2^-4], a quarter of one bin.
    const narrow: OverlayRun = { ...runs[1], title: 'C', diag: diag([50], [{ lo: -0.0625, hi: 0.0625, counts: [1, 1, 1, 1] }]) };
    const f = distributionOverlayFigure([runs[0], narrow], { tokens: DEFAULT_TOKENS.light, quantity: 'weight', layer: 0, step: 50 });
    expect(f.notes).toEqual(['C: every value within ±0.0625, narrower than two of the shared bins']);
    expect(f.data[1].y).toEqual([0, 0.5, 0.5, 0, 0]);
    const zero: OverlayRun = { ...runs[1], title: 'Z', diag: diag([50], [{ lo: 0, hi: 0, counts: [0, 0, 5, 0] }]) };
    const g = distributionOverlayFigure([runs[0], zero], { tokens: DEFAULT_TOKENS.light, quantity: 'weight', layer: 0, step: 50 });
    expect(g.notes).toEqual(['Z: every value is exactly 0']);
    expect(g.data[1].y).toEqual([0, 0, 1, 0, 0]);
  });

  it('says so and draws densities at own bins when bins do not nest', () => {
    const odd: OverlayRun = { ...runs[1], diag: diag([60], [{ lo: -0.75, hi: 0.75, counts: [1, 3] }]) };
    const f = distributionOverlayFigure([runs[0], odd], { tokens: DEFAULT_TOKENS.light, quantity: 'weight', layer: 0, step: 50 });
    expect(f.shared).toBe(false);
    expect(f.notes.join(' ')).toMatch(/own bins/);
    // Density: share / bin width. B: 1/4 and 3/4 over width 0.75.
    expect(f.data[1].y).toEqual([0.25 / 0.75, 0.75 / 0.75, 0.75 / 0.75]);
    expect(f.data[1].x).toEqual([-0.75, 0, 0.75]);
  });

  it('names a run without the histogram and offers the union of steps', () => {
    const f = distributionOverlayFigure(runs, { tokens: DEFAULT_TOKENS.light, quantity: 'gradient', layer: 0, step: 1 });
    expect(f.data).toHaveLength(0);
    expect(f.notes).toEqual(['A: no gradients histogram stored for this layer', 'B: no gradients histogram stored for this layer']);
    expect(overlaySteps(runs)).toEqual([1, 50, 60, 100, 120]);
  });
});

/**
 * The words and curves of the app's comparison across experiments (lib/cross.ts,
 * lib/plots/cross-curves.ts): how each cell says it was paired or why it was not, and that the
 * curves plot each picked variant's band per epoch completed (1-based), accuracies as percentages.
 */
import { describe, expect, it } from 'vitest';
import type { CrossComparison } from '../src/shared/api.js';
import { pairingNote, seedsText } from '../src/renderer/src/lib/cross.js';
import { crossCurvesFigure } from '../src/renderer/src/lib/plots/cross-curves.js';
import { DEFAULT_TOKENS } from '../src/renderer/src/lib/plots/theme.js';

describe('pairingNote', () => {
  it('says nothing for the baseline, the pairs behind a difference, and why there is none', () => {
    expect(pairingNote([1, 2], null, true)).toBeNull();
    expect(pairingNote([2, 3], { n: 2 }, false)).toBe('paired over 2 seeds');
    expect(pairingNote([2], { n: 1 }, false)).toBe('paired over 1 seed');
    expect(pairingNote([], null, false)).toBe('not paired: no seed in common with the baseline, so no difference');
    expect(pairingNote(undefined, null, false)).toBe('not paired: no seed in common with the baseline, so no difference');
    expect(pairingNote([4, 5], null, false)).toBe('no difference: this metric is missing at the 2 shared seeds');
  });

  it('lists seeds', () => {
    expect(seedsText([1, 2, 3])).toBe('seeds 1, 2, 3');
    expect(seedsText([7])).toBe('seed 7');
    expect(seedsText([])).toBe('no run ended healthy');
  });
});

const band = (mean: number[]) => ({
  x: mean.map((_, i) => i),
  mean,
  lower: mean.map((v) => v - 0.1),
  upper: mean.map((v) => v + 0.1),
  n: mean.map(() => 3),
});
const result: CrossComparison = {
  experiments: [
    { id: 'a-1', name: 'A', seeds: [1, 2, 3] },
    { id: 'b-2', name: 'B', seeds: [2, 3, 4] },
  ],
  comparison: {
    baseline: 'a-1/base',
    metrics: ['final.valLoss'],
    variants: [
      { variantId: 'a-1/base', label: 'A: base', metrics: {}, vsBaseline: null, statuses: {} },
      { variantId: 'b-2/base', label: 'B: base', metrics: {}, vsBaseline: {}, statuses: {} },
    ],
    curves: {
      'a-1/base': { valLoss: band([1, 0.8, 0.6]), valAccuracy: band([0.3, 0.5, 0.7]) },
      'b-2/base': { valLoss: band([1.1, 0.9]) },
    },
  },
  sharedSeeds: { 'b-2/base': [2, 3] },
};

describe('crossCurvesFigure', () => {
  it('draws each variant with the curve, at epochs completed', () => {
    const fig = crossCurvesFigure(result, 'valLoss', DEFAULT_TOKENS.light)!;
    const lines = fig.data.filter((t) => t.mode !== undefined && t.fill === undefined && t.hoverinfo !== 'skip');
    expect(lines.map((t) => t.meta)).toEqual(['a-1/base', 'b-2/base']);
    expect(lines[0].x).toEqual([1, 2, 3]);
    expect(lines[0].y).toEqual([1, 0.8, 0.6]);
    expect(lines[1].x).toEqual([1, 2]);
    // One band per variant (two of them, under the overlay's limit).
    expect(fig.data.filter((t) => t.fill === 'toself')).toHaveLength(2);
  });

  it('leaves out variants without the curve, shows accuracies as percentages, and is null without any', () => {
    const fig = crossCurvesFigure(result, 'valAccuracy', DEFAULT_TOKENS.light)!;
    expect(fig.data.filter((t) => t.fill === 'toself').map((t) => t.meta)).toEqual(['a-1/base']);
    expect((fig.layout.yaxis as { tickformat?: string }).tickformat).toBe('.0%');
    expect(crossCurvesFigure(result, 'trainAccuracy', DEFAULT_TOKENS.light)).toBeNull();
  });
});

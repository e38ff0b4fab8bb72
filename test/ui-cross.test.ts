/**
 * The words and curves of the app's comparison across experiments (lib/cross.ts,
 * lib/plots/cross-curves.ts): how each cell says it was paired, unpaired with Welch's interval, or
 * why it has no difference, and the same reason in the copies; the curves, built by the Compare
 * tab's own aggregation from each seed's epochs: the mean per epoch completed (checked by hand),
 * each seed's line on demand, the median best-epoch marker, hidden variants left out, and labels
 * for what cannot carry over across experiments (per-step loss, training times).
 */
import { describe, expect, it } from 'vitest';
import type { CrossComparison, CrossRunCurve } from '../src/shared/api.js';
import { crossDiffReason, pairingNote, seedsText } from '../src/renderer/src/lib/cross.js';
import { crossCurveData, crossCurvePanels, crossOverlay, type CrossCurveChoices } from '../src/renderer/src/lib/plots/cross-curves.js';
import { DEFAULT_TOKENS } from '../src/renderer/src/lib/plots/theme.js';

describe('pairingNote', () => {
  it('says nothing for the baseline, the pairs behind a difference, and why there is none', () => {
    expect(pairingNote([1, 2], null, true)).toBeNull();
    expect(pairingNote([2, 3], { n: 2 }, false)).toBe('paired over 2 seeds');
    expect(pairingNote([2], { n: 1, test: 'paired' }, false)).toBe('paired over 1 seed');
    expect(pairingNote([], null, false)).toBe('no difference: this variant or the baseline has no value of this metric');
    expect(pairingNote(undefined, null, false)).toBe('no difference: this variant or the baseline has no value of this metric');
    expect(pairingNote([4, 5], null, false)).toBe('no difference: this metric is missing at the 2 shared seeds');
  });

  it("labels an unpaired difference as Welch's, with its seeds and degrees of freedom", () => {
    expect(pairingNote([], { n: 4, test: 'welch', nBaseline: 3, df: 4.974153914100945, lower: 0.03 }, false)).toBe(
      'not paired (no seed shared): Welch, 4 vs 3 seeds, df 4.97',
    );
    expect(pairingNote([], { n: 1, test: 'welch', nBaseline: 3, df: null, lower: null }, false)).toBe(
      "not paired (no seed shared): Welch, 1 vs 3 seeds; Welch's interval needs 2 seeds or more on each side, so the difference of the means only",
    );
  });

  it('lists seeds', () => {
    expect(seedsText([1, 2, 3])).toBe('seeds 1, 2, 3');
    expect(seedsText([7])).toBe('seed 7');
    expect(seedsText([])).toBe('no run ended healthy');
  });
});

const epochs = (valLoss: number[], valAccuracy: number[] | null = null): CrossRunCurve['epochs'] =>
  valLoss.map((v, epoch) => ({
    epoch,
    trainLoss: v + 0.1,
    trainAccuracy: null,
    valLoss: v,
    valAccuracy: valAccuracy ? valAccuracy[epoch] : null,
    steps: 10,
    seconds: 2,
  }));
const iv = (mean: number) => ({ mean, sd: 0.1, lower: mean - 0.1, upper: mean + 0.1, n: 2, method: 't' as const });
const result: CrossComparison = {
  experiments: [
    { id: 'a-1', name: 'A', seeds: [1, 2] },
    { id: 'b-2', name: 'B', seeds: [7, 8] },
  ],
  comparison: {
    baseline: 'a-1/base',
    metrics: ['final.valLoss', 'test.accuracy'],
    variants: [
      { variantId: 'a-1/base', label: 'A: base', metrics: { 'final.valLoss': iv(0.6) }, vsBaseline: null, statuses: { completed: 2 } },
      {
        variantId: 'b-2/base',
        label: 'B: base',
        metrics: { 'final.valLoss': iv(0.7), 'test.accuracy': iv(0.8) },
        vsBaseline: { 'final.valLoss': null, 'test.accuracy': null },
        statuses: { completed: 2, diverged: 1 },
      },
    ],
    curves: {},
  },
  sharedSeeds: { 'b-2/base': [] },
  runs: {
    'a-1/base': [
      { seed: 1, bestEpoch: 2, stoppedEpoch: null, epochs: epochs([1, 0.8, 0.6], [0.3, 0.5, 0.7]) },
      { seed: 2, bestEpoch: 1, stoppedEpoch: 1, epochs: epochs([0.9, 0.6]) },
    ],
    'b-2/base': [
      { seed: 7, bestEpoch: 1, stoppedEpoch: null, epochs: epochs([1.1, 0.9]) },
      { seed: 8, bestEpoch: 1, stoppedEpoch: null, epochs: epochs([1.3, 0.7]) },
    ],
  },
};

const choices = (o: Partial<CrossCurveChoices> = {}): CrossCurveChoices => ({
  metric: 'loss',
  xAxis: 'epoch',
  logY: false,
  smoothing: 0,
  showSeeds: false,
  overlayRole: 'val',
  xRange: null,
  highlight: null,
  ...o,
});
const tokens = DEFAULT_TOKENS.light;
const all = ['a-1/base', 'b-2/base'];
const meanLines = (fig: { data: Array<Record<string, unknown>> }) =>
  fig.data.filter((t) => typeof t.name === 'string' && / · validation$/.test(t.name as string));

describe('crossDiffReason', () => {
  it("gives the table's reason for an empty difference cell, and leaves the rest to the table", () => {
    const why = crossDiffReason(result);
    const [base, other] = result.comparison.variants;
    expect(why(base, 'final.valLoss')).toBeNull();
    expect(why(other, 'final.valLoss')).toBe('no difference: this variant or the baseline has no value of this metric');
    // No value of its own: the table's default reason (no run has this metric).
    expect(why({ ...other, metrics: {} }, 'final.valLoss')).toBeNull();
  });
});

describe('the curves across experiments', () => {
  it('averages each epoch over the seeds that reached it, at epochs completed', () => {
    const d = crossCurveData(result, all, choices(), tokens);
    const fig = crossOverlay(d, all, choices(), tokens)!;
    const [a, b] = meanLines(fig);
    expect(a.meta).toBe('a-1/base');
    expect(a.x).toEqual([1, 2, 3]);
    // Epoch 1: (1 + 0.9) / 2; epoch 2: (0.8 + 0.6) / 2; epoch 3: seed 1 alone.
    (a.y as number[]).forEach((y, i) => expect(y).toBeCloseTo([0.95, 0.7, 0.6][i], 12));
    (b.y as number[]).forEach((y, i) => expect(y).toBeCloseTo([1.2, 0.8][i], 12));
    // Bands (two variants, under the overlay's limit), no seed lines.
    expect(fig.data.filter((t) => t.fill === 'toself')).toHaveLength(2);
    expect(fig.data.some((t) => / · seed /.test(String(t.name)))).toBe(false);
  });

  it("draws each seed's line on demand, in place of the band", () => {
    const c = choices({ showSeeds: true });
    const fig = crossOverlay(crossCurveData(result, all, c, tokens), all, c, tokens)!;
    const seeds = fig.data.filter((t) => / · seed /.test(String(t.name)));
    expect(seeds.map((t) => t.name)).toEqual(['A: base · seed 1', 'A: base · seed 2', 'B: base · seed 7', 'B: base · seed 8']);
    expect(seeds[1].y).toEqual([0.9, 0.6]);
    expect(fig.data.filter((t) => t.fill === 'toself')).toHaveLength(0);
  });

  it('marks the median best epoch and early stop, naming every seed', () => {
    const d = crossCurveData(result, all, choices(), tokens);
    const a = d.series.get('a-1/base')!;
    // Best epochs 2 and 1 (0-based): the lower middle, 1, drawn at epoch 2 completed.
    expect(a.markers!.find((m) => m.kind === 'best')).toEqual({
      kind: 'best',
      x: 2,
      text: 'best epoch 2, the median over 2 seeds<br>seed 1: 3, seed 2: 2',
    });
    expect(a.markers!.find((m) => m.kind === 'stopped')!.text).toBe('stopped early after epoch 2 (seed 2: 2)');
  });

  it('leaves hidden variants out of both figures, one panel per shown variant', () => {
    const shown = ['b-2/base'];
    const d = crossCurveData(result, shown, choices(), tokens);
    expect([...d.series.keys()]).toEqual(shown);
    const panels = crossCurvePanels(d, shown, choices(), tokens);
    expect(panels.panels.map((p) => p.variantId)).toEqual(shown);
    expect(meanLines(crossOverlay(d, shown, choices(), tokens)!).map((t) => t.meta)).toEqual(shown);
    const both = crossCurvePanels(crossCurveData(result, all, choices(), tokens), all, choices(), tokens);
    expect(both.panels.map((p) => p.variantId)).toEqual(all);
    // Shared ranges: both panels' x axis spans epochs 1 to 3.
    expect(both.xRange![0]).toBeLessThanOrEqual(1);
    expect(both.xRange![1]).toBeGreaterThanOrEqual(3);
  });

  it('shows accuracies as percentages, and is null when no shown variant has the curve', () => {
    const c = choices({ metric: 'accuracy' });
    const d = crossCurveData(result, all, c, tokens);
    const fig = crossOverlay(d, all, c, tokens)!;
    expect(meanLines(fig).map((t) => t.meta)).toEqual(['a-1/base']);
    expect((fig.layout.yaxis as { tickformat?: string }).tickformat).toBe('.0%');
    expect(crossOverlay(d, ['b-2/base'], c, tokens)).toBeNull();
    expect(d.yTitle).toBe('Accuracy (%)');
  });

  it('says what does not carry over: per-step losses, and times measured on other machines', () => {
    expect(crossCurveData(result, all, choices(), tokens).limits).toEqual([]);
    expect(crossCurveData(result, all, choices({ xAxis: 'step' }), tokens).limits).toEqual([
      "Training loss per epoch: each step's loss is not read across experiments (the experiment's own Compare tab has it).",
    ]);
    const time = crossCurveData(result, all, choices({ xAxis: 'time' }), tokens);
    expect(time.limits[1]).toMatch(/^Training time as each experiment measured it/);
    expect(crossCurveData(result, all, choices({ metric: 'accuracy', xAxis: 'step' }), tokens).limits).toEqual([]);
    // On the step axis an epoch's point sits at the steps done by its end: 10, 20, 30.
    const steps = crossOverlay(crossCurveData(result, all, choices({ xAxis: 'step' }), tokens), all, choices({ xAxis: 'step' }), tokens)!;
    expect(meanLines(steps)[0].x).toEqual([10, 20, 30]);
  });
});

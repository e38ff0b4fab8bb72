/**
 * Welch's unpaired difference (comparisons across experiments whose variants share no seed with
 * the baseline): the interval, degrees of freedom and p-value against values computed
 * independently of jstat by mpmath, at 50 digits (scripts/record-welch-reference.py, whose output
 * is pasted below: SciPy is not installed on this machine, so the t distribution is mpmath's
 * regularized incomplete beta, and its quantile a root of that CDF). Then its place in the
 * comparison: used only where no seed is shared and only when asked (across experiments),
 * labelled "welch", Holm-adjusted with the paired differences (by hand), within [-1, 1] for
 * accuracies, and the degenerate cases. jstat's t quantile at fractional degrees of freedom agrees
 * with mpmath's to a few parts in 1e9: bounds are checked to 1e-8 relative.
 */
import { describe, expect, it } from 'vitest';
import { compareSummaries } from '../src/services/experiments/compare.js';
import { welchDifference } from '../src/services/experiments/stats.js';
import type { RunSummary, Variant } from '../src/services/experiments/types.js';
import { welchInterval } from '../src/shared/intervals.js';

// /usr/bin/python3 scripts/record-welch-reference.py (mpmath 1.2.1), the "cases" array:
const REF: Array<{
  variant: number[];
  baseline: number[];
  bounds: [number, number] | null;
  mean: number;
  se: number;
  df: number;
  lower: number;
  upper: number;
  t: number;
  p: number;
}> = [
  {
    variant: [0.61, 0.58, 0.66, 0.7],
    baseline: [0.52, 0.47, 0.55],
    bounds: null,
    mean: 0.12416666666666663,
    se: 0.035365158623204926,
    df: 4.974153914100945,
    lower: 0.033115370150930044,
    upper: 0.21521796318240324,
    t: 3.510988540715732,
    p: 0.017229149245079168,
  },
  {
    variant: [0.9, 1.0],
    baseline: [1.2, 1.9, 0.7, 1.4, 2.3],
    bounds: null,
    mean: -0.5499999999999999,
    se: 0.2819574435974337,
    df: 4.24605307356399,
    lower: -1.315269001914556,
    upper: 0.2152690019145564,
    t: -1.9506489808627485,
    p: 0.11874573727122144,
  },
  {
    variant: [0.99, 0.2, 0.98],
    baseline: [0.05, 0.9],
    bounds: [-1, 1],
    mean: 0.24833333333333332,
    se: 0.49910197132227174,
    df: 1.7744410970790268,
    lower: -1.0,
    upper: 1.0,
    t: 0.497560313527561,
    p: 0.6735361386684928,
  },
];

const close = (actual: number | null, expected: number, rel = 1e-8) =>
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)));

describe("Welch's interval and test, against mpmath", () => {
  it.each(REF.map((c) => [c.variant.length, c.baseline.length, c] as const))('%i vs %i seeds', (_nv, _nb, c) => {
    const range = c.bounds ? 'unit' : 'real';
    const w = welchInterval(c.variant, c.baseline, range);
    close(w.mean, c.mean, 1e-12);
    close(w.se, c.se, 1e-12);
    close(w.df, c.df, 1e-12);
    close(w.lower, c.lower);
    close(w.upper, c.upper);
    expect([w.nVariant, w.nBaseline]).toEqual([c.variant.length, c.baseline.length]);
    const d = welchDifference(c.baseline, c.variant, 0.95, range);
    close(d.t, c.t, 1e-12);
    close(d.pValue, c.p, 1e-8);
    close(d.ci!.lower, c.lower);
    close(d.ci!.upper, c.upper);
    expect(d.note).toBeNull();
  });

  it('keeps a difference of accuracies within [-1, 1], and not other differences', () => {
    const c = REF[2];
    expect([welchInterval(c.variant, c.baseline, 'unit').lower, welchInterval(c.variant, c.baseline, 'unit').upper]).toEqual([-1, 1]);
    // Unbounded, the same interval leaves [-1, 1] on both sides (the recorded half-width is > 1.25).
    const raw = welchInterval(c.variant, c.baseline, 'positive');
    expect(raw.lower!).toBeLessThan(-1);
    expect(raw.upper!).toBeGreaterThan(1);
  });

  it('has no interval with fewer than 2 seeds on a side, and a point without spread', () => {
    const one = welchDifference([0.5], [0.6, 0.7]);
    close(one.mean, 0.15, 1e-12);
    expect([one.ci, one.df, one.pValue]).toEqual([null, null, null]);
    expect(one.note).toMatch(/2 seeds or more on each side/);
    const flat = welchDifference([0.5, 0.5], [0.7, 0.7]);
    close(flat.mean, 0.2, 1e-12);
    expect(flat.ci).toEqual({ lower: flat.mean, upper: flat.mean });
    expect([flat.df, flat.pValue]).toEqual([null, 0]);
    expect(flat.note).toMatch(/degenerate/);
    const none = welchDifference([], [0.7, 0.7]);
    expect(none.mean).toBeNull();
    const diverged = welchDifference([0.5, NaN, 0.6], [0.7, 0.8]);
    expect(diverged.nBaseline).toBe(2);
    expect(diverged.note).toMatch(/1 values are not finite/);
  });
});

describe('Welch in the comparison', () => {
  const epoch = (valLoss: number) => ({
    epoch: 2,
    lr: 0.1,
    trainLoss: valLoss,
    trainAccuracy: 0.5,
    valLoss,
    valAccuracy: 0.5,
    penalty: 0,
    steps: 10,
    seconds: 1,
  });
  const run = (variantId: string, seed: number, valLoss: number) =>
    ({
      runId: `${variantId}-${seed}`,
      variantId,
      seed,
      status: 'completed',
      stopReason: '',
      epochsRun: 3,
      steps: 30,
      bestEpoch: 2,
      stoppedEpoch: null,
      restoredBestWeights: false,
      weightsEpoch: 2,
      divergedAtStep: null,
      final: epoch(valLoss),
      best: epoch(valLoss),
      test: null,
      timings: { startedAt: '', finishedAt: '', seconds: 1, samplesPerSec: 100 },
      weightsSha256: null,
      kernels: 'naive',
      threads: 1,
      engineVersion: '0.1.0',
    }) as unknown as RunSummary;
  const variants: Variant[] = ['x/base', 'x/paired', 'y/far'].map((id) => ({ id, label: id, factors: {} }));
  // The baseline and "paired" at seeds 1-3; "far" at seeds 7-10, sharing none: REF[0] with the
  // baseline's and far's values as recorded.
  const base = REF[0].baseline;
  const far = REF[0].variant;
  const pairedValues = [0.5, 0.49, 0.6];
  const summaries = [
    ...base.map((v, i) => run('x/base', i + 1, v)),
    ...pairedValues.map((v, i) => run('x/paired', i + 1, v)),
    ...far.map((v, i) => run('y/far', i + 7, v)),
  ];

  it('gives the variant without a shared seed a Welch difference, Holm-adjusted with the paired one', () => {
    const cmp = compareSummaries(variants, summaries, 'x/base', [], { welchWhenUnpaired: true });
    const farDiff = cmp.variants[2].vsBaseline!['final.valLoss']!;
    expect(farDiff.test).toBe('welch');
    expect(farDiff.method).toBe('welch-t');
    expect([farDiff.n, farDiff.nBaseline]).toEqual([4, 3]);
    close(farDiff.mean, REF[0].mean, 1e-12);
    close(farDiff.df!, REF[0].df, 1e-12);
    close(farDiff.p, REF[0].p, 1e-8);
    // A loss: the difference is not bounded (losses differ by any amount), so the recorded interval as it is.
    close(farDiff.lower, REF[0].lower);
    close(farDiff.upper, REF[0].upper);
    expect([farDiff.dz, farDiff.seedsFor80, farDiff.sd]).toEqual([null, null, null]);

    // The paired one by hand: differences -0.02, 0.02, 0.05: mean 0.05/3, sd sqrt(0.00123333...).
    const pairedDiff = cmp.variants[1].vsBaseline!['final.valLoss']!;
    expect(pairedDiff.test).toBe('paired');
    const diffs = pairedValues.map((v, i) => v - base[i]);
    const m = diffs.reduce((a, b) => a + b, 0) / 3;
    close(pairedDiff.mean, m, 1e-12);
    const sd = Math.sqrt(diffs.reduce((a, d) => a + (d - m) ** 2, 0) / 2);
    close(pairedDiff.sd, sd, 1e-12);
    // Holm over the two: the smaller p doubled, the larger kept (or the doubled smaller when larger).
    const [lo, hi] = [pairedDiff.p!, farDiff.p!].sort((a, b) => a - b);
    const adjusted = new Map([
      [lo, Math.min(1, 2 * lo)],
      [hi, Math.max(Math.min(1, 2 * lo), hi)],
    ]);
    close(pairedDiff.pHolm, adjusted.get(pairedDiff.p!)!, 1e-12);
    close(farDiff.pHolm, adjusted.get(farDiff.p!)!, 1e-12);
  });

  it('leaves the variant without a shared seed with no difference when not asked (one experiment)', () => {
    const cmp = compareSummaries(variants, summaries, 'x/base');
    expect(cmp.variants[2].vsBaseline!['final.valLoss']).toBeNull();
    // Holm then counts only the paired comparison: its raw p.
    const d = cmp.variants[1].vsBaseline!['final.valLoss']!;
    expect(d.pHolm).toBe(d.p);
  });

  it('never mixes in Welch where the runs share seeds but this metric is missing at them', () => {
    // The baseline's test accuracy at seed 1 only, "paired"'s at seeds 2 and 3: no pair, but the
    // runs share seeds, so no unpaired difference either (a run without the value is not another sample).
    const withTest = (s: RunSummary, accuracy: number | null) => ({ ...s, test: accuracy === null ? null : { loss: 1, accuracy, n: 10 } });
    const mixed = summaries.map((s) =>
      s.variantId === 'x/base'
        ? withTest(s, s.seed === 1 ? 0.5 : null)
        : s.variantId === 'x/paired'
          ? withTest(s, s.seed === 1 ? null : 0.6)
          : withTest(s, 0.7),
    );
    const cmp = compareSummaries(variants, mixed, 'x/base', [], { welchWhenUnpaired: true });
    expect(cmp.variants[1].vsBaseline!['test.accuracy']).toBeNull();
    // "far" shares no seed at all: Welch, over the baseline's one value (no interval with 1 seed).
    const far = cmp.variants[2].vsBaseline!['test.accuracy']!;
    expect([far.test, far.n, far.nBaseline, far.lower, far.p]).toEqual(['welch', 4, 1, null, null]);
    expect(far.mean).toBeCloseTo(0.2, 12);
  });

  it('pairs whenever a seed is shared, even one', () => {
    const one = [...summaries, run('y/far', 1, 0.7)];
    const cmp = compareSummaries(variants, one, 'x/base', [], { welchWhenUnpaired: true });
    const d = cmp.variants[2].vsBaseline!['final.valLoss']!;
    expect(d.test).toBe('paired');
    expect(d.n).toBe(1);
    expect(d.p).toBeNull();
  });
});

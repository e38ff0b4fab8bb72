/**
 * Curve summaries (area under the validation curve, epochs to a target, epoch of best) against
 * hand computations: trapezoid areas of small curves worked out on paper, first epochs read off
 * the curves, the default target's rule applied by hand, and the comparison's intervals and
 * paired differences equal to the interval methods (checked against SciPy in
 * stats-bounded.test.ts) applied to the hand-computed per-run values.
 */
import { describe, expect, it } from 'vitest';
import { compareSummaries, withCurveSummaries } from '../src/services/experiments/compare.js';
import {
  areaPerEpoch,
  curveSummaryValues,
  defaultTarget,
  firstReaching,
  validationCurve,
  type RunCurve,
} from '../src/services/experiments/curve-summaries.js';
import type { EpochCache, EpochRecord } from '../src/services/experiments/epochs.js';
import type { RunSummary, Variant } from '../src/services/experiments/types.js';
import type { LoadedExperiment } from '../src/services/store/reader.js';
import { curveTargetText, metricDirection, metricLabel } from '../src/renderer/src/lib/metrics.js';
import { differenceInterval, meanInterval } from '../src/shared/intervals.js';

const pts = (ys: number[], x0 = 1) => ys.map((y, i) => ({ x: x0 + i, y }));

function epochs(acc: number[], loss = acc.map((a) => 1 - a)): EpochRecord[] {
  return acc.map((a, i) => ({
    kind: 'epoch',
    epoch: i,
    lr: 0.1,
    trainLoss: loss[i],
    trainAccuracy: a,
    valLoss: loss[i],
    valAccuracy: a,
    penalty: 0,
    steps: 10,
    seconds: 1,
  }));
}

describe('area under the validation curve, per epoch', () => {
  it('is the trapezoid area over the span', () => {
    // (1 + 0.5)/2 + (0.5 + 0.25)/2 = 1.125 over 2 epochs.
    expect(areaPerEpoch(pts([1, 0.5, 0.25]))).toBeCloseTo(0.5625, 15);
    // Uneven x: (2 - 1)(0 + 1)/2 + (4 - 2)(1 + 1)/2 = 2.5 over 3.
    expect(
      areaPerEpoch([
        { x: 1, y: 0 },
        { x: 2, y: 1 },
        { x: 4, y: 1 },
      ]),
    ).toBeCloseTo(2.5 / 3, 15);
  });

  it('is the value itself for one epoch, null for none or a non-finite point', () => {
    expect(areaPerEpoch(pts([0.42]))).toBe(0.42);
    expect(areaPerEpoch([])).toBeNull();
    expect(areaPerEpoch(pts([0.5, Number.NaN]))).toBeNull();
  });

  it('keeps an accuracy curve in [0, 1]', () => {
    expect(areaPerEpoch(pts([0, 1, 1, 1]))).toBeCloseTo(2.5 / 3, 15);
  });
});

describe('epochs to a target and the validation curve', () => {
  it('finds the first epoch reaching the target in the better direction', () => {
    expect(firstReaching(pts([0.5, 0.8, 0.7, 0.9]), 0.8, true)).toBe(2);
    expect(firstReaching(pts([0.5, 0.8, 0.7, 0.9]), 0.95, true)).toBeNull();
    expect(firstReaching(pts([2, 1, 0.4, 0.3]), 0.4, false)).toBe(3);
  });

  it('numbers epochs from 1, keeps the last record of an epoch and skips missing values', () => {
    const e = epochs([0.1, 0.2, 0.3]);
    e.push({ ...e[1], valAccuracy: 0.25 });
    e[2] = { ...e[2], valAccuracy: null };
    expect(validationCurve(e, 'valAccuracy')).toEqual([
      { x: 1, y: 0.1 },
      { x: 2, y: 0.25 },
    ]);
  });
});

const summary = (variantId: string, seed: number, bestEpoch: number | null) => ({ variantId, seed, bestEpoch });

describe('the default target', () => {
  it('is 90% of the highest variant mean best accuracy, rounded down to a percent', () => {
    // Best accuracies: a 0.9 and 0.8 (mean 0.85), b 0.6 and 0.7 (mean 0.65); 0.9 * 0.85 = 0.765.
    const runs: RunCurve[] = [
      { summary: summary('a', 0, 1), epochs: epochs([0.5, 0.9]) },
      { summary: summary('a', 1, 1), epochs: epochs([0.7, 0.8]) },
      { summary: summary('b', 0, 1), epochs: epochs([0.5, 0.6]) },
      { summary: summary('b', 1, 0), epochs: epochs([0.7, 0.65]) },
    ];
    expect(defaultTarget(runs)).toMatchObject({ metric: 'valAccuracy', value: 0.76 });
  });

  it('without accuracy, is 110% of the lowest variant mean lowest loss, rounded up to 3 digits', () => {
    const lossOnly = (loss: number[]) =>
      epochs(
        loss.map(() => 0),
        loss,
      ).map((e) => ({ ...e, valAccuracy: null, trainAccuracy: null }));
    // Lowest losses: a 0.2 and 0.2 (mean 0.2), b 0.3 and 0.4 (mean 0.35); 1.1 * 0.2 = 0.22.
    const runs: RunCurve[] = [
      { summary: summary('a', 0, 1), epochs: lossOnly([0.5, 0.2]) },
      { summary: summary('a', 1, 1), epochs: lossOnly([0.2, 0.3]) },
      { summary: summary('b', 0, 1), epochs: lossOnly([0.9, 0.3]) },
      { summary: summary('b', 1, 1), epochs: lossOnly([0.4, 0.5]) },
    ];
    expect(defaultTarget(runs)).toMatchObject({ metric: 'valLoss', value: 0.22 });
    const { values } = curveSummaryValues(runs);
    expect(values.has('curve.valAccuracyArea')).toBe(false);
    // a reaches 0.22 at epochs 2 and 1; b never.
    expect([...values.get('curve.epochsToTarget')!.get('a')!]).toEqual([
      [0, 2],
      [1, 1],
    ]);
    expect(values.get('curve.epochsToTarget')!.has('b')).toBe(false);
  });

  it('is absent without validation curves', () => {
    const none = epochs([0.5]).map((e) => ({ ...e, valAccuracy: null, valLoss: null }));
    expect(defaultTarget([{ summary: summary('a', 0, null), epochs: none }])).toBeNull();
  });
});

describe('curve summaries in the comparison', () => {
  // Validation accuracy curves by variant and seed; seed 3 of b diverged (not a result).
  const curves: Record<string, number[][]> = {
    base: [
      [0.5, 0.7, 0.9],
      [0.4, 0.6, 0.8],
      [0.6, 0.8, 1.0],
    ],
    b: [
      [0.7, 0.9, 0.9],
      [0.6, 0.8, 0.9],
      [0.8, 0.9, 0.95],
      [0.9, 0.9, 0.9],
    ],
  };
  // By hand: areas per epoch ((y1 + y2)/2 + (y2 + y3)/2) / 2.
  const areas = { base: [0.7, 0.6, 0.8], b: [0.85, 0.775, 0.8875] };
  const best = (acc: number[]) => acc.indexOf(Math.max(...acc));
  const runSummary = (variantId: string, seed: number) =>
    ({
      runId: `${variantId}-${seed}`,
      variantId,
      seed,
      status: variantId === 'b' && seed === 3 ? 'diverged' : 'completed',
      bestEpoch: best(curves[variantId][seed]),
      epochsRun: 3,
      final: null,
      best: null,
      test: null,
      timings: { startedAt: '', finishedAt: '', seconds: 1, samplesPerSec: 1 },
    }) as unknown as RunSummary;
  const runs = Object.entries(curves).flatMap(([v, list]) =>
    list.map((_, seed) => ({ summary: runSummary(v, seed), path: `${v}-${seed}` })),
  );
  const loaded = { runs } as unknown as LoadedExperiment;
  const cache = {
    epochsOf: async (run: { path: string }) => {
      const [v, seed] = run.path.split('-');
      return epochs(curves[v][Number(seed)]);
    },
  } as unknown as EpochCache;
  const variants: Variant[] = ['base', 'b'].map((id) => ({ id, label: id, factors: {} }));
  const base = compareSummaries(
    variants,
    runs.map((r) => r.summary),
    'base',
  );

  it('gives each variant the interval of its runs’ areas and the paired difference', async () => {
    const cmp = await withCurveSummaries(loaded, base, { cache });
    expect(cmp.metrics).toEqual([
      'epochsRun',
      'seconds',
      'curve.valLossArea',
      'curve.valAccuracyArea',
      'curve.epochsToTarget',
      'curve.epochsToBest',
    ]);
    const [b0, b1] = [cmp.variants[0], cmp.variants[1]];
    const area = b0.metrics['curve.valAccuracyArea'];
    const expected = meanInterval(areas.base, 'unit');
    expect(area.n).toBe(3);
    expect(area.mean).toBeCloseTo(0.7, 12);
    expect(area.lower).toBeCloseTo(expected.lower!, 12);
    expect(area.upper).toBeCloseTo(expected.upper!, 12);
    expect(area.method).toBe('logit-t');
    const d = b1.vsBaseline!['curve.valAccuracyArea']!;
    const diffs = [0.15, 0.175, 0.0875];
    expect(d.n).toBe(3);
    expect(d.mean).toBeCloseTo(0.1375, 12);
    expect(d.upper).toBeCloseTo(differenceInterval(diffs, 'unit').upper!, 12);
    expect(d.pHolm).toBe(d.p);
    // The loss curves are 1 - accuracy: areas 1 - area.
    expect(b1.metrics['curve.valLossArea'].mean).toBeCloseTo(1 - (0.85 + 0.775 + 0.8875) / 3, 12);
  });

  it('counts epochs to the default target and the runs that reached it', async () => {
    const cmp = await withCurveSummaries(loaded, base, { cache });
    // Best: base 0.9, 0.8, 1.0 (mean 0.9), b 0.9, 0.9, 0.95 (mean 0.91667); 0.9 * 0.91667 = 0.825 -> 0.82.
    expect(cmp.curveTarget).toMatchObject({
      metric: 'valAccuracy',
      value: 0.82,
      reached: { base: { reached: 2, runs: 3 }, b: { reached: 3, runs: 3 } },
    });
    // base reaches 0.82 at epochs 3, never, 3; b at 2, 3, 2.
    expect(cmp.variants[0].metrics['curve.epochsToTarget']).toMatchObject({ n: 2, mean: 3 });
    expect(cmp.variants[1].metrics['curve.epochsToTarget'].mean).toBeCloseTo(7 / 3, 12);
    // Paired on seeds 0 and 2 only: 2 - 3 both times.
    expect(cmp.variants[1].vsBaseline!['curve.epochsToTarget']).toMatchObject({ n: 2, mean: -1 });
  });

  it('takes a given target and reads the epoch of best from the summaries', async () => {
    const cmp = await withCurveSummaries(loaded, base, { cache, target: 0.9 });
    expect(cmp.curveTarget).toMatchObject({ value: 0.9, rule: 'given', reached: { base: { reached: 2 } } });
    // b reaches 0.9 at 2, 3, 2; best epochs (first maximum, from 1): 2, 3, 3.
    expect(cmp.variants[1].metrics['curve.epochsToTarget'].mean).toBeCloseTo(7 / 3, 12);
    expect(cmp.variants[1].metrics['curve.epochsToBest'].mean).toBeCloseTo(8 / 3, 12);
    expect(cmp.variants[0].metrics['curve.epochsToBest'].mean).toBe(3);
  });

  it('leaves the comparison it extends unchanged', async () => {
    const before = JSON.stringify(base);
    await withCurveSummaries(loaded, base, { cache });
    expect(JSON.stringify(base)).toBe(before);
  });
});

describe('the results table’s words for curve summaries', () => {
  const target = {
    metric: 'valAccuracy' as const,
    value: 0.85,
    rule: 'given',
    reached: { a: { reached: 2, runs: 3 }, b: { reached: 3, runs: 3 } },
  };

  it('names the target and counts the runs that missed it', () => {
    const text = curveTargetText(target, (id) => id.toUpperCase());
    expect(text).toContain('val. accuracy ≥ 85%');
    expect(text).toContain('A 2/3, B 3/3');
    expect(text).toMatch(/optimistic/);
    const all = curveTargetText({ ...target, reached: { a: { reached: 3, runs: 3 } } });
    expect(all).toContain('Every run reached it.');
  });

  it('labels the metrics and knows which way is better', () => {
    expect(metricLabel('curve.epochsToTarget')).toBe('Epochs to target');
    expect(metricDirection('curve.epochsToTarget')).toBe('lower');
    expect(metricDirection('curve.valAccuracyArea')).toBe('higher');
    expect(metricDirection('curve.valLossArea')).toBe('lower');
    expect(metricDirection('curve.epochsToBest')).toBeNull();
  });
});

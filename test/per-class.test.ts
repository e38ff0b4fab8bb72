/**
 * Per-class results: the engine's confusion matrices of the kept weights (checked end to end
 * against the recorded accuracies and an independent eval-mode prediction of every row), and the
 * statistics over seeds of src/shared/per-class.ts against hand computations.
 */
import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../src/engine/config/validate.js';
import { Predictor } from '../src/engine/inference/predictor.js';
import { ConfusionCounter, predictedClass } from '../src/engine/train/confusion.js';
import { trainInProcess } from '../src/engine/train/trainer.js';
import { meanInterval } from '../src/shared/intervals.js';
import { classDifferences, f1Of, perClassResults, precisionOf, recallOf, variantClasses } from '../src/shared/per-class.js';
import type { RunSummary } from '../src/shared/types/experiment.js';
import { classData, spiral } from './helpers/toy-data.js';

function summary(seed: number, m: number[][] | null | undefined, over: Partial<RunSummary> = {}): RunSummary {
  return {
    runId: `r${seed}`,
    variantId: 'v',
    seed,
    status: 'completed',
    stopReason: '',
    epochsRun: 3,
    steps: 9,
    bestEpoch: 2,
    stoppedEpoch: null,
    restoredBestWeights: false,
    weightsEpoch: 2,
    divergedAtStep: null,
    final: null,
    best: null,
    test: null,
    ...(m === undefined ? {} : { confusion: m === null ? null : { epoch: 2, classNames: ['a', 'b', 'c'], validation: m, test: m } }),
    timings: { startedAt: '', finishedAt: '', seconds: 0, samplesPerSec: 0 },
    weightsSha256: null,
    kernels: 'naive',
    threads: 1,
    engineVersion: 'test',
    ...over,
  };
}

describe('confusion counting', () => {
  it('predicts as the losses score: first maximum for softmax, logit > 0 for a one-output sigmoid', () => {
    expect(predictedClass('softmax', [0.1, 0.7, 0.7, -1], 0, 4)).toBe(1);
    expect(predictedClass('softmax', [9, 9, 1, 2, 3], 2, 3)).toBe(2);
    expect(predictedClass('sigmoid', [0], 0, 1)).toBe(0);
    expect(predictedClass('sigmoid', [1e-6], 0, 1)).toBe(1);
  });

  it('counts rows by true and predicted class', () => {
    const c = new ConfusionCounter('softmax', 3, 3);
    // rows: true 0 -> pred 0, true 0 -> pred 2, true 2 -> pred 2, true 1 -> pred 0
    c.add(Float32Array.from([5, 0, 0, 0, 0, 1, 0, 0, 3, 2, 1, 0]), Int32Array.from([0, 0, 2, 1]), 4);
    expect(c.matrix()).toEqual([
      [1, 0, 1],
      [1, 0, 0],
      [0, 0, 1],
    ]);
  });
});

describe('the engine records the matrices of the kept weights', () => {
  const data = () => {
    const { x, y } = spiral(60, 3, 2);
    return classData(x, y, 2, 1, 0.25, 0.2);
  };
  const config = (earlyStopping: unknown) =>
    validateRunConfig({
      seed: 5,
      model: {
        inputSize: 2,
        hidden: [{ width: 16, activation: 'tanh' }],
        outputSize: 3,
        head: 'softmax',
        init: { weights: 'glorot_uniform', bias: 'zeros' },
      },
      train: { epochs: 12, batchSize: 16, optimizer: { name: 'adam', lr: 0.02 }, earlyStopping },
    });

  it.each([
    ['without early stopping (last epoch)', null],
    ['with restored best weights', { monitor: 'val_loss', patience: 2, restoreBestWeights: true }],
  ])('%s: sums to the split size, diagonal/total = recorded accuracy, rows predicted independently', (_, es) => {
    const d = data();
    const { outcome, model } = trainInProcess(config(es), d);
    expect(outcome.restoredBestWeights).toBe(es !== null);
    if (es) expect(outcome.bestEpoch).toBeLessThan(outcome.epochs.at(-1)!.epoch);
    const c = outcome.confusion!;
    const kept = outcome.restoredBestWeights ? outcome.bestEpoch! : outcome.epochs.at(-1)!.epoch;
    expect(c.epoch).toBe(kept);
    const keptMetrics = outcome.epochs.find((e) => e.epoch === kept)!;
    const sum = (m: number[][]) => m.flat().reduce((a, b) => a + b, 0);
    const diag = (m: number[][]) => m.reduce((a, row, i) => a + row[i], 0);
    expect(sum(c.validation!)).toBe(d.validation.length);
    expect(sum(c.test!)).toBe(d.test.length);
    expect(diag(c.validation!) / d.validation.length).toBeCloseTo(keptMetrics.valAccuracy!, 12);
    expect(diag(c.test!) / d.test.length).toBeCloseTo(outcome.test!.accuracy!, 12);
    // Independently: the predictor's eval-mode logits of the kept weights, row by row.
    const predictor = new Predictor(model);
    const expected = [0, 1, 2].map(() => [0, 0, 0]);
    const x = new Float32Array(d.test.length * 2);
    d.test.forEach((i, r) => x.set(d.features.subarray(i * 2, i * 2 + 2), r * 2));
    const z = predictor.predict(x, d.test.length);
    d.test.forEach((i, r) => {
      const row = Array.from(z.subarray(r * 3, r * 3 + 3));
      expected[d.labels![i]][row.indexOf(Math.max(...row))] += 1;
    });
    expect(c.test).toEqual(expected);
  });

  it('has none for a regression head', () => {
    const cfg = validateRunConfig({
      seed: 1,
      model: {
        inputSize: 2,
        hidden: [{ width: 4, activation: 'tanh' }],
        outputSize: 1,
        head: 'linear',
        init: { weights: 'glorot_uniform', bias: 'zeros' },
      },
      train: { epochs: 1, batchSize: 8, optimizer: { name: 'sgd', lr: 0.01 } },
    });
    const n = 40;
    const x = new Float32Array(new SharedArrayBuffer(n * 8)).map((_, i) => Math.sin(i));
    const v = new Float32Array(new SharedArrayBuffer(n * 4)).map((_, i) => Math.cos(i));
    const idx = (a: number, b: number) => Int32Array.from({ length: b - a }, (_, i) => a + i);
    const { outcome } = trainInProcess(cfg, {
      features: x,
      d: 2,
      labels: null,
      values: v,
      width: 1,
      train: idx(0, 30),
      validation: idx(30, 40),
      test: idx(0, 0),
    });
    expect(outcome.confusion).toBeNull();
  });
});

describe('per-class statistics over seeds', () => {
  // Two seeds, three classes, by hand:
  const a = [
    [8, 2, 0],
    [1, 3, 0],
    [0, 0, 0],
  ]; // class 2 absent from the split, never predicted
  const b = [
    [6, 2, 2],
    [0, 4, 0],
    [1, 0, 1],
  ];

  it('recall, precision and F1 of one matrix', () => {
    expect(recallOf(a, 0)).toBeCloseTo(0.8, 15);
    expect(precisionOf(a, 0)).toBeCloseTo(8 / 9, 15);
    expect(f1Of(a, 0)).toBeCloseTo(16 / 19, 15); // 2*8 / (16 + 1 + 2)
    expect(recallOf(a, 2)).toBeUndefined();
    expect(precisionOf(a, 2)).toBeUndefined();
    expect(f1Of(a, 2)).toBeUndefined();
    expect(precisionOf(b, 2)).toBe(1 / 3);
    expect(f1Of(b, 2)).toBeCloseTo(2 / (2 + 2 + 1), 15);
  });

  it('averages over seeds, leaves undefined fractions out, and keeps every interval in [0, 1]', () => {
    const v = variantClasses('v', [summary(1, a), summary(2, b)], 'test');
    expect(v.seeds).toEqual([1, 2]);
    expect(v.rows).toBe(15); // (14 + 16) / 2
    expect(v.counts[0][0].mean).toBe(7);
    expect(v.normalized[0][1].mean).toBeCloseTo((0.2 + 0.2) / 2, 15);
    expect(v.normalized[0][0].mean).toBeCloseTo((0.8 + 0.6) / 2, 15);
    // Same values as the shared bounded interval of [0.8, 0.6] on the logit scale.
    const iv = meanInterval([0.8, 0.6], 'unit');
    expect(v.recall[0]).toEqual({ n: 2, mean: iv.mean, lower: iv.lower, upper: iv.upper });
    // Class 2: only seed 2 has it.
    expect(v.recall[2]).toMatchObject({ n: 1, mean: 0.5, lower: null, upper: null });
    expect(v.normalized[2][0].n).toBe(1);
    // Recall of class 1: 3/4 and 1, precision 3/5 and 4/6.
    expect(v.recall[1].mean).toBeCloseTo(0.875, 15);
    expect(v.precision[1].mean).toBeCloseTo((0.6 + 4 / 6) / 2, 15);
    for (const c of [...v.normalized.flat(), ...v.recall, ...v.precision, ...v.f1]) {
      if (c.lower === null || c.upper === null) continue;
      expect(c.lower).toBeGreaterThanOrEqual(0);
      expect(c.upper).toBeLessThanOrEqual(1);
    }
  });

  it('counts old runs as not recorded, never as zeros, and skips runs without kept weights', () => {
    const v = variantClasses('v', [summary(1, undefined), summary(2, a), summary(3, a, { status: 'diverged', confusion: null })], 'test');
    expect(v.notRecorded).toBe(1);
    expect(v.seeds).toEqual([2]);
    const none = perClassResults(['v'], [summary(1, undefined)], 'validation');
    expect(none.classNames).toEqual([]);
    expect(none.variants[0]).toMatchObject({ notRecorded: 1, seeds: [], rows: null, counts: [] });
  });

  it('pairs the recall difference by seed: hand-computed mean and t-interval', () => {
    const base = [summary(1, a), summary(2, b), summary(3, b)];
    const m3 = [
      [9, 1, 0],
      [0, 4, 0],
      [0, 1, 1],
    ];
    const other = [summary(1, b), summary(2, m3), summary(4, m3)].map((s) => ({ ...s, variantId: 'w' }));
    const d = classDifferences(base, other, 'test');
    // Class 0 pairs (seeds 1, 2): 0.6 - 0.8 = -0.2 and 0.9 - 0.6 = 0.3: mean 0.05, sd = 0.5/sqrt(2),
    // half-width t(0.975, 1) * sd / sqrt(2) = 12.7062 * 0.25 = 3.1766, clipped to [-1, 1].
    expect(d.recall[0].n).toBe(2);
    expect(d.recall[0].mean).toBeCloseTo(0.05, 12);
    expect(d.recall[0].lower).toBe(-1);
    expect(d.recall[0].upper).toBe(1);
    // Class 2: absent at seed 1 in the baseline; seed 2: 0.5 - 0.5 = 0.
    expect(d.recall[2]).toMatchObject({ n: 1, mean: 0, lower: null });
  });
});

describe("the per-class view's numbers", () => {
  it('formats shares, point differences and interval signs', async () => {
    const { cellParts, differenceSign, pct, pp } = await import('../src/renderer/src/lib/per-class-text.js');
    expect(pct(0.9734)).toBe('97.3%');
    expect(pp(0.042)).toBe('+4.2 pp');
    expect(pp(-0.008)).toBe('−0.8 pp');
    expect(pp(1e-17)).toBe('0.0 pp');
    expect(cellParts({ n: 3, mean: 0.5, lower: 0.25, upper: 0.75 }, pct)).toEqual({ mean: '50.0%', interval: '[25.0%, 75.0%]' });
    expect(cellParts({ n: 1, mean: 0.5, lower: null, upper: null }, pct)).toEqual({ mean: '50.0%', interval: 'n = 1' });
    expect(cellParts({ n: 0, mean: null, lower: null, upper: null }, pct).mean).toBe('—');
    expect(differenceSign({ n: 3, mean: 0.1, lower: 0.01, upper: 0.2 })).toBe(1);
    expect(differenceSign({ n: 3, mean: -0.1, lower: -0.2, upper: -0.01 })).toBe(-1);
    expect(differenceSign({ n: 3, mean: 0.1, lower: -0.01, upper: 0.2 })).toBe(0);
  });
});

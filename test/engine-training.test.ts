/**
 * Whole trainings in process: a spiral reaches a stated accuracy, the same seed gives bitwise
 * identical weights, early stopping follows Keras 3 on scripted sequences and restores the best
 * weights, divergence stops the run with the step, partial and one-sample batches, cancel. Accuracy
 * and same-seed determinism are checked on every kernel set.
 */
import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../src/engine/config/validate.js';
import { EarlyStopping } from '../src/engine/train/early-stopping.js';
import { LrSchedule } from '../src/engine/optim/schedule.js';
import { kernelFactory } from '../src/engine/kernels/select.js';
import { trainInProcess } from '../src/engine/train/trainer.js';
import { testKernelSetNames } from './helpers/kernel-sets.js';
import { classData, regressionData, spiral } from './helpers/toy-data.js';

const spiralData = () => {
  const { x, y } = spiral(150, 3, 1);
  return classData(x, y, 2, 1, 0.2, 0.1);
};

function spiralConfig(over: { train?: Record<string, unknown>; seed?: number; hidden?: unknown[] } = {}) {
  return validateRunConfig({
    seed: over.seed ?? 3,
    model: {
      inputSize: 2,
      hidden: over.hidden ?? [
        { width: 48, activation: 'relu' },
        { width: 48, activation: 'tanh' },
      ],
      outputSize: 3,
      head: 'softmax',
      init: { weights: 'he_uniform', bias: 'zeros' },
    },
    train: { epochs: 40, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 }, ...over.train },
  });
}

describe('end-to-end training', () => {
  it.each(testKernelSetNames())('learns a 3-arm spiral to at least 0.95 validation accuracy (%s kernels)', (set) => {
    const { outcome } = trainInProcess(spiralConfig(), spiralData(), { kernels: kernelFactory(set) });
    expect(outcome.status).toBe('completed');
    const last = outcome.epochs.at(-1)!;
    expect(last.valAccuracy!).toBeGreaterThanOrEqual(0.95);
    expect(last.trainLoss).toBeLessThan(outcome.epochs[0].trainLoss / 3);
    expect(outcome.test!.n).toBe(45);
    expect(outcome.test!.accuracy!).toBeGreaterThanOrEqual(0.9);
  });

  it.each(testKernelSetNames())(
    'gives bitwise identical weights for the same seed and different ones for another seed (%s kernels)',
    (set) => {
      const hidden = [
        { width: 16, activation: 'relu', dropout: 0.2 },
        { width: 16, activation: 'elu', batchNorm: 'pre' },
      ];
      const kernels = kernelFactory(set);
      const a = trainInProcess(spiralConfig({ hidden, train: { epochs: 3 } }), spiralData(), { kernels });
      const b = trainInProcess(spiralConfig({ hidden, train: { epochs: 3 } }), spiralData(), { kernels });
      const c = trainInProcess(spiralConfig({ hidden, seed: 4, train: { epochs: 3 } }), spiralData(), { kernels });
      expect(a.model.params).toEqual(b.model.params);
      expect(a.model.weightsSha256).toBe(b.model.weightsSha256);
      expect(a.model.weightsSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(c.model.weightsSha256).not.toBe(a.model.weightsSha256);
    },
  );

  it('stops with status diverged and the step when the loss explodes', () => {
    const cfg = validateRunConfig({
      seed: 1,
      model: {
        inputSize: 3,
        hidden: [{ width: 16, activation: 'relu' }],
        outputSize: 2,
        head: 'linear',
        init: { weights: 'he_uniform', bias: 'zeros' },
      },
      train: { epochs: 50, batchSize: 16, optimizer: { name: 'sgd', lr: 50, momentum: 0.9 } },
    });
    const { outcome } = trainInProcess(cfg, regressionData(128, 3, 2, 5));
    expect(outcome.status).toBe('diverged');
    expect(outcome.divergedAtStep).toBeGreaterThan(0);
    expect(outcome.stopReason).toMatch(/diverged at step \d+/);
    expect(outcome.steps).toBe(outcome.divergedAtStep);
    expect(outcome.test).toBeNull();
  });

  it('keeps a partial last batch, drops it with dropLast, and never feeds one sample to batch norm', () => {
    const { x, y } = spiral(11, 3, 2); // 33 rows
    const data = classData(x, y, 2, 1, 0, 0);
    const steps = (train: Record<string, unknown>, hidden?: unknown[]) =>
      trainInProcess(spiralConfig({ hidden, train: { epochs: 1, ...train } }), data).outcome.steps;
    expect(steps({ batchSize: 8 })).toBe(5); // 8+8+8+8+1
    expect(steps({ batchSize: 8, dropLast: true })).toBe(4);
    expect(steps({ batchSize: 8 }, [{ width: 8, activation: 'relu', batchNorm: 'pre' }])).toBe(4);
    expect(steps({ batchSize: 16 }, [{ width: 8, activation: 'relu', batchNorm: 'pre' }])).toBe(2); // 16+16, the 1 is skipped
  });

  it('cancels within one step', () => {
    let seen = 0;
    const { outcome } = trainInProcess(spiralConfig({ train: { epochs: 5 } }), spiralData(), { shouldCancel: () => ++seen >= 3 });
    expect(outcome.status).toBe('cancelled');
    expect(outcome.steps).toBe(4);
  });
});

describe('early stopping (Keras 3 semantics)', () => {
  const es = (o: Record<string, unknown> = {}) =>
    new EarlyStopping({ monitor: 'val_loss', minDelta: 0, patience: 2, restoreBestWeights: true, startFromEpoch: 0, ...o });

  it('waits `patience` epochs without improvement, then stops', () => {
    const e = es();
    const seq = [1.0, 0.8, 0.85, 0.9];
    const decisions = seq.map((v, i) => e.onEpochEnd(i, v));
    expect(decisions.map((d) => d.stop)).toEqual([false, false, false, true]);
    expect(e.bestEpoch).toBe(1);
    expect(e.stoppedEpoch).toBe(3);
    expect(decisions.map((d) => d.snapshot)).toEqual([true, true, false, false]);
    expect(e.shouldRestore).toBe(true);
  });

  it('treats an improvement smaller than min_delta as none', () => {
    const e = es({ minDelta: 0.1, patience: 1 });
    expect(e.onEpochEnd(0, 1.0).stop).toBe(false);
    expect(e.onEpochEnd(1, 0.95).stop).toBe(true);
    expect(e.best).toBe(1.0);
  });

  it('maximizes accuracy monitors and ignores epochs before start_from_epoch', () => {
    const e = es({ monitor: 'val_accuracy', patience: 1, startFromEpoch: 2 });
    expect(e.onEpochEnd(0, 0.1)).toEqual({ snapshot: false, stop: false });
    expect(e.onEpochEnd(1, 0.9)).toEqual({ snapshot: false, stop: false });
    expect(e.onEpochEnd(2, 0.5)).toEqual({ snapshot: true, stop: false });
    expect(e.onEpochEnd(3, 0.4).stop).toBe(true);
    expect(e.bestEpoch).toBe(2);
  });

  it('never stops at epoch 0 even with patience 0', () => {
    const e = es({ patience: 0 });
    expect(e.onEpochEnd(0, 1).stop).toBe(false);
    expect(e.onEpochEnd(1, 2).stop).toBe(true);
  });

  it('restores the weights of the best epoch in a real training', () => {
    // A very high learning rate after a good start makes validation loss worse: the best epoch is early.
    const cfg = spiralConfig({ train: { epochs: 30, earlyStopping: { monitor: 'val_loss', patience: 3, restoreBestWeights: true } } });
    const full = trainInProcess(cfg, spiralData());
    const o = full.outcome;
    expect(o.restoredBestWeights).toBe(true);
    expect(o.bestEpoch).not.toBeNull();
    // Re-run with exactly best+1 epochs and no early stopping: the weights must be identical.
    const replay = trainInProcess(spiralConfig({ train: { epochs: o.bestEpoch! + 1 } }), spiralData());
    expect(full.model.weightsSha256).toBe(replay.model.weightsSha256);
    if (o.status === 'early_stopped') expect(o.stoppedEpoch).toBe(o.epochs.length - 1);
  });
});

describe('learning-rate schedules', () => {
  it('step, cosine and plateau follow torch.optim.lr_scheduler', () => {
    const step = new LrSchedule({ name: 'step', stepSize: 2, gamma: 0.5 }, 0.1, 10);
    expect([0, 1, 2, 3, 4].map((e) => step.rateForEpoch(e))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
    const cos = new LrSchedule({ name: 'cosine', etaMin: 0.01 }, 0.1, 4);
    expect(cos.rateForEpoch(0)).toBeCloseTo(0.1, 12);
    expect(cos.rateForEpoch(2)).toBeCloseTo(0.055, 12);
    expect(cos.rateForEpoch(4)).toBeCloseTo(0.01, 12);
    const plateau = new LrSchedule({ name: 'plateau', patience: 1, factor: 0.5 }, 0.1, 10);
    for (const v of [1, 0.9, 0.95, 0.95]) plateau.onEpochEnd(v);
    expect(plateau.rateForEpoch(4)).toBeCloseTo(0.05, 12);
  });
});

describe('Predictor (eval-mode inference)', () => {
  it('reproduces the validation accuracy and loss the trainer reported, with batch norm and dropout', async () => {
    const { Predictor } = await import('../src/engine/inference/predictor.js');
    const hidden = [
      { width: 32, activation: 'relu', batchNorm: 'pre', dropout: 0.2 },
      { width: 32, activation: 'tanh', batchNorm: 'post' },
    ];
    const data = spiralData();
    const { outcome, model } = trainInProcess(spiralConfig({ hidden, train: { epochs: 5 } }), data);
    const p = new Predictor(model, { maxBatch: 7 });
    const rows = data.validation.length;
    const x = new Float32Array(rows * 2);
    data.validation.forEach((idx, r) => x.set(data.features.subarray(idx * 2, idx * 2 + 2), r * 2));
    const probs = p.predict(x, rows, true);
    let loss = 0;
    let correct = 0;
    data.validation.forEach((idx, r) => {
      const row = probs.subarray(r * 3, r * 3 + 3);
      loss -= Math.log(row[data.labels![idx]]);
      if (row.indexOf(Math.max(...row)) === data.labels![idx]) correct++;
      expect(row.reduce((a, b) => a + b)).toBeCloseTo(1, 6);
    });
    const last = outcome.epochs.at(-1)!;
    expect(correct / rows).toBeCloseTo(last.valAccuracy!, 10);
    expect(loss / rows).toBeCloseTo(last.valLoss!, 5);
  });
});

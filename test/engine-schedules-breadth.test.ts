/**
 * The exponential and one-cycle schedules and linear warmup against the per-epoch rates torch 1.13
 * gives (ExponentialLR, OneCycleLR with cosine annealing and cycle_momentum off,
 * SequentialLR([LinearLR, schedule]); scripts/record-pytorch-reference.py), the rate each epoch of
 * a real run reports, and the configuration errors (fields named, what is expected).
 * Tolerance: 1e-12 relative; torch multiplies recursively where the engine uses closed forms.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ScheduleConfig, WarmupConfig } from '../src/engine/config/types.js';
import { validateRunConfig } from '../src/engine/config/validate.js';
import { kernelFactory } from '../src/engine/kernels/select.js';
import { LrSchedule, oneCycleRate } from '../src/engine/optim/schedule.js';
import { trainInProcess } from '../src/engine/train/trainer.js';
import { classData, spiral } from './helpers/toy-data.js';

interface RecordedSchedule {
  epochs: number;
  lr: number;
  schedule: ScheduleConfig;
  warmup: WarmupConfig | null;
  lrs: number[];
}
const ref: { schedules: RecordedSchedule[] } = JSON.parse(
  readFileSync(new URL('./fixtures/pytorch-reference.json', import.meta.url), 'utf8'),
);

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.abs(b) + 1e-18;

describe('schedules against torch.optim.lr_scheduler', () => {
  for (const r of ref.schedules) {
    const label = `${JSON.stringify(r.schedule)}${r.warmup ? ` after warmup ${JSON.stringify(r.warmup)}` : ''}, ${r.epochs} epochs`;
    it(label, () => {
      const s = new LrSchedule(r.schedule, r.lr, r.epochs, r.warmup);
      const ours = r.lrs.map((_, e) => s.rateForEpoch(e));
      for (let e = 0; e < r.epochs; e++) expect(close(ours[e], r.lrs[e]), `epoch ${e}: ${ours[e]} vs ${r.lrs[e]}`).toBe(true);
    });
  }

  it('one-cycle by hand: 10 epochs, pctStart 0.3 -> up over epochs 0..2, down over 2..9', () => {
    // Phase 1 ends at step 0.3 * 10 - 1 = 2: cos(pi * 1/2) = 0 gives the midpoint at step 1.
    expect(oneCycleRate(1, 0, 10, 0.3, 25, 1e4)).toBeCloseTo(0.04, 15);
    expect(oneCycleRate(1, 1, 10, 0.3, 25, 1e4)).toBeCloseTo((0.04 + 1) / 2, 15);
    expect(oneCycleRate(1, 2, 10, 0.3, 25, 1e4)).toBe(1);
    expect(oneCycleRate(1, 9, 10, 0.3, 25, 1e4)).toBeCloseTo(0.04 / 1e4, 18);
  });
});

describe('a run reports the scheduled rate of every epoch', () => {
  it('warmup then exponential', () => {
    const { x, y } = spiral(40, 3, 1);
    const cfg = validateRunConfig({
      seed: 1,
      model: {
        inputSize: 2,
        hidden: [{ width: 8, activation: 'relu' }],
        outputSize: 3,
        head: 'softmax',
        init: { weights: 'he_uniform', bias: 'zeros' },
      },
      train: {
        epochs: 6,
        batchSize: 16,
        optimizer: { name: 'sgd', lr: 0.1 },
        schedule: { name: 'exponential', gamma: 0.5 },
        warmup: { epochs: 2, startFactor: 0.5 },
      },
    });
    const { outcome } = trainInProcess(cfg, classData(x, y, 2, 1, 0.2, 0.1), { kernels: kernelFactory('naive') });
    const lrs = outcome.epochs.map((e) => e.lr);
    [0.05, 0.075, 0.1, 0.05, 0.025, 0.0125].forEach((want, e) => expect(lrs[e]).toBeCloseTo(want, 15));
  });
});

describe('configuration errors', () => {
  const config = (train: Record<string, unknown>) =>
    validateRunConfig({
      seed: 1,
      model: { inputSize: 2, hidden: [], outputSize: 2, head: 'softmax', init: { weights: 'zeros', bias: 'zeros' } },
      train: { epochs: 10, batchSize: 4, optimizer: { name: 'sgd', lr: 0.1 }, ...train },
    });
  it.each([
    [{ schedule: { name: 'exponential' } }, /train\.schedule\.gamma: is required for the exponential schedule/],
    [{ schedule: { name: 'onecycle', pctStart: 0.1 } }, /train\.schedule\.pctStart: pctStart x train\.epochs is exactly 1/],
    [{ schedule: { name: 'onecycle', pctStart: 1 } }, /train\.schedule\.pctStart: must be .*below 1, got 1/],
    [{ schedule: { name: 'plateau' }, warmup: { epochs: 2 } }, /train\.warmup: cannot precede the plateau schedule/],
    [{ schedule: { name: 'onecycle' }, warmup: { epochs: 2 } }, /train\.warmup: cannot precede the onecycle schedule/],
    [{ warmup: { epochs: 10 } }, /train\.warmup\.epochs: must be fewer than train\.epochs \(10\), got 10/],
    [{ warmup: { epochs: 2, startFactor: 0 } }, /train\.warmup\.startFactor: must be .*above 0/],
    [{ warmup: { epochs: 2, typo: 1 } }, /train\.warmup\.typo: is not a known field/],
    [{ warmup: {} }, /train\.warmup\.epochs/],
  ])('%j is rejected naming the field', (train, message) => {
    expect(() => config(train)).toThrow(message);
  });

  it('accepts warmup before constant, step, cosine and exponential', () => {
    for (const schedule of [{ name: 'constant' }, { name: 'step', stepSize: 2 }, { name: 'cosine' }, { name: 'exponential', gamma: 0.9 }])
      expect(config({ schedule, warmup: { epochs: 3 } }).train.warmup).toEqual({ epochs: 3 });
  });
});

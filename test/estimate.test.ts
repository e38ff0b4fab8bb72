/**
 * The design tab's time estimate (issue 13, item 3): the run-time formula, the schedule it is
 * combined by, the calibration's blocks, spread and length, and the range, against hand
 * computations; the estimate calibrated on the pool and the store's rehearsal are checked for
 * shape (positive, a range around it, the team sizes the policy will use), never for speed: how
 * close it comes to a real run is measured by `npm run bench -- --only estimate`.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WorkerPool } from '../src/engine/parallel/pool.js';
import {
  estimateOnPool,
  estimateRange,
  experimentOverhead,
  laneTime,
  runSeconds,
  simulateSchedule,
  stepsPerEpoch,
} from '../src/services/experiments/estimate.js';
import {
  blockMeans,
  CALIBRATION_EPOCHS,
  logSpread,
  MAX_CALIBRATION_EPOCHS,
  nextCalibrationEpochs,
  warmupEpochs,
} from '../src/services/experiments/estimate-calibration.js';
import { timeStoreRun, weightBytes } from '../src/services/experiments/estimate-host.js';
import { expandExperiment } from '../src/services/experiments/spec/expand.js';
import { validateExperiment } from '../src/services/experiments/spec/validate.js';
import type { PlannedRun } from '../src/services/experiments/types.js';
import { spiralSpec } from './helpers/experiments.js';

const workerPath = fileURLToPath(new URL('../out/engine/worker.js', import.meta.url));
const embeddedDir = fileURLToPath(new URL('../resources/runtime/mnist', import.meta.url));

const spec = (width: number, seeds: number[], extra: Record<string, unknown> = {}) =>
  validateExperiment(
    spiralSpec('estimate', {
      model: {
        inputSize: 2,
        hidden: [
          { width, activation: 'relu' },
          { width, activation: 'relu' },
        ],
        outputSize: 3,
        head: 'softmax',
        init: { weights: 'he_uniform', bias: 'zeros' },
      },
      train: { epochs: 5, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } },
      compare: undefined,
      seeds,
      ...extra,
    }),
    'estimate.json',
  );

describe('the run-time formula', () => {
  it('adds a fixed cost per run, and per epoch a fixed cost (validation included) and the steps', () => {
    const [run] = expandExperiment(spec(16, [1])).runs;
    // 100 training rows at batch 32: 4 steps (the partial last batch is kept), 5 epochs.
    expect(runSeconds(run.config, 100, { run: 0.5, epoch: 0.01, seconds: 0.003 })).toBeCloseTo(0.5 + 5 * (0.01 + 4 * 0.003), 12);
  });

  it("puts the run's config write before its signal on the main thread, and training and the other writes after", () => {
    const [run] = expandExperiment(spec(16, [1])).runs;
    const t = laneTime(run.config, 100, { run: 0.5, epoch: 0.01, seconds: 0.003, signal: 0.07 }, { before: 0.02, after: 0.03 });
    expect(t.before).toBe(0.02);
    expect(t.host).toBe(0.07);
    // 0.5 + 5 x (0.01 + 4 x 0.003) on the worker, then 0.03 of writes.
    expect(t.after).toBeCloseTo(0.5 + 0.11 + 0.03, 12);
  });

  it('counts the steps of an epoch with the partial last batch, or without it under dropLast', () => {
    const [run] = expandExperiment(spec(16, [1])).runs;
    expect(stepsPerEpoch(run.config, 100)).toBe(4); // 32 + 32 + 32 + 4
    expect(stepsPerEpoch({ ...run.config, train: { ...run.config.train, dropLast: true } }, 100)).toBe(3);
  });

  it('adds the data loading and opening and closing the folder to the schedule', () => {
    expect(experimentOverhead(0.2, { open: 0.02, close: 0.03 })).toBeCloseTo(0.25, 12);
  });

  it("sizes a run's weights file as its float32 weights and biases", () => {
    const [run] = expandExperiment(spec(16, [1])).runs;
    // 2-16-16-3: (2*16 + 16) + (16*16 + 16) + (16*3 + 3) = 371 values.
    expect(weightBytes(run.config)).toBe(4 * 371);
  });
});

describe('the calibration', () => {
  it('groups consecutive epochs into blocks at least the given length, a short remainder joining the last block', () => {
    // [0.01, 0.02] reaches 0.03; [0.03] alone; the remainder [0.005, 0.001] (0.006) joins it: 0.036 / 3.
    const blocks = blockMeans([0.01, 0.02, 0.03, 0.005, 0.001], 0.025);
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toBeCloseTo(0.015, 15);
    expect(blocks[1]).toBeCloseTo(0.012, 15);
    // Too short for one full block: one block of everything; no minimum: one block per epoch.
    expect(blockMeans([0.001, 0.002], 1)).toEqual([0.0015]);
    expect(blockMeans([0.004, 0.002], 0)).toEqual([0.004, 0.002]);
  });

  it('drops the first epoch, and the ones after it still above 1.5 x the late median, at most half the run', () => {
    // Late half [1, 1, 1, 1], median 1: 9 and 8 are above 1.5, the fourth epoch is not.
    expect(warmupEpochs([10, 9, 8, 1, 1, 1, 1, 1])).toBe(3);
    expect(warmupEpochs([5, 1, 1, 1])).toBe(1);
    // 1.4 is within 1.5 x 1: only the first epoch.
    expect(warmupEpochs([1, 1.4, 1, 1])).toBe(1);
    // Late half [9, 1, 1], median 1: every slow epoch counts, but at most 3 of 6.
    expect(warmupEpochs([9, 9, 9, 9, 1, 1])).toBe(3);
    expect(warmupEpochs([2, 1])).toBe(1);
  });

  it('measures the spread as the sample standard deviation of the logarithms', () => {
    // ln 1 = 0, ln e = 1: mean 0.5, ((0.5)^2 + (0.5)^2) / (2 - 1) = 0.5.
    expect(logSpread([1, Math.E])).toBeCloseTo(Math.sqrt(0.5), 14);
    // The same on any scale: 3 and 3e differ by the same factor.
    expect(logSpread([3, 3 * Math.E])).toBeCloseTo(Math.sqrt(0.5), 14);
    // 0, 1, 2: mean 1, (1 + 0 + 1) / 2 = 1.
    expect(logSpread([1, Math.E, Math.E ** 2])).toBeCloseTo(1, 14);
    expect(logSpread([0.002, 0.002, 0.002])).toBeCloseTo(0, 14);
    expect(logSpread([0.002])).toBe(0);
  });

  it('trains as many more epochs as reach the least timed length, plus the warm-up epoch, within bounds', () => {
    // 0.03 s timed at 0.007 s an epoch: (0.15 - 0.03) / 0.007 = 17.1, so 18 epochs, plus 1 warm-up.
    expect(nextCalibrationEpochs(0.03, 0.007)).toBe(19);
    expect(nextCalibrationEpochs(0.15, 0.007)).toBe(0);
    expect(nextCalibrationEpochs(0.4, 0.007)).toBe(0);
    // One more long epoch would do: still a pilot's length.
    expect(nextCalibrationEpochs(0.1, 0.3)).toBe(CALIBRATION_EPOCHS);
    // A microsecond epoch: 150,001 wanted, capped.
    expect(nextCalibrationEpochs(0, 1e-6)).toBe(MAX_CALIBRATION_EPOCHS);
    expect(nextCalibrationEpochs(0, 0)).toBe(MAX_CALIBRATION_EPOCHS);
  });

  it('puts the range a factor e^(2 x spread) either side, the bottom from the shortest early-stopped length', () => {
    // e^0.2 = 1.221402758...
    const r = estimateRange(10, 10, 0.1);
    expect(r.low).toBeCloseTo(10 / 1.2214027581601699, 12);
    expect(r.high).toBeCloseTo(12.214027581601699, 12);
    expect(estimateRange(10, 4, 0.1).low).toBeCloseTo(4 / 1.2214027581601699, 12);
    expect(estimateRange(10, 10, 0)).toEqual({ low: 10, high: 10 });
    // However large the spread, the bottom stays above zero: e^-10 x 10 = 4.54e-4.
    expect(estimateRange(10, 10, 5).low).toBeCloseTo(10 * Math.exp(-10), 15);
    expect(estimateRange(10, 10, 5).low).toBeGreaterThan(0);
  });
});

describe("the runner's schedule", () => {
  const runs = (width: number, n: number) =>
    expandExperiment(
      spec(
        width,
        Array.from({ length: n }, (_, i) => i + 1),
      ),
    ).runs;

  it('runs as many runs as workers side by side, one worker each, in grid order', () => {
    const threads: number[] = [];
    const seconds = (r: PlannedRun, t: number) => (threads.push(t), [3, 1, 1, 2, 5][r.seed - 1]);
    // Lanes: A takes 3, B takes 1; B frees at 1 and takes 1 (ends 2), then 2 (ends 4); A frees at 3 and takes 5 (ends 8).
    expect(simulateSchedule(runs(512, 5), 2, seconds)).toBe(8);
    expect(threads).toEqual([1, 1, 1, 1, 1]);
  });

  it('has the lanes take turns on the main thread for the part of a run that runs there', () => {
    const t = { before: 0.1, host: 0.5, after: 2 };
    // A: main 0.1-0.6, ends 2.6. B: writes end at 0.1 but the main thread is busy until 0.6: main
    // 0.6-1.1, ends 3.1. A again at 2.6: writes to 2.7, main 2.7-3.2 (free since 1.1), ends 5.2.
    expect(simulateSchedule(runs(16, 3), 2, () => t)).toBeCloseTo(5.2, 12);
    // Without the shared main thread B would end at 2.6: the wait is the difference.
    expect(simulateSchedule(runs(16, 2), 2, () => t)).toBeCloseTo(3.1, 12);
  });

  it('gives a lone large run both workers, a lone small one a single worker', () => {
    const seen: number[] = [];
    simulateSchedule(runs(512, 1), 2, (_r, t) => (seen.push(t), 1));
    simulateSchedule(runs(16, 1), 2, (_r, t) => (seen.push(t), 1));
    expect(seen).toEqual([2, 1]);
  });
});

describe.skipIf(!existsSync(workerPath))('the estimate, calibrated on the pool', () => {
  it('is a positive time inside its range, from calibrations at the team sizes the runs will get', async () => {
    const pool = new WorkerPool({ workerPath, size: 2 });
    try {
      const s = spec(16, [1, 2, 3]);
      const e = await estimateOnPool(expandExperiment(s).runs, pool, s, embeddedDir);
      expect(e.seconds).toBeGreaterThan(0);
      expect(e.low).toBeGreaterThan(0);
      expect(e.low).toBeLessThan(e.seconds);
      expect(e.high).toBeGreaterThan(e.seconds);
      expect(e.earlyStopping).toBe(false);
      expect(e.calibrated.map((c) => c.threads)).toEqual([1]);
      expect(e.calibrated[0].stepSeconds).toBeGreaterThan(0);
      const lone = spec(512, [1], {
        train: { epochs: 2, batchSize: 32, optimizer: { name: 'adam', lr: 0.001 }, earlyStopping: { patience: 0 } },
      });
      const l = await estimateOnPool(expandExperiment(lone).runs, pool, lone, embeddedDir);
      expect(l.calibrated.map((c) => c.threads)).toEqual([2]);
      expect(l.earlyStopping).toBe(true);
    } finally {
      await pool.shutdown();
    }
  });
});

describe('the rehearsal of the store', () => {
  it("times a run's store work before and after training, and opening and closing the experiment", async () => {
    const s = spec(16, [1]);
    const [run] = expandExperiment(s).runs;
    const splits = { train: 210, validation: 45, test: 45 };
    const stored = { data: { name: 'spiral', rows: 300, features: 2, splits }, kernels: 'wasm' as const, threads: 1 };
    const cost = await timeStoreRun(s, run, stored, splits.train);
    // Zero would mean the rehearsal failed (the estimate then leaves the store out).
    expect(cost.open).toBeGreaterThan(0);
    expect(cost.before).toBeGreaterThan(0);
    expect(cost.after).toBeGreaterThan(0);
    expect(cost.close).toBeGreaterThan(0);
  });
});

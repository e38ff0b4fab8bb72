/**
 * The design tab's time estimate (issue 13, item 3): the run-time formula and the schedule it is
 * combined by, against hand computations; the estimate calibrated on the pool is checked for
 * shape (positive, a range around it, the team sizes the policy will use), never for speed: how
 * close it comes to a real run is measured by `npm run bench -- --only estimate`.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WorkerPool } from '../src/engine/parallel/pool.js';
import { estimateOnPool, experimentOverhead, laneTime, runSeconds, simulateSchedule } from '../src/services/experiments/estimate.js';
import { weightBytes } from '../src/services/experiments/estimate-host.js';
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

  it('adds the data loading and one run of writes (opening and closing the folder) to the schedule', () => {
    expect(experimentOverhead(0.2, { before: 0.02, after: 0.03 })).toBeCloseTo(0.25, 12);
  });

  it("sizes a run's weights file as its float32 weights and biases", () => {
    const [run] = expandExperiment(spec(16, [1])).runs;
    // 2-16-16-3: (2*16 + 16) + (16*16 + 16) + (16*3 + 3) = 371 values.
    expect(weightBytes(run.config)).toBe(4 * 371);
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
      expect(e.low).toBeLessThanOrEqual(e.seconds);
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

/**
 * How runs share the pool (issue 13, item 4). The defect: the runner did file I/O before each
 * submit, so the pool saw one run at a time and gave the first every worker while the others
 * queued; the CLI printed "started" for queued runs and timings.startedAt recorded the queue time.
 * Now the scheduling policy (src/engine/parallel/policy.ts) gives one worker per run while there
 * are at least as many runs as workers, a team only to a run with workers to spare and a step
 * large enough; a run starts (run-started, startedAt) when its team does. Checked through the
 * order of events, never through durations.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateRunConfig } from '../src/engine/config/validate.js';
import { planModel } from '../src/engine/model/plan.js';
import { WorkerPool } from '../src/engine/parallel/pool.js';
import { projectionProducts, TEAM_MIN_FLOPS_PER_STEP, trainingFlopsPerStep, workersForRun } from '../src/engine/parallel/policy.js';
import { startExperiment } from '../src/services/experiments/runner.js';
import type { ExperimentEvent as RunnerEvent } from '../src/shared/types/events.js';
import { validateExperiment } from '../src/services/experiments/spec/validate.js';
import { ExperimentStore } from '../src/services/store/experiment-store.js';
import { spiralSpec } from './helpers/experiments.js';
import { classData, spiral } from './helpers/toy-data.js';

const workerPath = fileURLToPath(new URL('../out/engine/worker.js', import.meta.url));
const embeddedDir = fileURLToPath(new URL('../resources/runtime/mnist', import.meta.url));

let pool: WorkerPool;
beforeAll(() => {
  if (!existsSync(workerPath)) throw new Error(`missing ${workerPath}: run npm run build:engine first`);
  pool = new WorkerPool({ workerPath, size: 2 });
});
afterAll(() => pool?.shutdown());

/** Two hidden layers of `width`: 512 makes a step of 50 MFLOP at batch 32, 16 one of 0.06 MFLOP. */
const hidden = (width: number) => [
  { width, activation: 'relu' },
  { width, activation: 'relu' },
];

function experiment(name: string, width: number, seeds: number[], epochs = 2) {
  return validateExperiment(
    spiralSpec(name, {
      model: { inputSize: 2, hidden: hidden(width), outputSize: 3, head: 'softmax', init: { weights: 'he_uniform', bias: 'zeros' } },
      train: { epochs, batchSize: 32, optimizer: { name: 'adam', lr: 0.001 } },
      compare: undefined,
      seeds,
    }),
    `${name}.json`,
  );
}

async function run(spec: ReturnType<typeof experiment>) {
  const events: RunnerEvent[] = [];
  const store = new ExperimentStore(mkdtempSync(path.join(tmpdir(), 'ablate-sched-')));
  const job = await startExperiment(spec, { pool, store, embeddedDir, onEvent: (e) => events.push(e) });
  const summaries = await job.done;
  return { events, summaries };
}

const started = (events: RunnerEvent[]) =>
  events.filter((e) => e.type === 'run-started') as Array<Extract<RunnerEvent, { type: 'run-started' }>>;

describe('the scheduling policy', () => {
  const cfg = (width: number) =>
    validateRunConfig({
      seed: 1,
      model: { inputSize: 2, hidden: hidden(width), outputSize: 3, head: 'softmax', init: { weights: 'he_uniform', bias: 'zeros' } },
      train: { epochs: 1, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } },
    });

  it('counts the FLOPs of a training step: 6 x (sum of in x out) x batch', () => {
    expect(trainingFlopsPerStep(cfg(512))).toBe(6 * (2 * 512 + 512 * 512 + 512 * 3) * 32);
    expect(trainingFlopsPerStep(cfg(512))).toBeGreaterThan(TEAM_MIN_FLOPS_PER_STEP);
    expect(trainingFlopsPerStep(cfg(16))).toBeLessThan(TEAM_MIN_FLOPS_PER_STEP);
  });

  it('counts a residual projection P like a linear layer, and only where the widths differ', () => {
    const res = (widths: number[]) =>
      validateRunConfig({
        seed: 1,
        model: {
          inputSize: 2,
          hidden: widths.map((width) => ({ width, activation: 'relu', residual: true })),
          outputSize: 3,
          head: 'softmax',
          init: { weights: 'he_uniform', bias: 'zeros' },
        },
        train: { epochs: 1, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } },
      });
    // 2 -> 16 (P 16x2) -> 16 (identity skip) -> 8 (P 8x16) -> 3. By hand: P's have 32 + 128 = 160 weights,
    // the plan allocates them (tensor sizes 2*16+16 + 16*16+16 + 16*8+8 + 8*3+3 = 483, plus 160).
    const c = res([16, 16, 8]);
    expect(projectionProducts(c)).toBe(160);
    const plan = planModel(c.model);
    expect(plan.params.reduce((n, p) => n + p.size, 0)).toBe(483 + 160);
    expect(plan.hidden.map((h) => h.projection?.shape ?? null)).toEqual([[16, 2], null, [8, 16]]);
    expect(trainingFlopsPerStep(c)).toBe(6 * (2 * 16 + 16 * 16 + 16 * 8 + 8 * 3 + 160) * 32);
  });

  it('gives one worker per run while runs are as many as workers, a team only to a large lone run', () => {
    expect(workersForRun({ workers: 2, concurrentRuns: 2, config: cfg(512) })).toBe(1);
    expect(workersForRun({ workers: 2, concurrentRuns: 5, config: cfg(512) })).toBe(1);
    expect(workersForRun({ workers: 2, concurrentRuns: 1, config: cfg(512) })).toBe(2);
    expect(workersForRun({ workers: 4, concurrentRuns: 2, config: cfg(512) })).toBe(2);
    expect(workersForRun({ workers: 2, concurrentRuns: 1, config: cfg(16) })).toBe(1);
  });

  it('is the pool default for runs submitted without a team size', async () => {
    const { x, y } = spiral(50, 3, 1);
    const data = classData(x, y, 2, 1, 0.2, 0);
    const p = new WorkerPool({ workerPath, size: 2 });
    try {
      p.addDataset('d', { features: data.features, d: 2, labels: data.labels, values: null, width: 1 });
      const submit = (width: number) =>
        p.submit({ config: cfg(width), datasetId: 'd', train: data.train, validation: data.validation, test: data.test }).result;
      const [a, b] = await Promise.all([submit(512), submit(512)]);
      expect([a.threads, b.threads]).toEqual([1, 1]);
      expect((await submit(512)).threads).toBe(2);
      expect((await submit(16)).threads).toBe(1);
    } finally {
      await p.shutdown();
    }
  });
});

describe('runs of an experiment share the workers', () => {
  it('two large runs train at once on one worker each (the first used to take both)', async () => {
    const { events, summaries } = await run(experiment('share', 512, [1, 2]));
    expect(started(events).map((e) => e.threads)).toEqual([1, 1]);
    // Both started before either finished: they trained side by side.
    const firstFinish = events.findIndex((e) => e.type === 'run-finished');
    expect(events.filter((e, i) => e.type === 'run-started' && i < firstFinish)).toHaveLength(2);
    expect(summaries.map((s) => s.threads)).toEqual([1, 1]);
  });

  it('a lone large run gets both workers, a lone small one a single worker', async () => {
    expect(started((await run(experiment('alone-large', 512, [1]))).events).map((e) => e.threads)).toEqual([2]);
    expect(started((await run(experiment('alone-small', 16, [1]))).events).map((e) => e.threads)).toEqual([1]);
  });

  it('a run queued behind busy workers starts, and records its start, when its team does', async () => {
    const { x, y } = spiral(200, 3, 2);
    const data = classData(x, y, 2, 1, 0.2, 0);
    pool.addDataset('blocker', { features: data.features, d: 2, labels: data.labels, values: null, width: 1 });
    // Occupy both workers; the experiment's run waits in the pool's queue until the blocker ends.
    const blocker = pool.submit({
      config: validateRunConfig({
        seed: 1,
        model: { inputSize: 2, hidden: hidden(256), outputSize: 3, head: 'softmax', init: { weights: 'he_uniform', bias: 'zeros' } },
        train: { epochs: 3, batchSize: 32, optimizer: { name: 'adam', lr: 0.001 } },
      }),
      datasetId: 'blocker',
      train: data.train,
      validation: data.validation,
      test: data.test,
      threads: 2,
      onProgress: (p) => {
        blockerEpochs += p.epochs.length;
        if (blockerEpochs === 3) blockerLastEpochAt = Date.now();
      },
    });
    // The blocker's last epoch record arrives (in order, on the same port) before its end.
    let blockerEpochs = 0;
    let blockerLastEpochAt = 0;
    const events: RunnerEvent[] = [];
    const epochsAtStart: number[] = [];
    const store = new ExperimentStore(mkdtempSync(path.join(tmpdir(), 'ablate-sched-')));
    const job = await startExperiment(experiment('queued', 16, [1]), {
      pool,
      store,
      embeddedDir,
      onEvent: (e) => {
        if (e.type === 'run-started') epochsAtStart.push(blockerEpochs);
        events.push(e);
      },
    });
    const [summary] = await job.done;
    pool.dropDataset('blocker');
    await blocker.result;
    // Never "started" while queued: the blocker had trained all its epochs when the run started.
    expect(epochsAtStart).toEqual([3]);
    expect(Date.parse(summary.timings.startedAt)).toBeGreaterThanOrEqual(blockerLastEpochAt);
  });
});

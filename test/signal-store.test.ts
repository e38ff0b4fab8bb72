/**
 * The signal at initialization stored with each run (the `signal` line of metrics.ndjson,
 * docs/store.md) and the Design tab's reading of it. The stored record is checked against the
 * run's own first diagnostics record: the probe measures step 1's batch inside the pool's
 * training step (another code path, other kernels), so equal activation statistics show the
 * record really is of the run's initial weights and first training batch. The reading's
 * sentences are checked on hand-made variances.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPrepared } from '../src/engine/data/index.js';
import { WorkerPool } from '../src/engine/parallel/pool.js';
import { designSignal } from '../src/services/app/design-signal.js';
import { startExperiment } from '../src/services/experiments/runner.js';
import { readSignal } from '../src/services/experiments/signal.js';
import { validateExperiment } from '../src/services/experiments/spec/validate.js';
import { ExperimentStore } from '../src/services/store/experiment-store.js';
import { readMetrics } from '../src/services/store/metrics-reader.js';
import { spiralSpec } from './helpers/experiments.js';

const workerPath = fileURLToPath(new URL('../out/engine/worker.js', import.meta.url));
const embeddedDir = fileURLToPath(new URL('../resources/runtime/mnist', import.meta.url));
let pool: WorkerPool;
let root: string;
beforeAll(() => {
  if (!existsSync(workerPath)) throw new Error(`missing ${workerPath}: run npm run build:engine first`);
  pool = new WorkerPool({ workerPath, size: 2 });
  root = mkdtempSync(path.join(tmpdir(), 'ablate-signal-'));
});
afterAll(async () => {
  await pool?.shutdown();
  await fs.rm(root, { recursive: true, force: true });
});

const spec = () =>
  validateExperiment(
    spiralSpec('signal', {
      model: {
        inputSize: 2,
        hidden: [
          { width: 16, activation: 'tanh' },
          { width: 12, activation: 'relu' },
        ],
        outputSize: 3,
        head: 'softmax',
        init: { weights: 'glorot_uniform', bias: 'zeros' },
      },
      train: { epochs: 1, batchSize: 32, optimizer: { name: 'sgd', lr: 0.1 } },
      compare: { init: ['glorot_uniform', 'zeros'] },
      seeds: [3],
      diagnostics: { everySteps: 5 },
    }),
    'signal.json',
  );

describe('signal at initialization stored with the run', () => {
  it('is the first line of metrics.ndjson and agrees with the first step diagnostics of the run', async () => {
    const store = new ExperimentStore(root);
    const job = await startExperiment(spec(), { pool, store, embeddedDir });
    const summaries = await job.done;
    expect(summaries).toHaveLength(2);
    for (const s of summaries) {
      const { records } = await readMetrics(store.runDir(job.id, s.runId));
      const signal = records[0];
      if (signal.kind !== 'signal') throw new Error(`first record is ${signal.kind}`);
      expect(signal.step).toBe(0);
      expect(signal.rows).toBe(32);
      expect(signal.layers.map((l) => l.name)).toEqual(['hidden.0', 'hidden.1', 'output']);
      const diag = records.find((r) => r.kind === 'diag');
      if (diag?.kind !== 'diag') throw new Error('no diagnostics record');
      expect(diag.step).toBe(1);
      signal.layers.slice(0, 2).forEach((l, i) => {
        const d = diag.layers[i];
        expect(l.preActivationVar).toBeCloseTo(d.preActivation!.std ** 2, 5);
        expect(l.activationVar!).toBeCloseTo(d.activation!.std ** 2, 5);
      });
      const first = records.find((r) => r.kind === 'step');
      if (first?.kind !== 'step') throw new Error('no step record');
      expect(signal.loss).toBeCloseTo(first.loss!, 4);
      if (s.variantId === 'init=zeros') for (const l of signal.layers.slice(0, 2)) expect(l.gradVar).toBe(0);
      else for (const l of signal.layers) expect(l.gradVar).toBeGreaterThan(0);
    }
  }, 120_000);

  it('measures every variant of a design before it runs, on the first seed and its first batch', async () => {
    const s = spec();
    const { prepared } = await loadPrepared(s.data, { embeddedDir });
    const d = await designSignal(s, async () => prepared);
    expect(d.totalVariants).toBe(2);
    expect(d.variants.map((v) => [v.variantId, v.seed, v.rows])).toEqual([
      ['init=glorot_uniform', 3, 32],
      ['init=zeros', 3, 32],
    ]);
    expect(d.variants[1].reading.gradientRatio).toBe(0);
    expect(d.variants[1].reading.text).toMatch(/exactly zero at hidden\.0, hidden\.1: no hidden layer would learn anything from/);
    expect(d.variants[0].reading.text).toMatch(/^With this initialization the gradient (shrinks|grows) /);
  });
});

describe('the reading of a signal', () => {
  const layers = (...gradVar: number[]) =>
    gradVar.map((g, i) => ({ name: i === gradVar.length - 1 ? 'output' : `hidden.${i}`, gradVar: g, preActivationVar: 1 }));

  it('says the gradient shrinks 300x when its variance falls by 90000 from the output to hidden.0', () => {
    const r = readSignal(layers(1e-2 / 90_000, 1e-4, 1e-2));
    expect(r.gradientRatio).toBeCloseTo(1 / 300, 12);
    expect(r.text).toBe('With this initialization the gradient shrinks 300x from the output to hidden.0 (standard deviation of dLoss/dz).');
  });

  it('says it grows when it does, with two decimals for small factors', () => {
    expect(readSignal(layers(4e-2, 1e-2)).text).toBe(
      'With this initialization the gradient grows 2.00x from the output to hidden.0 (standard deviation of dLoss/dz).',
    );
  });

  it('names the layers whose gradient is exactly zero instead of a ratio', () => {
    const r = readSignal(layers(0, 1e-3, 1e-2));
    expect(r.gradientRatio).toBe(0);
    expect(r.text).toMatch(/^The gradient is exactly zero at hidden\.0: those layers would learn nothing/);
  });
});

/**
 * Limits that are limits (issue 14.4): `--workers` past the documented maximum (twice the cores,
 * at least 8) is refused with exit 2 before any thread starts (`--workers 100000` once spawned
 * threads until V8 died); the pool clamps its size to the same maximum, and a run's team
 * (execution.threadsPerRun, up to 64 in a file) to the pool's workers; and a run whose memory
 * cannot be allocated (a model too large for WebAssembly's 4 GiB) ends as a failed run with the
 * reason, never as an uncaught RangeError.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { maxPoolWorkers, resolveRunConfig, sharedFloat32, sharedInt32, WorkerPool } from '../src/engine/index.js';
import { startExperiment } from '../src/services/experiments/runner.js';
import { validateExperiment } from '../src/services/experiments/spec/validate.js';
import { ExperimentStore } from '../src/services/store/experiment-store.js';
import type { ExperimentEvent } from '../src/shared/types/events.js';
import { spiralSpec } from './helpers/experiments.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const workerPath = path.join(root, 'out/engine/worker.js');
const embeddedDir = path.join(root, 'resources/runtime/mnist');
const pools: WorkerPool[] = [];
afterAll(async () => {
  for (const p of pools) await p.shutdown();
});

describe('the number of workers', () => {
  it('has a documented maximum: twice the cores, at least 8', () => {
    expect(maxPoolWorkers()).toBe(Math.max(8, 2 * availableParallelism()));
  });

  it('`--workers` past it exits 2 with the maximum and why, before anything starts', () => {
    for (const n of ['100000', String(maxPoolWorkers() + 1)]) {
      const r = spawnSync(
        process.execPath,
        [path.join(root, 'bin/ablate.js'), 'run', 'examples/why-relu-beat-sigmoid.json', '--workers', n],
        {
          cwd: root,
          encoding: 'utf8',
          timeout: 120_000,
        },
      );
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(
          `--workers ${n} is more than this machine can use: at most ${maxPoolWorkers()} \\(twice its ${availableParallelism()} cores`,
        ),
      );
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('the pool clamps its size to it', async () => {
    expect(existsSync(workerPath), 'run npm run build:engine first').toBe(true);
    const pool = new WorkerPool({ workerPath, size: 100_000 });
    pools.push(pool);
    expect(pool.size).toBe(maxPoolWorkers());
  });

  it("a run's execution.threadsPerRun is clamped to the pool's workers", async () => {
    const pool = new WorkerPool({ workerPath, size: 2 });
    pools.push(pool);
    const spec = validateExperiment(
      spiralSpec('threads', { execution: { threadsPerRun: 64 }, compare: undefined, seeds: [1] }),
      'threads.json',
    );
    const events: ExperimentEvent[] = [];
    const store = new ExperimentStore(mkdtempSync(path.join(tmpdir(), 'ablate-threads-')));
    const job = await startExperiment(spec, { pool, store, embeddedDir, onEvent: (e) => events.push(e) });
    const [summary] = await job.done;
    expect(summary).toMatchObject({ status: 'completed', threads: 2 });
    expect(events.filter((e) => e.type === 'run-started').map((e) => (e as { threads: number }).threads)).toEqual([2]);
    rmSync(store.root, { recursive: true, force: true });
  });
});

describe('a run whose memory cannot be allocated', () => {
  it('fails with the reason (no uncaught RangeError), and the pool trains the next run', async () => {
    const pool = new WorkerPool({ workerPath, size: 1 });
    pools.push(pool);
    const n = 64;
    const features = sharedFloat32(n * 2);
    features.forEach((_, i) => (features[i] = Math.sin(i)));
    const labels = sharedInt32(n);
    labels.forEach((_, i) => (labels[i] = i % 2));
    pool.addDataset('d', { features, d: 2, labels, values: null, width: 1 });
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    const config = (width: number) =>
      resolveRunConfig({
        seed: 1,
        model: {
          inputSize: 2,
          hidden: [
            { width, activation: 'relu' },
            { width, activation: 'relu' },
          ],
          outputSize: 2,
          head: 'softmax',
          init: { weights: 'he_uniform', bias: 'zeros' },
        },
        train: { epochs: 1, batchSize: 16, optimizer: { name: 'sgd', lr: 0.01 } },
      });
    const request = (width: number) => ({
      config: config(width),
      datasetId: 'd',
      train: rows,
      validation: rows.subarray(0, 8),
      test: rows.subarray(0, 0),
    });
    const tooBig = pool.submit(request(40_000)).result;
    const fine = pool.submit(request(8)).result;
    const big = await tooBig;
    expect(big.outcome.status).toBe('failed');
    expect(big.outcome.stopReason).toMatch(/could not start: .*needs \d+\.\d+ GiB of memory, more than WebAssembly's 4 GiB/);
    expect(big.weightsSha256).toBeNull();
    expect((await fine).outcome.status).toBe('completed');
  }, 120_000);
});

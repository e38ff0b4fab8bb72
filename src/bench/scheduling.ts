/**
 * How the worker pool should share its workers between the runs of an experiment, measured: as
 * many runs as workers trained either runs-per-worker (every run on one worker, all at once) or
 * workers-per-run (one run at a time on every worker), and a single run on one worker or on all,
 * for the reference MLP (784-512-512-10, batch 128, on MNIST, 411 MFLOP per training step), a
 * mid-size MLP (784-128-64-10, batch 32, 21 MFLOP) and a small spiral (2-32-32-3, batch 32, 0.23
 * MFLOP). Wall time of the whole batch of runs, best of `repeats` (other processes on the
 * machine only ever slow a measurement down). The pool's policy (src/engine/parallel/policy.ts)
 * follows these figures; BENCHMARKS.md records them. Main thread only.
 */
import { loadDataset, validateRunConfig, WorkerPool, type ResolvedRunConfig, type RunRequest } from '../engine/index.js';
import type { BenchResult } from './main.js';
import { REFERENCE_INPUT_DIM, REFERENCE_MODEL } from './peers/reference-mlp.js';
import { referenceConfig } from './train.js';

export interface SchedulingRow extends BenchResult {
  suite: 'scheduling';
  /** "2 runs" or "1 run". */
  case: string;
  policy: 'runs-per-worker' | 'workers-per-run';
  runsPerMinute: number;
  seconds: number;
}

interface Workload {
  model: string;
  config: ResolvedRunConfig;
  datasetId: string;
  rows: number;
}

const SPIRAL = '2-32-32-3 spiral';

function spiralConfig(epochs: number): ResolvedRunConfig {
  return validateRunConfig({
    seed: 1,
    model: {
      inputSize: 2,
      hidden: [
        { width: 32, activation: 'relu' },
        { width: 32, activation: 'relu' },
      ],
      outputSize: 3,
      head: 'softmax',
      init: { weights: 'he_uniform', bias: 'zeros' },
    },
    train: { epochs, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } },
  });
}

/** Between the two: 784-128-64-10 at batch 32, 21 MFLOP per training step. */
function midConfig(): ResolvedRunConfig {
  return validateRunConfig({
    seed: 1,
    model: {
      inputSize: REFERENCE_INPUT_DIM,
      hidden: [
        { width: 128, activation: 'relu' },
        { width: 64, activation: 'relu' },
      ],
      outputSize: 10,
      head: 'softmax',
      init: { weights: 'glorot_uniform', bias: 'zeros' },
    },
    train: { epochs: 1, batchSize: 32, optimizer: { name: 'sgd', lr: 0.01 } },
  });
}

export interface SchedulingOptions {
  workerPath: string | URL;
  /** MNIST rows as a shared dataset. */
  features: Float32Array;
  labels: Int32Array;
  workers: number;
  repeats: number;
  quick: boolean;
  log: (line: string) => void;
}

export async function benchScheduling(o: SchedulingOptions): Promise<SchedulingRow[]> {
  const pool = new WorkerPool({ workerPath: o.workerPath, size: o.workers });
  const spiral = await loadDataset({ source: 'synthetic', kind: 'spiral', n: 600, classes: 3, noise: 0.1, seed: 1 }, { embeddedDir: '' });
  if (spiral.targets.kind !== 'class') throw new Error('the spiral must have class targets');
  pool.addDataset('mnist', { features: o.features, d: REFERENCE_INPUT_DIM, labels: o.labels, values: null, width: 1 });
  pool.addDataset('spiral', { features: spiral.features, d: 2, labels: spiral.targets.labels, values: null, width: 1 });
  const workloads: Workload[] = [
    {
      model: `${REFERENCE_MODEL} MNIST`,
      config: referenceConfig(128, 1),
      datasetId: 'mnist',
      rows: Math.min(o.labels.length, o.quick ? 2560 : 5120),
    },
    { model: '784-128-64-10 MNIST', config: midConfig(), datasetId: 'mnist', rows: Math.min(o.labels.length, o.quick ? 2560 : 5120) },
    { model: SPIRAL, config: spiralConfig(o.quick ? 10 : 30), datasetId: 'spiral', rows: 480 },
  ];
  const empty = new Int32Array(0);
  const request = (w: Workload, threads: number): RunRequest => ({
    config: w.config,
    datasetId: w.datasetId,
    train: Int32Array.from({ length: w.rows }, (_, i) => i),
    validation: empty,
    test: empty,
    threads,
  });
  /** Seconds to train `runs` runs: all at once on one worker each, or one after the other on every worker. */
  const time = async (w: Workload, runs: number, policy: SchedulingRow['policy']): Promise<number> => {
    const t0 = performance.now();
    if (policy === 'runs-per-worker') {
      await Promise.all(Array.from({ length: runs }, () => pool.submit(request(w, 1)).result));
    } else {
      for (let i = 0; i < runs; i++) await pool.submit(request(w, o.workers)).result;
    }
    return (performance.now() - t0) / 1000;
  };
  const rows: SchedulingRow[] = [];
  try {
    for (const w of workloads) {
      await time(w, 1, 'runs-per-worker'); // warm-up: compile the kernels in every worker
      for (const runs of [o.workers, 1]) {
        const best = new Map<SchedulingRow['policy'], number>();
        for (let rep = 0; rep < o.repeats; rep++) {
          for (const policy of ['runs-per-worker', 'workers-per-run'] as const) {
            const s = await time(w, runs, policy);
            best.set(policy, Math.min(best.get(policy) ?? Infinity, s));
          }
        }
        for (const [policy, seconds] of best) {
          const row: SchedulingRow = {
            suite: 'scheduling',
            engine: 'ablate',
            kernels: 'wasm',
            workers: o.workers,
            batch: w.config.train.batchSize,
            model: w.model,
            samplesPerSec: null,
            gflops: null,
            case: `${runs} run${runs === 1 ? '' : 's'}`,
            policy,
            seconds,
            runsPerMinute: (60 * runs) / seconds,
          };
          rows.push(row);
        }
        const [a, b] = [best.get('runs-per-worker')!, best.get('workers-per-run')!];
        o.log(
          `  ${w.model}, ${runs} run(s) on ${o.workers} workers: runs-per-worker ${a.toFixed(2)} s, workers-per-run ${b.toFixed(2)} s (best of ${o.repeats}): ${a <= b ? 'runs-per-worker' : 'workers-per-run'} ${Math.max(a, b) / Math.min(a, b) >= 1.005 ? `${(Math.max(a, b) / Math.min(a, b)).toFixed(2)}x faster` : 'equal'}`,
        );
      }
    }
  } finally {
    await pool.shutdown();
  }
  return rows;
}

/**
 * The design tab's time estimate against the real thing: for two experiments (a spiral of 4 small
 * runs, and MNIST with 4 runs of a 784-128-64-10 network), the estimate of
 * src/services/experiments/estimate.ts (calibrated on the pool, as the app makes it), then the
 * experiment trained for real on the same pool, timed from start to the last run's end, REPEATS
 * times (each an estimate and a real run, in turn). The stated tolerance (BENCHMARKS.md): the
 * median real time lies within the median estimate's range, and within ESTIMATE_TOLERANCE of its
 * centre, on a machine nobody else is using (the load average is printed with each repeat). Main
 * thread only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { WorkerPool } from '../engine/index.js';
import { estimateOnPool } from '../services/experiments/estimate.js';
import { startExperiment } from '../services/experiments/runner.js';
import { expandExperiment } from '../services/experiments/spec/expand.js';
import { validateExperiment } from '../services/experiments/spec/validate.js';
import { ExperimentStore } from '../services/store/experiment-store.js';
import type { BenchResult } from './main.js';

/** The real time within this fraction of the estimate's centre (and within its range). */
export const ESTIMATE_TOLERANCE = 0.25;
/** Estimate-and-run pairs per experiment: the medians are compared (a single pair moves with the machine's other load). */
export const REPEATS = 3;

export const EXPERIMENTS = [
  {
    name: 'spiral 2-32-16-3, 4 runs x 60 epochs',
    data: { source: 'synthetic', kind: 'spiral', n: 1200, classes: 3, noise: 0.1, seed: 1 },
    model: { inputSize: 2, width: 32, outputSize: 3 },
    train: { epochs: 60, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } },
  },
  {
    name: 'MNIST 784-128-64-10, 4 runs x 2 epochs',
    data: { source: 'mnist' },
    model: { inputSize: 784, width: 128, outputSize: 10 },
    train: { epochs: 2, batchSize: 64, optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9 } },
  },
];

export async function benchEstimate(o: { workerPath: string; embeddedDir: string; log: (line: string) => void }): Promise<BenchResult[]> {
  const pool = new WorkerPool({ workerPath: o.workerPath, size: 2 });
  const rows: BenchResult[] = [];
  const store = mkdtempSync(path.join(tmpdir(), 'ablate-bench-estimate-'));
  try {
    for (const e of EXPERIMENTS) {
      const spec = benchSpec(e);
      const pairs: Array<{ seconds: number; low: number; high: number; actual: number; estimating: number }> = [];
      for (let r = 0; r < REPEATS; r++) {
        const te = performance.now();
        const estimate = await estimateOnPool(expandExperiment(spec).runs, pool, spec, o.embeddedDir);
        const estimating = (performance.now() - te) / 1000;
        const t0 = performance.now();
        const job = await startExperiment(spec, {
          pool,
          store: new ExperimentStore(path.join(store, String(r))),
          embeddedDir: o.embeddedDir,
        });
        await job.done;
        const actual = (performance.now() - t0) / 1000;
        pairs.push({ ...estimate, actual, estimating });
        o.log(
          `  ${e.name}, repeat ${r + 1}: estimated ${estimate.seconds.toFixed(2)} s [${estimate.low.toFixed(2)}, ${estimate.high.toFixed(2)}], took ${actual.toFixed(2)} s (${signed(actual / estimate.seconds - 1)}; the estimate took ${estimating.toFixed(2)} s; load average ${loadavg()[0].toFixed(1)})`,
        );
      }
      const estimate = {
        seconds: median(pairs.map((p) => p.seconds)),
        low: median(pairs.map((p) => p.low)),
        high: median(pairs.map((p) => p.high)),
      };
      const actual = median(pairs.map((p) => p.actual));
      const inRange = actual >= estimate.low && actual <= estimate.high;
      const error = actual / estimate.seconds - 1;
      const within = inRange && Math.abs(error) <= ESTIMATE_TOLERANCE;
      o.log(
        `  ${e.name}, medians: estimated ${estimate.seconds.toFixed(2)} s [${estimate.low.toFixed(2)}, ${estimate.high.toFixed(2)}], took ${actual.toFixed(2)} s (${signed(error)}): ${within ? 'within' : 'OUTSIDE'} the tolerance`,
      );
      rows.push({
        suite: 'estimate',
        engine: 'ablate',
        kernels: null,
        workers: 2,
        batch: e.train.batchSize,
        model: e.name,
        samplesPerSec: null,
        gflops: null,
        estimatedSeconds: estimate.seconds,
        low: estimate.low,
        high: estimate.high,
        actualSeconds: actual,
        relativeError: error,
        withinTolerance: within,
        repeats: pairs,
      });
    }
  } finally {
    await pool.shutdown();
    rmSync(store, { recursive: true, force: true });
  }
  return rows;
}

/** The validated spec of one of the EXPERIMENTS: relu against tanh over 2 seeds, no step diagnostics. */
export function benchSpec(e: (typeof EXPERIMENTS)[number]) {
  return validateExperiment(
    {
      version: 1,
      name: e.name,
      data: e.data,
      model: {
        inputSize: e.model.inputSize,
        hidden: [
          { width: e.model.width, activation: 'relu' },
          { width: e.model.width / 2, activation: 'relu' },
        ],
        outputSize: e.model.outputSize,
        head: 'softmax',
        init: { weights: 'he_uniform', bias: 'zeros' },
      },
      train: e.train,
      compare: { activation: ['relu', 'tanh'] },
      seeds: [1, 2],
      diagnostics: { everySteps: 0 },
    },
    'bench.json',
  );
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function signed(fraction: number): string {
  return `${fraction >= 0 ? '+' : ''}${(100 * fraction).toFixed(0)}%`;
}

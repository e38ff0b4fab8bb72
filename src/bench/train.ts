/**
 * Training-throughput benchmark of the reference MLP (784-512-512-10, ReLU, softmax
 * cross-entropy, plain SGD) on MNIST through the worker pool: each kernel set, 1 and 2 workers,
 * batch 32/128/512. Time-boxed: a calibration epoch on a small slice estimates the speed, then a
 * measured run of several epochs on enough rows for about `seconds`; the first epoch is warm-up
 * and excluded; worker counts are measured in turn, several times, and the best of each kept.
 * Reports samples/s, model GFLOP/s (FLOPs per sample as referenceFlopsPerSample counts them),
 * scaling efficiency, barrier wait per step and the run memory. Main thread only.
 */
import {
  kernelPath,
  type KernelSetName,
  type ResolvedRunConfig,
  runMemoryBytes,
  runShape,
  type RunResult,
  type TeamMemberProfile,
  validateRunConfig,
  WorkerPool,
} from '../engine/index.js';
import type { BenchResult } from './main.js';
import {
  REFERENCE_INPUT_DIM,
  REFERENCE_LAYERS,
  REFERENCE_LEARNING_RATE,
  REFERENCE_MODEL,
  referenceFlopsPerSample,
} from './peers/reference-mlp.js';

export interface TrainBenchRow extends BenchResult {
  suite: 'train';
  engine: 'ablate';
  kernels: KernelSetName;
  /** native's CPU path or wasm's build (kernelPath). */
  kernelPath: string | null;
  workers: number;
  batch: number;
  model: string;
  samplesPerSec: number;
  gflops: number;
  /** Leader's barrier wait as a fraction of training time. */
  syncFraction: number;
  /** Barriers per training step, and each thread's wait per step by phase (2+ workers; null for 1). */
  team: TeamFigures | null;
  steps: number;
  runMemoryMb: number;
}

/**
 * Where a multi-worker run's time went, from the pool's team profiles (the whole run, warm-up
 * epoch included): what the lead reads to tell imbalance (one thread waits) from descheduling
 * (CPU well under wall) and from futex wake-ups (many sleeps, long waits on both threads).
 */
export interface TeamFigures {
  barriersPerStep: number;
  /** Per thread: microseconds waited per training step in each phase of a step. */
  waitUsPerStep: Array<Record<string, number>>;
  /** Per thread: share of its step barriers that ended in Atomics.wait (a sleep). */
  sleptShare: number[];
  /** Per thread: CPU time over wall time of the run (null where the OS does not tell). */
  cpuShare: Array<number | null>;
}

function teamFigures(r: RunResult): TeamFigures | null {
  const profiles = r.teamProfiles ?? [];
  if (profiles.length < 2) return null;
  const steps = Math.max(1, r.outcome.steps);
  const stepPhases = (p: TeamMemberProfile) => p.phases.filter((ph) => ph.phase !== 'other');
  return {
    barriersPerStep: stepPhases(profiles[0]).reduce((a, ph) => a + ph.barriers, 0) / steps,
    waitUsPerStep: profiles.map((p) => Object.fromEntries(stepPhases(p).map((ph) => [ph.phase, (ph.waitSeconds / steps) * 1e6]))),
    sleptShare: profiles.map((p) => {
      const phases = stepPhases(p);
      return (
        phases.reduce((a, ph) => a + ph.sleeps, 0) /
        Math.max(
          1,
          phases.reduce((a, ph) => a + ph.barriers, 0),
        )
      );
    }),
    cpuShare: profiles.map((p) => (p.cpuSeconds === null || p.seconds <= 0 ? null : p.cpuSeconds / p.seconds)),
  };
}

/** The reference MLP (peers/reference-mlp.ts) as an Ablate run config: ReLU, softmax, Glorot-uniform, SGD. */
export function referenceConfig(batch: number, epochs: number): ResolvedRunConfig {
  return validateRunConfig({
    seed: 1,
    model: {
      inputSize: REFERENCE_INPUT_DIM,
      hidden: REFERENCE_LAYERS.slice(1, -1).map((width) => ({ width, activation: 'relu' })),
      outputSize: REFERENCE_LAYERS[REFERENCE_LAYERS.length - 1],
      head: 'softmax',
      init: { weights: 'glorot_uniform', bias: 'zeros' },
    },
    train: { epochs, batchSize: batch, optimizer: { name: 'sgd', lr: REFERENCE_LEARNING_RATE } },
  });
}

export interface TrainBenchOptions {
  workerPath: string | URL;
  /** MNIST rows as a shared dataset (features n x REFERENCE_INPUT_DIM, labels n). */
  features: Float32Array;
  labels: Int32Array;
  kernels: KernelSetName[];
  workers: number[];
  batches: number[];
  seconds: number;
  /** Measurements per configuration of the fast kernels; the best is reported. */
  repeats: number;
  log?: (line: string) => void;
}

/**
 * Trains the reference MLP on the first `rows` rows of the pool's 'mnist' dataset, with no
 * validation or test split (the train suite and the team profile time the epochs alone).
 */
export function trainReference(
  pool: WorkerPool,
  o: { kernels: KernelSetName; threads: number; batch: number; rows: number; epochs: number },
): Promise<RunResult> {
  const empty = new Int32Array(0);
  return pool.submit({
    config: referenceConfig(o.batch, o.epochs),
    datasetId: 'mnist',
    train: Int32Array.from({ length: o.rows }, (_, i) => i),
    validation: empty,
    test: empty,
    threads: o.threads,
    kernels: o.kernels,
  }).result;
}

export async function benchTrain(o: TrainBenchOptions): Promise<TrainBenchRow[]> {
  const pool = new WorkerPool({ workerPath: o.workerPath, size: Math.max(...o.workers) });
  const n = o.labels.length;
  pool.addDataset('mnist', { features: o.features, d: REFERENCE_INPUT_DIM, labels: o.labels, values: null, width: 1 });
  const rows: TrainBenchRow[] = [];
  const run = (kernels: KernelSetName, threads: number, batch: number, count: number, epochs: number) =>
    trainReference(pool, { kernels, threads, batch, rows: Math.min(count, n), epochs });
  // One measurement: 4 epochs on `count` rows; the first epoch is warm-up and left out.
  const measure = async (kernels: KernelSetName, workers: number, batch: number, count: number) => {
    const r = await run(kernels, workers, batch, count, 4);
    if (r.outcome.status !== 'completed') throw new Error(`benchmark run failed: ${r.outcome.stopReason}`);
    const measured = r.outcome.epochs.slice(1);
    const steps = measured.reduce((a, m) => a + m.steps, 0);
    return {
      steps,
      samplesPerSec: (steps * batch) / measured.reduce((a, m) => a + m.seconds, 0),
      syncFraction: r.outcome.syncWaitSeconds / r.outcome.seconds,
      team: teamFigures(r),
    };
  };
  try {
    for (const kernels of o.kernels) {
      for (const batch of o.batches) {
        // Enough rows for about seconds/3 per epoch, from a short calibration run per worker count.
        const counts = new Map<number, number>();
        for (const workers of o.workers) {
          const e = (await run(kernels, workers, batch, batch * 4, 2)).outcome.epochs.at(-1)!;
          const estimate = (batch * 4) / e.seconds;
          counts.set(workers, Math.max(batch * 2, Math.min(n, Math.round((estimate * o.seconds) / 3 / batch) * batch)));
        }
        // Worker counts measured in turn, `repeats` times; the best of each is kept, so a slice of
        // time lost to another process on this machine does not decide the scaling figure.
        const best = new Map<number, Awaited<ReturnType<typeof measure>>>();
        // The naive kernels are the reference, not a contender (and slow): one measurement.
        const repeats = kernels === 'naive' ? 1 : o.repeats;
        for (let rep = 0; rep < repeats; rep++) {
          for (const workers of o.workers) {
            const m = await measure(kernels, workers, batch, counts.get(workers)!);
            if (m.samplesPerSec > (best.get(workers)?.samplesPerSec ?? 0)) best.set(workers, m);
          }
        }
        for (const workers of o.workers) {
          const m = best.get(workers)!;
          rows.push({
            suite: 'train',
            engine: 'ablate',
            kernels,
            kernelPath: kernelPath(kernels),
            workers,
            batch,
            model: REFERENCE_MODEL,
            samplesPerSec: m.samplesPerSec,
            gflops: (m.samplesPerSec * referenceFlopsPerSample()) / 1e9,
            syncFraction: workers > 1 ? m.syncFraction : 0,
            team: m.team,
            steps: m.steps,
            runMemoryMb: runMemoryBytes(runShape(referenceConfig(batch, 1), workers, false)) / 2 ** 20,
          });
          o.log?.(`  ablate ${kernels} workers=${workers} batch=${batch}: ${m.samplesPerSec.toFixed(0)} samples/s (best of ${repeats})`);
        }
      }
    }
  } finally {
    await pool.shutdown();
  }
  return rows;
}

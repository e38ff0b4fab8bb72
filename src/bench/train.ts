/**
 * Training-throughput benchmark of the reference MLP (784-512-512-10, ReLU, softmax
 * cross-entropy, plain SGD) on MNIST through the worker pool: each kernel set, 1 and 2 workers,
 * batch 32/128/512. Time-boxed: a calibration epoch on a small slice estimates the speed, then
 * short measured runs of 3 epochs on enough rows for about `seconds`/4 each; the first epoch is
 * warm-up and excluded. The worker counts are measured in turn, in ABBA order (paired.ts), `pairs`
 * runs each: the scaling is the median of the adjacent pairs' ratios (with their min and max), so
 * the host's drift in speed cancels; samples/s is the median of each worker count's runs (the best
 * is kept in the JSON too). Reports samples/s, model GFLOP/s (FLOPs per sample as
 * referenceFlopsPerSample counts them), scaling, barrier wait per step and the run memory. Main
 * thread only.
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
import { measureCoreRoundTrip } from './core-round-trip.js';
import { abbaOrder, formatPairedRatio, median, pairedRatio, type PairedRatio } from './paired.js';
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
  /** Median over this worker count's measured runs. */
  samplesPerSec: number;
  /** Best of the same runs. */
  samplesPerSecBest: number;
  /** How many runs samplesPerSec is the median of. */
  runs: number;
  /** Of samplesPerSec. */
  gflops: number;
  /** Against the first worker count (1): median of adjacent pairs' ratios (null for the first). */
  scaling: PairedRatio | null;
  /** Leader's barrier wait as a fraction of training time, mean over the runs. */
  syncFraction: number;
  /**
   * Nanoseconds a cache line took between two threads and back (core-round-trip.ts), measured
   * just before and just after this batch size's runs; null for one worker.
   */
  coreRoundTripNs: { before: number; after: number } | null;
  /** Barriers per training step, and each thread's wait per step by phase, mean over the runs (2+ workers; null for 1). */
  team: TeamFigures | null;
  /** Measured steps of one run. */
  steps: number;
  runMemoryMb: number;
  /**
   * Per thread (the leader first): the least and the most JavaScript heap bytes allocated per
   * training step over the measured runs (RunOutcome.heapBytesPerStep, each the least over a run's
   * epochs after its first); null where no epoch was free of garbage collection. The leader's
   * include its progress messages (one per 100 ms).
   */
  heapBytesPerStep: Array<{ least: number; most: number } | null>;
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

const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;

/** Per thread, the least and most of the runs' figures (null where a thread has none). */
function heapRange(runs: Array<Array<number | null>>): TrainBenchRow['heapBytesPerStep'] {
  const threads = Math.max(0, ...runs.map((r) => r.length));
  return Array.from({ length: threads }, (_, i) => {
    const xs = runs.map((r) => r[i]).filter((x): x is number => x !== null && x !== undefined);
    return xs.length === 0 ? null : { least: Math.min(...xs), most: Math.max(...xs) };
  });
}

/** Figure by figure, the mean of several runs' team figures (null where any run has none). */
export function meanTeam(runs: Array<TeamFigures | null>): TeamFigures | null {
  if (runs.length === 0 || runs.some((t) => t === null)) return null;
  const ts = runs as TeamFigures[];
  const threads = ts[0].sleptShare.length;
  const perThread = <T>(f: (i: number) => T) => Array.from({ length: threads }, (_, i) => f(i));
  return {
    barriersPerStep: mean(ts.map((t) => t.barriersPerStep)),
    waitUsPerStep: perThread((i) =>
      Object.fromEntries(Object.keys(ts[0].waitUsPerStep[i]).map((phase) => [phase, mean(ts.map((t) => t.waitUsPerStep[i][phase] ?? 0))])),
    ),
    sleptShare: perThread((i) => mean(ts.map((t) => t.sleptShare[i]))),
    cpuShare: perThread((i) => (ts.some((t) => t.cpuShare[i] === null) ? null : mean(ts.map((t) => t.cpuShare[i]!)))),
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

/**
 * The reference MLP with batch norm (before and after the activation), dropout, a residual layer
 * (without projection), AdamW, norm clipping and L1/L2 penalties at once, for the allocation checks
 * (test/pool-allocation.test.ts, standalone/team-heap.ts).
 */
export function everyOptionConfig(batch: number, epochs: number): ResolvedRunConfig {
  const c = referenceConfig(batch, epochs);
  return validateRunConfig({
    ...c,
    model: {
      ...c.model,
      hidden: [
        { width: 512, activation: 'relu', batchNorm: 'pre' },
        { width: 512, activation: 'elu', dropout: 0.1, residual: true, batchNorm: 'post' },
      ],
    },
    train: {
      ...c.train,
      optimizer: { name: 'adamw', lr: 0.001, weightDecay: 1e-2 },
      clip: { kind: 'norm', maxNorm: 1 },
      penalties: { l1: 1e-6, l2: 1e-5 },
    },
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
  /** Runs per worker count of the fast kernels, in ABBA order (the naive set: 1). */
  pairs: number;
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
  // One measurement: 3 epochs on `count` rows; the first epoch is warm-up and left out.
  const measure = async (kernels: KernelSetName, workers: number, batch: number, count: number) => {
    const r = await run(kernels, workers, batch, count, 3);
    if (r.outcome.status !== 'completed') throw new Error(`benchmark run failed: ${r.outcome.stopReason}`);
    const measured = r.outcome.epochs.slice(1);
    const steps = measured.reduce((a, m) => a + m.steps, 0);
    return {
      steps,
      samplesPerSec: (steps * batch) / measured.reduce((a, m) => a + m.seconds, 0),
      syncFraction: r.outcome.syncWaitSeconds / r.outcome.seconds,
      team: teamFigures(r),
      heap: (r.teamProfiles ?? []).map((p) => p.heapBytesPerStep),
    };
  };
  try {
    for (const kernels of o.kernels) {
      for (const batch of o.batches) {
        // Enough rows for about seconds/4 per epoch, from a short calibration run per worker count.
        const counts = new Map<number, number>();
        for (const workers of o.workers) {
          const e = (await run(kernels, workers, batch, batch * 4, 2)).outcome.epochs.at(-1)!;
          const estimate = (batch * 4) / e.seconds;
          counts.set(workers, Math.max(batch * 2, Math.min(n, Math.round((estimate * o.seconds) / 4 / batch) * batch)));
        }
        // The worker counts in ABBA order, so the i-th runs of any two counts are adjacent in time.
        const series = new Map<number, Array<Awaited<ReturnType<typeof measure>>>>(o.workers.map((w) => [w, []]));
        // The naive kernels are the reference, not a contender (and slow): one measurement.
        const pairs = kernels === 'naive' ? 1 : o.pairs;
        const hasTeam = o.workers.some((w) => w > 1);
        const tripBefore = hasTeam ? (await measureCoreRoundTrip()).nanoseconds : 0;
        for (const { contender } of abbaOrder(o.workers.length, pairs)) {
          const workers = o.workers[contender];
          series.get(workers)!.push(await measure(kernels, workers, batch, counts.get(workers)!));
        }
        const trip = hasTeam ? { before: tripBefore, after: (await measureCoreRoundTrip()).nanoseconds } : null;
        const speeds = (workers: number) => series.get(workers)!.map((m) => m.samplesPerSec);
        for (const workers of o.workers) {
          const ms = series.get(workers)!;
          const samplesPerSec = median(speeds(workers));
          const scaling = workers === o.workers[0] ? null : pairedRatio(speeds(workers), speeds(o.workers[0]));
          rows.push({
            suite: 'train',
            engine: 'ablate',
            kernels,
            kernelPath: kernelPath(kernels),
            workers,
            batch,
            model: REFERENCE_MODEL,
            samplesPerSec,
            samplesPerSecBest: Math.max(...speeds(workers)),
            runs: ms.length,
            gflops: (samplesPerSec * referenceFlopsPerSample()) / 1e9,
            scaling,
            syncFraction: workers > 1 ? mean(ms.map((m) => m.syncFraction)) : 0,
            coreRoundTripNs: workers > 1 ? trip : null,
            team: meanTeam(ms.map((m) => m.team)),
            steps: ms[0].steps,
            runMemoryMb: runMemoryBytes(runShape(referenceConfig(batch, 1), workers, false)) / 2 ** 20,
            heapBytesPerStep: heapRange(ms.map((m) => m.heap)),
          });
          const spread = `${Math.min(...speeds(workers)).toFixed(0)}-${Math.max(...speeds(workers)).toFixed(0)}`;
          o.log?.(
            `  ablate ${kernels} workers=${workers} batch=${batch}: ${samplesPerSec.toFixed(0)} samples/s (${ms.length === 1 ? `1 run` : `median of ${ms.length} runs, ${spread}`})` +
              (scaling ? `; scaling ${formatPairedRatio(scaling)}` : '') +
              (workers > 1 && trip
                ? `; a cache line between two threads ${trip.before.toFixed(0)} / ${trip.after.toFixed(0)} ns (before / after)`
                : ''),
          );
        }
      }
    }
  } finally {
    await pool.shutdown();
  }
  return rows;
}

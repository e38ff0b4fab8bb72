/**
 * How long an experiment will take on this machine, with its uncertainty, calibrated on the real
 * per-step cost of its own models: each distinct network (architecture and batch size, at most
 * MAX_CALIBRATED; others are scaled by training FLOPs) trains twice CALIBRATION_EPOCHS short
 * epochs on the pool with the whole validation and test splits and the experiment's diagnostics
 * (CALIBRATION_STEPS and a third as many steps each: the difference separates a step's cost from
 * an epoch's fixed cost, validation included), on one worker and, when the scheduling policy will
 * give its runs a team, on that team; the first epoch (warm-up) is dropped and the median epoch
 * kept. The run's time outside its epochs (initialization, test split), plus what its first epoch
 * took beyond the median (a new run's memory is touched for the first time), is its fixed cost on
 * the worker. A run's time on its worker is
 *
 *   t_run + epochs x (t_epoch + steps per epoch x t_step)
 *
 * Around it the runner spends, per run (estimate-host.ts, each measured here by doing the same
 * work once): its store writes before and after training (lane time), and its signal measurement
 * on the main thread, which all lanes share (one at a time). The experiment's time is the time to
 * load its data (measured) plus opening and closing its folder plus the makespan of the runner's
 * schedule (experiment-runner.ts: lanes, one run each, the policy's team sizes, the main thread
 * as one more shared resource) simulated with those times. The range spans twice the spread of
 * the calibration epochs' step times (at least CALIBRATION_FLOOR); early stopping can only make
 * runs shorter, so it lowers the bottom of the range to the runs' shortest possible length.
 * Tested against real runs by `npm run bench -- --only estimate` (BENCHMARKS.md). Main thread.
 */
import {
  DEFAULT_DIAGNOSTICS,
  type DiagnosticsOptions,
  trainingFlopsPerStep,
  type PreparedData,
  type ResolvedRunConfig,
  type WorkerPool,
  workersForRun,
} from '../../engine/index.js';
import type { RunTimeEstimate } from '../../shared/types/views.js';
import { ExperimentData } from './run-data.js';
import { sharedDataset } from './runner.js';
import type { ExperimentSpec, PlannedRun } from './types.js';
import { type StoreCost, timeSignal, timeStoreWrites, weightBytes } from './estimate-host.js';

export const CALIBRATION_STEPS = 48;
export const CALIBRATION_EPOCHS = 4;
export const MAX_CALIBRATED = 4;
/** The least relative uncertainty a calibration claims (the machine's speed drifts). */
export const CALIBRATION_FLOOR = 0.1;

interface StepCost {
  /** Seconds per training step, fixed seconds per epoch, fixed seconds per run on its worker; relative spread. */
  seconds: number;
  epoch: number;
  run: number;
  spread: number;
  /** Seconds of the run's signal measurement on the main thread (estimate-host.ts). */
  signal: number;
}

/** A run's time in its lane: store writes, then its signal on the main thread, then training and the remaining writes. */
export function laneTime(
  config: ResolvedRunConfig,
  trainRows: number,
  cost: Pick<StepCost, 'seconds' | 'epoch' | 'run' | 'signal'>,
  store: StoreCost,
): LaneTime {
  return { before: store.before, host: cost.signal, after: runSeconds(config, trainRows, cost) + store.after };
}

/** Seconds outside the schedule: loading the data, and opening and closing the folder (taken as one run's writes). */
export function experimentOverhead(loadSeconds: number, store: StoreCost): number {
  return loadSeconds + store.before + store.after;
}

/** Seconds of one run from its network's costs: run + epochs x (epoch + steps x step). */
export function runSeconds(config: ResolvedRunConfig, trainRows: number, cost: Pick<StepCost, 'seconds' | 'epoch' | 'run'>): number {
  const batch = config.train.batchSize;
  const steps = config.train.dropLast ? Math.floor(trainRows / batch) : Math.ceil(trainRows / batch);
  return cost.run + config.train.epochs * (cost.epoch + steps * cost.seconds);
}

/**
 * A run's time in the runner's lane: `before` seconds in its lane alone (store writes), then
 * `host` seconds on the main thread, which every lane shares (one at a time), then `after`
 * seconds in its lane alone (training on the pool, store writes).
 */
export interface LaneTime {
  before: number;
  host: number;
  after: number;
}

/**
 * The makespan of the runner's schedule: `lanes` = min(workers, runs) lanes take the runs in
 * order, each run on the team the policy gives it given the runs in flight and still waiting. A
 * run's time is a number (all in its lane) or a LaneTime, whose `host` part waits for the main
 * thread to be free.
 */
export function simulateSchedule(
  runs: PlannedRun[],
  workers: number,
  seconds: (run: PlannedRun, threads: number) => number | LaneTime,
): number {
  const lanes = Array.from({ length: Math.min(workers, runs.length) }, () => 0);
  let mainFree = 0;
  let next = 0;
  while (next < runs.length) {
    const lane = lanes.indexOf(Math.min(...lanes));
    const now = lanes[lane];
    const inFlight = lanes.filter((end, i) => i !== lane && end > now).length;
    const waiting = runs.length - next - 1;
    const run = runs[next++];
    const threads = workersForRun({ workers, concurrentRuns: Math.min(workers, inFlight + 1 + waiting), config: run.config });
    const t = seconds(run, threads);
    if (typeof t === 'number') {
      lanes[lane] = now + t;
    } else {
      const hostStart = Math.max(now + t.before, mainFree);
      mainFree = hostStart + t.host;
      lanes[lane] = mainFree + t.after;
    }
  }
  return Math.max(0, ...lanes);
}

/** The key of a network's step cost: everything but its init, seed and training schedule. */
function costKey(c: ResolvedRunConfig): string {
  return JSON.stringify([c.model.inputSize, c.model.hidden, c.model.outputSize, c.model.head, c.train.batchSize, c.train.optimizer.name]);
}

export async function estimateExperiment(
  runs: PlannedRun[],
  o: {
    pool: WorkerPool;
    prepared: PreparedData;
    datasetId: string;
    loadSeconds: number;
    diagnostics: DiagnosticsOptions;
    /** A run's training rows (its own data's, data.trainSize); default: those of `prepared`. */
    trainRowsOf?: (run: PlannedRun) => number;
  },
): Promise<RunTimeEstimate> {
  const workers = o.pool.size;
  const trainRows = o.prepared.splits.train.length;
  const rowsOf = o.trainRowsOf ?? (() => trainRows);
  const costs = new Map<string, StepCost>();
  /**
   * Median epoch seconds (warm-up dropped), their relative spread, the run's seconds outside its
   * epochs and its first epoch's excess, from `alongside` copies trained at once: as many runs as
   * the schedule trains side by side at this team size, so the calibration shares the machine
   * (memory bandwidth, caches, other processes) as the runs will.
   */
  const time = async (config: ResolvedRunConfig, threads: number, steps: number, alongside: number) => {
    const results = await Promise.all(
      Array.from(
        { length: alongside },
        () =>
          o.pool.submit({
            config: { ...config, train: { ...config.train, epochs: CALIBRATION_EPOCHS, earlyStopping: null, divergenceFactor: null } },
            datasetId: o.datasetId,
            train: o.prepared.splits.train.subarray(0, steps * config.train.batchSize),
            // The whole validation and test splits and the run's diagnostics: the fixed costs are the real ones.
            validation: o.prepared.splits.validation,
            test: o.prepared.splits.test,
            threads,
            diagnostics: o.diagnostics,
          }).result,
      ),
    );
    const epochs: number[] = [];
    let outside = 0;
    let warmup = Infinity;
    for (const { outcome } of results) {
      const all = outcome.epochs.map((e) => e.seconds);
      if (all.length < 2) throw new Error(`the calibration run did not train: ${outcome.stopReason}`);
      epochs.push(...all.slice(1));
      // Start (initialization) and end (test split) of the run, as the worker measured them.
      outside += Math.max(0, outcome.seconds - all.reduce((a, b) => a + b, 0)) / results.length;
      // A new run's first epoch takes longer than the next (its memory is touched for the first time).
      warmup = Math.min(warmup, Math.max(0, all[0] - median(all.slice(1))));
    }
    const mean = epochs.reduce((a, b) => a + b, 0) / epochs.length;
    const sd = Math.sqrt(epochs.reduce((a, v) => a + (v - mean) ** 2, 0) / Math.max(1, epochs.length - 1));
    // The median: a slice of time lost to another process in one epoch does not move it.
    return { mean: median(epochs), spread: mean > 0 ? sd / mean : 0, outside, warmup };
  };
  /** Two calibrations with CALIBRATION_STEPS / 3 and CALIBRATION_STEPS steps an epoch separate the cost of a step from an epoch's fixed cost. */
  const calibrate = async (config: ResolvedRunConfig, threads: number): Promise<StepCost> => {
    const key = `${costKey(config)}@${threads}`;
    const known = costs.get(key);
    if (known) return known;
    const most = Math.max(1, Math.min(CALIBRATION_STEPS, Math.floor(trainRows / config.train.batchSize)));
    const few = Math.max(1, Math.floor(most / 3));
    const alongside = Math.max(1, Math.min(runs.length, Math.floor(workers / threads)));
    const long = await time(config, threads, most, alongside);
    const short = few < most ? await time(config, threads, few, alongside) : long;
    const perStep = few < most && long.mean > short.mean ? (long.mean - short.mean) / (most - few) : long.mean / most;
    const cost = {
      seconds: perStep,
      signal: timeSignal(config, o.prepared),
      epoch: Math.max(0, long.mean - most * perStep),
      // The first calibration of a network may include the worker's own compilation: the smaller warm-up counts.
      run: (long.outside + short.outside) / 2 + Math.min(long.warmup, short.warmup),
      spread: Math.max(long.spread, short.spread),
    };
    costs.set(key, cost);
    return cost;
  };
  // Calibrate the first MAX_CALIBRATED networks at the team sizes their runs will get; scale the rest by FLOPs.
  const teams = new Map<string, Set<number>>();
  simulateSchedule(runs, workers, (run, threads) => {
    const set = teams.get(costKey(run.config)) ?? new Set<number>();
    set.add(threads);
    teams.set(costKey(run.config), set);
    return 1;
  });
  const calibrated: Array<{ config: ResolvedRunConfig; threads: number; cost: StepCost }> = [];
  // Untimed: compiles the main thread's signal code, as the estimate itself will have done before the runs.
  timeSignal(runs[0].config, o.prepared);
  for (const key of [...teams.keys()].slice(0, MAX_CALIBRATED)) {
    const config = runs.find((r) => costKey(r.config) === key)!.config;
    for (const threads of teams.get(key)!) calibrated.push({ config, threads, cost: await calibrate(config, threads) });
  }
  const stepCost = (config: ResolvedRunConfig, threads: number): StepCost => {
    const exact = calibrated.find((c) => costKey(c.config) === costKey(config) && c.threads === threads);
    if (exact) return exact.cost;
    const near = calibrated.find((c) => c.threads === threads) ?? calibrated[0];
    const scale = trainingFlopsPerStep(config) / trainingFlopsPerStep(near.config);
    return { ...near.cost, seconds: near.cost.seconds * scale, signal: near.cost.signal * scale };
  };
  const store = await timeStoreWrites(Math.max(...runs.map((r) => weightBytes(r.config))));
  const fixed = experimentOverhead(o.loadSeconds, store);
  const seconds =
    fixed + simulateSchedule(runs, workers, (run, threads) => laneTime(run.config, rowsOf(run), stepCost(run.config, threads), store));
  const spread = Math.max(CALIBRATION_FLOOR, ...calibrated.map((c) => c.cost.spread));
  const earlyStopping = runs.some((r) => r.config.train.earlyStopping !== null);
  // The shortest an early-stopped run can be: patience + 1 epochs (after startFromEpoch).
  const shortest = earlyStopping
    ? fixed +
      simulateSchedule(runs, workers, (run, threads) => {
        const es = run.config.train.earlyStopping;
        const epochs = es ? Math.min(run.config.train.epochs, es.startFromEpoch + es.patience + 1) : run.config.train.epochs;
        return laneTime({ ...run.config, train: { ...run.config.train, epochs } }, rowsOf(run), stepCost(run.config, threads), store);
      })
    : seconds;
  return {
    seconds,
    low: Math.min(seconds, shortest) * Math.max(0, 1 - 2 * spread),
    high: seconds * (1 + 2 * spread),
    earlyStopping,
    calibrated: calibrated.map((c) => ({
      stepSeconds: c.cost.seconds,
      epochSeconds: c.cost.epoch,
      runSeconds: c.cost.run,
      threads: c.threads,
      batch: c.config.train.batchSize,
    })),
  };
}

/** The middle value (the upper one of an even count). */
function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

let calibrations = 0;

/**
 * estimateExperiment on the runs' data: every distinct data spec of the runs prepared (and timed:
 * an experiment prepares its data first), the first registered with the pool for the calibration
 * runs (data factors never change the number of features, so a step costs the same on each), and
 * each run's steps counted on its own training rows.
 */
export async function estimateOnPool(
  runs: PlannedRun[],
  pool: WorkerPool,
  spec: Pick<ExperimentSpec, 'data' | 'diagnostics'>,
  embeddedDir: string,
): Promise<RunTimeEstimate> {
  const t0 = performance.now();
  const datasetId = `estimate:${++calibrations}`;
  const data = new ExperimentData(spec.data, datasetId, { embeddedDir });
  await data.prepareFor(runs);
  const loadSeconds = (performance.now() - t0) / 1000;
  const prepared = data.all()[0].prepared;
  pool.addDataset(datasetId, sharedDataset(prepared));
  try {
    const diagnostics = { ...DEFAULT_DIAGNOSTICS, ...spec.diagnostics };
    const trainRowsOf = (run: PlannedRun) => data.of(run).prepared.splits.train.length;
    return await estimateExperiment(runs, { pool, prepared, datasetId, loadSeconds, diagnostics, trainRowsOf });
  } finally {
    pool.dropDataset(datasetId);
  }
}

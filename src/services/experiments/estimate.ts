/**
 * How long an experiment will take on this machine, with its uncertainty, calibrated on the real
 * cost of its own models: each distinct network (architecture and batch size, at most
 * MAX_CALIBRATED; others are scaled by training FLOPs) is trained on the pool with the whole
 * validation and test splits and the experiment's diagnostics (estimate-calibration.ts: in a pool
 * warmed up once, until at least MIN_TIMED_SECONDS of epochs are timed, warm-up epochs dropped,
 * the mean epoch kept), on one worker and, when the scheduling policy will give its runs a team,
 * on that team. When the
 * runs' epoch has at most CALIBRATION_STEPS steps it is calibrated whole; a longer one is
 * extrapolated from epochs of CALIBRATION_STEPS and a third as many steps (the difference
 * separates a step's cost from an epoch's fixed cost, validation included). The run's time on its
 * worker outside its epochs (initialization, test split), plus what its first epoch took beyond
 * the mean and its setup, is its fixed cost there. A run's time on its worker is
 *
 *   t_run + epochs x (t_epoch + steps per epoch x t_step)
 *
 * Around it the runner spends, per run (estimate-host.ts, each measured here by doing the same
 * work once): its store writes before and after training (lane time), and its signal measurement
 * on the main thread, which all lanes share (one at a time). The experiment's time is the time to
 * load its data (measured) plus opening and closing its folder plus the makespan of the runner's
 * schedule (experiment-runner.ts: lanes, one run each, the policy's team sizes, the main thread
 * as one more shared resource) simulated with those times. The range is a factor e^(2s) either
 * side, s the calibrations' largest log-scale spread of blocks of epochs (at least
 * CALIBRATION_FLOOR); early stopping can only make runs shorter, so it lowers the bottom of the
 * range to the runs' shortest possible length. Tested against real runs by
 * `npm run bench -- --only estimate` (BENCHMARKS.md). Main thread.
 */
import {
  DEFAULT_DIAGNOSTICS,
  type DiagnosticsOptions,
  effectiveKernelSet,
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
import { CALIBRATION_STEPS, type EpochTiming, logSpread, timeEpochs, warmUp } from './estimate-calibration.js';
import { type StoreCost, timeSignal, timeStoreRun, weightBytes } from './estimate-host.js';

export const MAX_CALIBRATED = 4;
/** The least relative uncertainty a calibration claims (the machine's speed drifts). */
export const CALIBRATION_FLOOR = 0.1;

export interface StepCost {
  /** Seconds per training step, fixed seconds per epoch, fixed seconds per run on its worker; relative (log-scale) spread. */
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
  store: Pick<StoreCost, 'before' | 'after'>,
): LaneTime {
  return { before: store.before, host: cost.signal, after: runSeconds(config, trainRows, cost) + store.after };
}

/** Seconds outside the schedule: loading the data, and opening and closing the experiment's folder. */
export function experimentOverhead(loadSeconds: number, store: Pick<StoreCost, 'open' | 'close'>): number {
  return loadSeconds + store.open + store.close;
}

/** Seconds of one run from its network's costs: run + epochs x (epoch + steps x step). */
export function runSeconds(config: ResolvedRunConfig, trainRows: number, cost: Pick<StepCost, 'seconds' | 'epoch' | 'run'>): number {
  return cost.run + config.train.epochs * (cost.epoch + stepsPerEpoch(config, trainRows) * cost.seconds);
}

/** Training steps in an epoch of `trainRows` rows (the partial last batch kept unless dropLast). */
export function stepsPerEpoch(config: ResolvedRunConfig, trainRows: number): number {
  const batch = config.train.batchSize;
  return config.train.dropLast ? Math.floor(trainRows / batch) : Math.ceil(trainRows / batch);
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

/** The estimate, and the parts it was made of (for the bench's term-by-term comparison with a real run). */
export interface DetailedEstimate {
  estimate: RunTimeEstimate;
  /** Seconds: loading the data; the store's work (estimate-host.ts). */
  loadSeconds: number;
  store: StoreCost;
  /** Per network calibrated and team size: its costs. */
  costs: Array<{ config: ResolvedRunConfig; threads: number; cost: StepCost }>;
  /** Seconds the calibration took (training on the pool, signal and store timings). */
  calibrationSeconds: number;
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
    /** Times the store's work for this run (estimate-host.ts timeStoreRun); default: none. */
    rehearseStore?: (run: PlannedRun) => Promise<StoreCost>;
  },
): Promise<DetailedEstimate> {
  const t0 = performance.now();
  const workers = o.pool.size;
  const train = o.prepared.splits.train;
  const rowsOf = o.trainRowsOf ?? (() => train.length);
  const costs = new Map<string, StepCost>();
  /**
   * A network's costs at a team size, from `alongside` copies trained at once: as many runs as
   * the schedule trains side by side at this team size, so the calibration shares the machine
   * (memory bandwidth, caches, other processes) as the runs will.
   */
  const calibrate = async (config: ResolvedRunConfig, threads: number): Promise<StepCost> => {
    const key = `${costKey(config)}@${threads}`;
    const known = costs.get(key);
    if (known) return known;
    const alongside = Math.max(1, Math.min(runs.length, Math.floor(workers / threads)));
    const steps = stepsPerEpoch(config, train.length);
    const mine = runs.filter((r) => costKey(r.config) === costKey(config));
    let perStep: number;
    let epoch: number;
    let timings: EpochTiming[];
    if (steps <= CALIBRATION_STEPS && mine.every((r) => rowsOf(r) === train.length)) {
      // The runs' whole epoch is short: calibrate on it as it is (its partial last batch included).
      const whole = await timeEpochs(o, config, threads, train, alongside);
      timings = [whole];
      perStep = whole.epoch / steps;
      epoch = 0;
    } else {
      // Epochs of CALIBRATION_STEPS and a third as many steps: the difference separates a step's
      // cost from an epoch's fixed cost (validation included), and the runs' epochs are extrapolated.
      const batch = config.train.batchSize;
      const most = Math.max(1, Math.min(CALIBRATION_STEPS, Math.floor(train.length / batch)));
      const few = Math.max(1, Math.floor(most / 3));
      const long = await timeEpochs(o, config, threads, train.subarray(0, most * batch), alongside);
      const short = few < most ? await timeEpochs(o, config, threads, train.subarray(0, few * batch), alongside) : long;
      timings = few < most ? [long, short] : [long];
      perStep = few < most && long.epoch > short.epoch ? (long.epoch - short.epoch) / (most - few) : long.epoch / most;
      epoch = Math.max(0, long.epoch - most * perStep);
    }
    const cost: StepCost = {
      seconds: perStep,
      epoch,
      // Outside the epochs on the worker (start, test split), plus the first epoch's excess and the
      // run's setup; the least of the latter two (the first calibration may include compilation).
      run:
        timings.reduce((a, t) => a + t.outside, 0) / timings.length +
        Math.min(...timings.map((t) => t.warmup)) +
        Math.min(...timings.map((t) => t.setup)),
      spread: logSpread(timings.flatMap((t) => t.blocks)),
      signal: timeSignal(config, o.prepared),
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
  await warmUp(o, runs[0].config);
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
  // The store's work for the run with the most weights (the largest files).
  const largest = runs.reduce((a, r) => (weightBytes(r.config) > weightBytes(a.config) ? r : a));
  const store = (await o.rehearseStore?.(largest)) ?? { before: 0, after: 0, open: 0, close: 0 };
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
    estimate: {
      seconds,
      ...estimateRange(seconds, shortest, spread),
      earlyStopping,
      calibrated: calibrated.map((c) => ({
        stepSeconds: c.cost.seconds,
        epochSeconds: c.cost.epoch,
        runSeconds: c.cost.run,
        threads: c.threads,
        batch: c.config.train.batchSize,
      })),
    },
    loadSeconds: o.loadSeconds,
    store,
    costs: calibrated,
    calibrationSeconds: (performance.now() - t0) / 1000,
  };
}

/**
 * The range around an estimate of `seconds` with relative spread `spread` (a log-scale standard
 * deviation): a factor e^(2 x spread) either side, so it is never negative and never zero; early
 * stopping lowers the bottom to the `shortest` the runs can be, by the same factor.
 */
export function estimateRange(seconds: number, shortest: number, spread: number): { low: number; high: number } {
  const factor = Math.exp(2 * spread);
  return { low: Math.min(seconds, shortest) / factor, high: seconds * factor };
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
  spec: ExperimentSpec,
  embeddedDir: string,
): Promise<RunTimeEstimate> {
  return (await estimateOnPoolDetailed(runs, pool, spec, embeddedDir)).estimate;
}

/** estimateOnPool with the parts of the estimate (DetailedEstimate). */
export async function estimateOnPoolDetailed(
  runs: PlannedRun[],
  pool: WorkerPool,
  spec: ExperimentSpec,
  embeddedDir: string,
): Promise<DetailedEstimate> {
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
    // The run's config.json as the runner writes it (experiment-runner.ts), for the store's rehearsal.
    const rehearseStore = (run: PlannedRun) => {
      const { spec: dataSpec, prepared: p } = data.of(run);
      const splits = { train: p.splits.train.length, validation: p.splits.validation.length, test: p.splits.test.length };
      const info = { name: p.dataset.name, rows: p.dataset.n, features: p.dataset.d, splits, preprocess: p.preprocess };
      const stored = { data: info, dataSpec, kernels: effectiveKernelSet(spec.execution?.kernels), threads: 1 };
      return timeStoreRun(spec, run, stored, splits.train);
    };
    return await estimateExperiment(runs, { pool, prepared, datasetId, loadSeconds, diagnostics, trainRowsOf, rehearseStore });
  } finally {
    pool.dropDataset(datasetId);
  }
}

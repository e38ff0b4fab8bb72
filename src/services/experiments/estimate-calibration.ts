/**
 * The calibration behind the time estimate (estimate.ts): a network's real cost on the pool,
 * measured by training it there, at the experiment's own sizes (its validation and test splits,
 * its diagnostics, as many copies side by side as the schedule will train).
 *
 * A timed interval must be long enough to mean something: the epochs of a small network last a
 * millisecond, and now and then one takes ten (a collection, another process), so a few of them
 * say little about the sum of thousands. A calibration therefore trains a short pilot
 * (CALIBRATION_EPOCHS epochs); when its timed epochs (the warm-up ones dropped: warmupEpochs) last less
 * than MIN_TIMED_SECONDS per copy, the pilot only warms the workers up and sizes the next run,
 * which trains enough epochs to reach that length by itself (and one more run tops it up if it
 * fell short). It keeps the *mean* epoch: the sum of a real run's epochs is what the estimate
 * predicts, occasional slow epochs included. Its spread is
 * that of blocks of consecutive epochs at least BLOCK_SECONDS long, on a log scale (a time's
 * uncertainty is a factor, and a factor never makes it negative): `logSpread(blockMeans(...))`.
 * Main thread.
 */
import type { DiagnosticsOptions, PreparedData, ResolvedRunConfig, RunResult, WorkerPool } from '../../engine/index.js';

/** The most training steps in a calibration epoch (a network's epochs longer than that are extrapolated from two step counts). */
export const CALIBRATION_STEPS = 48;
/** Epochs of a calibration's pilot (the first is the warm-up, not timed). */
export const CALIBRATION_EPOCHS = 4;
/** The least training time a calibration times per copy, warm-up epochs excluded. */
export const MIN_TIMED_SECONDS = 0.15;
/** Consecutive epochs are grouped into blocks at least this long for the spread. */
export const BLOCK_SECONDS = 0.025;
/** At most this many epochs in one calibration run, and this many runs (pilot included) per calibration. */
export const MAX_CALIBRATION_EPOCHS = 1000;
export const MAX_CALIBRATION_ROUNDS = 3;
/** An epoch more than this many times the run's late median is still warming up (warmupEpochs). */
export const WARM_FACTOR = 1.5;

/** What a calibration measured, per copy averaged where it says so. */
export interface EpochTiming {
  /** Mean seconds of a timed epoch (all copies' timed epochs). */
  epoch: number;
  /** Mean seconds per epoch of each block (blockMeans) of every copy and round that timed at least one block. */
  blocks: number[];
  /** Mean seconds of a run on its worker outside its epochs (initialization, the test split at its end). */
  outside: number;
  /** The least excess of a run's warm-up epochs (warmupEpochs) over as many mean epochs. */
  warmup: number;
  /** The least time from submitting a run to its result beyond the worker's own training loop (setting up the run, messages). */
  setup: number;
  /** Seconds of timed epochs per copy. */
  timed: number;
}

/**
 * The mean epoch seconds of each block of consecutive `epochs` at least `minSeconds` long (a last
 * block shorter than that joins the one before it). One block per epoch when minSeconds <= 0.
 */
export function blockMeans(epochs: readonly number[], minSeconds: number): number[] {
  const blocks: number[][] = [];
  let current: number[] = [];
  let sum = 0;
  for (const e of epochs) {
    current.push(e);
    sum += e;
    if (sum >= minSeconds) {
      blocks.push(current);
      current = [];
      sum = 0;
    }
  }
  if (current.length > 0) {
    if (blocks.length > 0) blocks[blocks.length - 1].push(...current);
    else blocks.push(current);
  }
  return blocks.map((b) => b.reduce((a, v) => a + v, 0) / b.length);
}

/**
 * How many leading epochs of a calibration run are its warm-up: at least the first (a new run's
 * memory is touched for the first time), then every one after it still above WARM_FACTOR times
 * the median of the run's second half (code still being compiled in a pool that has not trained
 * yet), at most half the run.
 */
export function warmupEpochs(epochs: readonly number[]): number {
  const late = [...epochs.slice(Math.floor(epochs.length / 2))].sort((a, b) => a - b);
  const median = late[Math.floor(late.length / 2)];
  let k = 1;
  while (k < Math.floor(epochs.length / 2) && epochs[k] > WARM_FACTOR * median) k++;
  return k;
}

/** The sample standard deviation of ln(values): a relative spread (0.1 is about 10%); 0 for fewer than two positive values. */
export function logSpread(values: readonly number[]): number {
  const logs = values.filter((v) => v > 0).map(Math.log);
  if (logs.length < 2) return 0;
  const mean = logs.reduce((a, v) => a + v, 0) / logs.length;
  return Math.sqrt(logs.reduce((a, v) => a + (v - mean) ** 2, 0) / (logs.length - 1));
}

/**
 * Epochs of the next calibration run, given `timed` seconds timed so far per copy at `epochSeconds`
 * an epoch: enough to reach MIN_TIMED_SECONDS, plus the warm-up epoch, within
 * [CALIBRATION_EPOCHS, MAX_CALIBRATION_EPOCHS]; 0 when enough is timed.
 */
export function nextCalibrationEpochs(timed: number, epochSeconds: number): number {
  if (timed >= MIN_TIMED_SECONDS) return 0;
  const wanted = epochSeconds > 0 ? Math.ceil((MIN_TIMED_SECONDS - timed) / epochSeconds) + 1 : MAX_CALIBRATION_EPOCHS;
  return Math.min(MAX_CALIBRATION_EPOCHS, Math.max(CALIBRATION_EPOCHS, wanted));
}

export interface CalibrationSetup {
  pool: WorkerPool;
  prepared: PreparedData;
  datasetId: string;
  diagnostics: DiagnosticsOptions;
  /** The rows evaluated after each epoch and at the end; default: the whole validation and test splits. */
  evaluate?: { validation: Int32Array; test: Int32Array };
}

/** Pools whose workers have trained a calibration (warmUp). */
const warmPools = new WeakSet<WorkerPool>();

/**
 * Warms a pool's workers up once, before its first calibration: in a pool that has not trained
 * yet, a small network's epochs run several times slower for the first tenth of a second or so
 * while the workers' code is compiled (the first estimate in a fresh pool came out 2-5x long).
 * Trains `workers` copies of `config` on one batch an epoch, evaluated on one batch, for as long
 * as a calibration (timeEpochs), and throws the times away: cheap whatever the network (a large
 * one's pilot is long enough alone, and one step an epoch keeps it short).
 */
export async function warmUp(o: CalibrationSetup, config: ResolvedRunConfig): Promise<void> {
  if (warmPools.has(o.pool)) return;
  warmPools.add(o.pool);
  const rows = (split: Int32Array) => split.subarray(0, Math.min(split.length, config.train.batchSize));
  const { train, validation, test } = o.prepared.splits;
  const evaluate = { validation: rows(validation), test: rows(test) };
  await timeEpochs({ ...o, evaluate }, config, 1, rows(train), o.pool.size);
}

/**
 * Trains `alongside` copies of `config` on teams of `threads` workers, each epoch on `train`
 * (training rows), with the whole validation and test splits, until enough is timed (see the
 * top of this file). Early stopping and the divergence rule are off: every epoch is trained.
 */
export async function timeEpochs(
  o: CalibrationSetup,
  config: ResolvedRunConfig,
  threads: number,
  train: Int32Array,
  alongside: number,
): Promise<EpochTiming> {
  let timedEpochs: number[] = [];
  let blocks: number[] = [];
  let outside: number[] = [];
  let warmup = Infinity;
  let setup = Infinity;
  let epochs = CALIBRATION_EPOCHS;
  for (let round = 0; round < MAX_CALIBRATION_ROUNDS && epochs > 0; round++) {
    const results = await Promise.all(Array.from({ length: alongside }, () => submitTimed(o, config, threads, train, epochs)));
    for (const { result, wall } of results) {
      const { outcome } = result;
      const all = outcome.epochs.map((e) => e.seconds);
      if (all.length < 2) throw new Error(`the calibration run did not train: ${outcome.stopReason}`);
      const lead = warmupEpochs(all);
      const timed = all.slice(lead);
      const sum = timed.reduce((a, b) => a + b, 0);
      const warm = all.slice(0, lead).reduce((a, b) => a + b, 0);
      timedEpochs.push(...timed);
      // A pilot shorter than one block says too little about the spread: its epochs count for the mean only.
      if (sum >= BLOCK_SECONDS) blocks.push(...blockMeans(timed, BLOCK_SECONDS));
      outside.push(Math.max(0, outcome.seconds - sum - warm));
      warmup = Math.min(warmup, Math.max(0, warm - (lead * sum) / timed.length));
      setup = Math.min(setup, Math.max(0, wall - outcome.seconds));
    }
    const total = timedEpochs.reduce((a, b) => a + b, 0);
    const mean = total / timedEpochs.length;
    epochs = nextCalibrationEpochs(total / alongside, mean);
    if (round === 0 && epochs > 0) {
      // The pilot was too short: it only warmed the workers up (in a pool that has not trained yet
      // their code is still being compiled for several epochs) and sized the next run, which is
      // timed from scratch.
      epochs = nextCalibrationEpochs(0, mean);
      timedEpochs = [];
      blocks = [];
      outside = [];
    }
  }
  const total = timedEpochs.reduce((a, b) => a + b, 0);
  return {
    epoch: total / timedEpochs.length,
    // Too short for two blocks (a network whose MAX_CALIBRATION_EPOCHS epochs are that fast): each epoch is one.
    blocks: blocks.length >= 2 ? blocks : timedEpochs,
    outside: outside.reduce((a, b) => a + b, 0) / outside.length,
    warmup,
    setup,
    timed: total / alongside,
  };
}

/** One calibration run on the pool, and its wall time from submit to result (seconds). */
async function submitTimed(
  o: CalibrationSetup,
  config: ResolvedRunConfig,
  threads: number,
  train: Int32Array,
  epochs: number,
): Promise<{ result: RunResult; wall: number }> {
  const t0 = performance.now();
  const result = await o.pool.submit({
    config: { ...config, train: { ...config.train, epochs, earlyStopping: null, divergenceFactor: null } },
    datasetId: o.datasetId,
    train,
    validation: o.evaluate?.validation ?? o.prepared.splits.validation,
    test: o.evaluate?.test ?? o.prepared.splits.test,
    threads,
    diagnostics: o.diagnostics,
  }).result;
  return { result, wall: (performance.now() - t0) / 1000 };
}

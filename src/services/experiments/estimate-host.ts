/**
 * The costs of an experiment outside its workers' training, for the time estimate (estimate.ts),
 * each measured on this machine by doing the same work once:
 *
 * - `signal`: the runner measures each run's signal at initialization (signal.ts) on the main
 *   thread before submitting it, synchronously, so the lanes wait for one another there. Timed by
 *   calling the same function on the run's config and data (after one untimed call, so the
 *   main thread's compilation is not counted: the estimate itself warms it up).
 * - the store: a rehearsal of one run with the real store (store/experiment-store.ts) in a
 *   temporary folder, the experiment's own spec and a run of its largest network: opening the
 *   experiment (folder, lock, experiment.json), then the run's writes before it trains (claim,
 *   reset, folder, config.json, the metrics file opened) and after (weights.bin and its index,
 *   the metrics flushed and fsync'd, summary.json, the claim released; the run's metric lines
 *   appended in between, untimed: the runner appends them while the run trains), then closing
 *   the experiment. I/O: the lane waits, the main thread does not.
 *
 * Main thread.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ENGINE_VERSION, planModel, type PreparedData, type ResolvedRunConfig } from '../../engine/index.js';
import { specHashOf } from '../store/canonical.js';
import { type ExperimentHandle, ExperimentStore } from '../store/experiment-store.js';
import type { StoredRunConfig } from '../store/layout.js';
import { signalRecord } from './signal.js';
import { failedSummary } from './summary.js';
import type { ExperimentSpec, MetricRecord, PlannedRun } from './types.js';

export interface StoreCost {
  /** Seconds of a run's store work before training and after; of opening and of closing the experiment. */
  before: number;
  after: number;
  open: number;
  close: number;
}

/** Seconds of one signal measurement of `config` on `prepared`, as the runner makes it (0 if it fails: the runner skips it too). */
export function timeSignal(config: ResolvedRunConfig, prepared: PreparedData): number {
  const t0 = performance.now();
  try {
    signalRecord(config, prepared);
  } catch {
    return 0;
  }
  return (performance.now() - t0) / 1000;
}

/** At most this many metric lines are appended in the rehearsal (a longer run writes most of its lines long before its end). */
export const REHEARSED_LINES = 20_000;

/**
 * Times the store's work for one run (see the top of this file), in a temporary folder removed
 * afterwards; zero when it cannot be done there (the estimate then leaves the store out).
 */
export async function timeStoreRun(
  spec: ExperimentSpec,
  run: PlannedRun,
  stored: Omit<StoredRunConfig, 'runId' | 'variant' | 'seed' | 'config'>,
  trainRows: number,
): Promise<StoreCost> {
  let root: string;
  try {
    root = mkdtempSync(path.join(tmpdir(), 'ablate-estimate-store-'));
  } catch {
    return NO_STORE_COST;
  }
  let handle: ExperimentHandle | undefined;
  try {
    const plan = planModel(run.config.model);
    let t0 = performance.now();
    handle = await new ExperimentStore(root).createOrOpen(spec, specHashOf(spec), ENGINE_VERSION);
    const open = seconds(t0);
    t0 = performance.now();
    await handle.claimRun(run.id);
    await handle.isRunComplete(run.id);
    await handle.resetRun(run.id);
    const writer = await handle.runWriter(run.id);
    await writer.writeConfig({ runId: run.id, variant: run.variant, seed: run.seed, config: run.config, ...stored });
    const before = seconds(t0);
    for (const line of metricLines(run, trainRows)) writer.append(line);
    t0 = performance.now();
    await writer.writeWeights(new Float32Array(plan.paramCount), new Float32Array(plan.bufferCount));
    const now = new Date();
    await writer.writeSummary(
      failedSummary(run, 'a rehearsal of the store for the time estimate', now, now, {
        result: null,
        trainRows,
        kernels: stored.kernels,
        threads: stored.threads,
      }),
    );
    await writer.close();
    await handle.releaseRun(run.id);
    const after = seconds(t0);
    t0 = performance.now();
    await handle.close();
    return { before, after, open, close: seconds(t0) };
  } catch {
    return NO_STORE_COST;
  } finally {
    // After a failure too: its lock and claims stop renewing before their folder goes.
    await handle?.close().catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  }
}

const NO_STORE_COST: StoreCost = { before: 0, after: 0, open: 0, close: 0 };

function seconds(t0: number): number {
  return (performance.now() - t0) / 1000;
}

/** A run's step and epoch records as the runner stores them (values made up), at most REHEARSED_LINES. */
function* metricLines(run: PlannedRun, trainRows: number): Generator<MetricRecord> {
  const { epochs, batchSize } = run.config.train;
  const steps = Math.ceil(trainRows / batchSize);
  let lines = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let s = 1; s <= steps; s++) {
      if (++lines > REHEARSED_LINES) return;
      yield {
        kind: 'step',
        step: epoch * steps + s,
        epoch,
        loss: 0.6931471805599453,
        gradNorm: 1.4142135623730951,
        clipCoef: 1,
        lr: 0.001,
      };
    }
    yield {
      kind: 'epoch',
      epoch,
      lr: 0.001,
      trainLoss: 0.6931471805599453,
      trainAccuracy: 0.5,
      valLoss: 0.6931471805599453,
      valAccuracy: 0.5,
      penalty: 0,
      steps,
      seconds: 0.0123456789,
    };
  }
}

/** Bytes of a network's weights and biases as float32 (weights.bin without its padding and buffers). */
export function weightBytes(config: ResolvedRunConfig): number {
  const widths = [config.model.inputSize, ...config.model.hidden.map((h) => h.width), config.model.outputSize];
  let values = 0;
  for (let l = 1; l < widths.length; l++) values += widths[l - 1] * widths[l] + widths[l];
  return 4 * values;
}

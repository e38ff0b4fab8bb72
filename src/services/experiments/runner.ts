/**
 * Runs an experiment: opens (or resumes) its folder in the store, loads and prepares the data
 * once, registers it with the worker pool, expands the grid, and trains every run that is not
 * complete yet, at most `pool.size` at a time. Streams metrics into each run's metrics.ndjson and
 * reports progress as events; writes weights and the summary when a run ends. Cancel one run or
 * all. A run whose files cannot be written (disk full) fails alone, with the reason in its summary
 * when the store still takes one; its siblings train on, and the experiment folder is closed only
 * once every run has settled. A crash loses at most the runs in flight: rerunning the same spec
 * keeps completed runs and reruns the rest. Main thread only (plain Node, no Electron).
 */
import {
  absoluteDataPaths,
  checkConfigFitsData,
  type DataShape,
  DEFAULT_DIAGNOSTICS,
  type DiagnosticsOptions,
  effectiveKernelSet,
  ENGINE_VERSION,
  errorMessage,
  type KernelSetName,
  loadPrepared,
  type PreparedData,
  type ProgressBatch,
  type RunHandle,
  type RunResult,
  type WorkerPool,
} from '../../engine/index.js';
import type { ExperimentStore } from '../store/experiment-store.js';
import type { RunWriter } from '../store/run-writer.js';
import { specHashOf } from '../store/canonical.js';
import { expandExperiment } from './spec/expand.js';
import { buildSummary, closingEvents, failedSummary } from './summary.js';
import type { ExperimentSpec, MetricRecord, PlannedRun, RunSummary } from './types.js';

export type RunnerEvent =
  | { type: 'experiment-started'; experimentId: string; runs: PlannedRun[]; skipped: string[] }
  | { type: 'run-started'; experimentId: string; runId: string }
  | {
      type: 'run-progress';
      experimentId: string;
      runId: string;
      epoch: number;
      epochs: number;
      step: number;
      loss: number | null;
      records: MetricRecord[];
    }
  | { type: 'run-finished'; experimentId: string; runId: string; summary: RunSummary }
  /** Every run has settled; `error` when the experiment itself failed (its lock could not be released...). */
  | { type: 'experiment-finished'; experimentId: string; summaries: RunSummary[]; error?: string };

export interface RunnerOptions {
  pool: WorkerPool;
  store: ExperimentStore;
  embeddedDir: string;
  /** Relative data paths in the spec resolve against this folder. */
  baseDir?: string;
  kernels?: KernelSetName;
  onEvent?: (event: RunnerEvent) => void;
}

export interface ExperimentJob {
  id: string;
  dir: string;
  runs: PlannedRun[];
  /** Ids of the runs that were complete already (a resume): they are not trained again. */
  skipped: string[];
  prepared: PreparedData;
  /**
   * Resolves when every run has ended (completed, stopped, failed or cancelled) with the summaries
   * of the runs trained. A run's own failure (a store error) is a failed run, never a rejection;
   * rejects only when the experiment as a whole fails (its folder could not be closed).
   */
  done: Promise<RunSummary[]>;
  cancelRun(runId: string): void;
  cancelAll(): void;
}

/**
 * Opens the experiment, loads the data and starts training. No run starts before the caller's
 * `await` has resumed, so a caller that registers the job right away sees every run event; only
 * experiment-started is emitted before this resolves.
 */
export async function startExperiment(given: ExperimentSpec, o: RunnerOptions): Promise<ExperimentJob> {
  // Stored with absolute data paths, so the store's copy can reload the data from anywhere
  // (exports, the app); the same file in the same place still hashes to the same experiment.
  const spec = withAbsoluteDataPaths(given, o.baseDir ?? process.cwd());
  const { variants, runs } = expandExperiment(spec);
  const { prepared } = await loadPrepared(spec.data, { embeddedDir: o.embeddedDir, baseDir: o.baseDir });
  const shape = dataShape(prepared);
  for (const v of variants) checkConfigFitsData(runs.find((r) => r.variant.id === v.id)!.config, shape);
  const handle = await o.store.createOrOpen(spec, specHashOf(spec), ENGINE_VERSION);
  const datasetId = `experiment:${handle.id}`;
  let completed: Set<string>;
  try {
    completed = await handle.completedRunIds();
    const t = prepared.dataset.targets;
    o.pool.addDataset(datasetId, {
      features: prepared.features,
      d: prepared.dataset.d,
      labels: t.kind === 'class' ? t.labels : null,
      values: t.kind === 'vector' ? t.values : null,
      width: t.kind === 'vector' ? t.width : 1,
    });
  } catch (err) {
    await handle.close().catch(() => undefined); // release the lock: nothing runs
    throw err;
  }
  const todo = runs.filter((r) => !completed.has(r.id));
  const skipped = runs.filter((r) => completed.has(r.id)).map((r) => r.id);
  const emit = (e: RunnerEvent) => {
    try {
      o.onEvent?.(e);
    } catch {
      // A broken listener must not fail runs (progress arrives inside the pool's message handler).
    }
  };
  emit({ type: 'experiment-started', experimentId: handle.id, runs, skipped });

  const handles = new Map<string, RunHandle>();
  const cancelled = new Set<string>();
  let cancelAll = false;
  const diagnostics: DiagnosticsOptions = { ...DEFAULT_DIAGNOSTICS, ...spec.diagnostics };
  const kernels = spec.execution?.kernels ?? o.kernels;
  const threads = spec.execution?.threadsPerRun ?? 0;
  const trainRows = prepared.splits.train.length;

  /** Trains one run and stores it; any failure (the store's included) ends as a failed run, never a throw. */
  const runOne = async (run: PlannedRun): Promise<RunSummary | null> => {
    if (cancelAll || cancelled.has(run.id)) return null;
    const startedAt = new Date();
    let writer: RunWriter | null = null;
    let result: RunResult | null = null;
    try {
      await handle.resetRun(run.id);
      writer = await handle.runWriter(run.id);
      await writer.writeConfig({
        runId: run.id,
        variant: run.variant,
        seed: run.seed,
        config: run.config,
        data: {
          name: prepared.dataset.name,
          rows: prepared.dataset.n,
          features: prepared.dataset.d,
          splits: splitSizes(prepared),
          preprocess: prepared.preprocess,
        },
        kernels: kernels ?? 'wasm',
        threads,
      });
      emit({ type: 'run-started', experimentId: handle.id, runId: run.id });
      const w = writer;
      // A metrics write that fails (disk full) stops the run: its records could not be kept.
      let storeFailure: { error: unknown } | null = null;
      const submitted: RunHandle = o.pool.submit({
        config: run.config,
        datasetId,
        train: prepared.splits.train,
        validation: prepared.splits.validation,
        test: prepared.splits.test,
        threads: spec.execution?.threadsPerRun,
        kernels,
        diagnostics,
        onProgress: (p) => {
          const records = progressRecords(p);
          if (storeFailure === null) {
            try {
              for (const r of records) w.append(r);
            } catch (error) {
              storeFailure = { error };
              submitted.cancel();
            }
          }
          emit(progressEvent(handle.id, run, p, records));
        },
      });
      handles.set(run.id, submitted);
      if (cancelAll || cancelled.has(run.id)) submitted.cancel();
      result = await submitted.result;
      if (storeFailure !== null) throw (storeFailure as { error: unknown }).error;
      for (const r of closingEvents(result)) writer.append(r);
      if (result.weightsSha256 !== null) await writer.writeWeights(result.params, result.bnBuffers);
      const summary = buildSummary(run, result, startedAt, new Date(), trainRows);
      await writer.writeSummary(summary);
      emit({ type: 'run-finished', experimentId: handle.id, runId: run.id, summary });
      return summary;
    } catch (err) {
      const summary = failedSummary(run, errorMessage(err), startedAt, new Date(), {
        result,
        trainRows,
        kernels: result?.kernels ?? effectiveKernelSet(kernels),
        threads: result?.threads ?? threads,
      });
      // Recorded when the store still allows it; a resume reruns the run either way.
      await writer?.writeSummary(summary).catch(() => undefined);
      emit({ type: 'run-finished', experimentId: handle.id, runId: run.id, summary });
      return summary;
    } finally {
      handles.delete(run.id);
      await writer?.close().catch(() => undefined);
    }
  };

  const done = (async () => {
    // Let the caller's `await startExperiment(...)` resume (and register the job) before any run event.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const summaries: RunSummary[] = [];
    let next = 0;
    const lane = async () => {
      while (next < todo.length) {
        const s = await runOne(todo[next++]);
        if (s) summaries.push(s);
      }
    };
    // Every run settles before the dataset is dropped and the folder closed, whatever happens to a lane.
    const lanes = await Promise.allSettled(Array.from({ length: Math.min(o.pool.size, todo.length) }, lane));
    let fatal: unknown = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected')?.reason;
    o.pool.dropDataset(datasetId);
    try {
      await handle.close();
    } catch (err) {
      fatal ??= err;
    }
    if (fatal !== undefined) {
      emit({ type: 'experiment-finished', experimentId: handle.id, summaries, error: errorMessage(fatal) });
      throw fatal;
    }
    emit({ type: 'experiment-finished', experimentId: handle.id, summaries });
    return summaries;
  })();

  return {
    id: handle.id,
    dir: handle.dir,
    runs,
    skipped,
    prepared,
    done,
    cancelRun(runId) {
      cancelled.add(runId);
      handles.get(runId)?.cancel();
    },
    cancelAll() {
      cancelAll = true;
      for (const h of handles.values()) h.cancel();
    },
  };
}

/** The metric records of a progress batch, in the order they are stored. */
function progressRecords(p: ProgressBatch): MetricRecord[] {
  return [
    ...p.steps.map((s) => ({ kind: 'step' as const, ...s })),
    ...p.diagnostics,
    ...p.epochs.map((e) => ({ kind: 'epoch' as const, ...e })),
  ];
}

function progressEvent(experimentId: string, run: PlannedRun, p: ProgressBatch, records: MetricRecord[]): RunnerEvent {
  const last = p.steps.at(-1);
  return {
    type: 'run-progress',
    experimentId,
    runId: run.id,
    epoch: last?.epoch ?? p.epochs.at(-1)?.epoch ?? 0,
    epochs: run.config.train.epochs,
    step: last?.step ?? 0,
    loss: last?.loss ?? null,
    records,
  };
}

/** `spec` with its data file paths made absolute against `baseDir` (the data layer knows which fields are files). */
export function withAbsoluteDataPaths(spec: ExperimentSpec, baseDir: string): ExperimentSpec {
  const data = absoluteDataPaths(spec.data, baseDir);
  return data === spec.data ? spec : { ...spec, data };
}

export function dataShape(p: PreparedData): DataShape {
  const t = p.dataset.targets;
  return {
    name: p.dataset.name,
    d: p.dataset.d,
    targets: t.kind === 'class' ? { kind: 'class', classes: t.classNames.length } : { kind: 'vector', width: t.width },
    trainRows: p.splits.train.length,
    validationRows: p.splits.validation.length,
  };
}

function splitSizes(p: PreparedData): { train: number; validation: number; test: number } {
  return { train: p.splits.train.length, validation: p.splits.validation.length, test: p.splits.test.length };
}

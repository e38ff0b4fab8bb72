/**
 * Runs an experiment: opens (or resumes) its folder in the store, loads and prepares the data
 * once, registers it with the worker pool, expands the grid, and trains every run that is not
 * complete yet, at most `pool.size` at a time. Streams metrics into each run's metrics.ndjson and
 * reports progress as events; writes weights and the summary when a run ends. Cancel one run or
 * all. A crash loses at most the runs in flight: rerunning the same spec keeps completed runs and
 * reruns the rest. Main thread only (plain Node, no Electron).
 */
import path from 'node:path';
import { checkConfigFitsData, type DataShape } from '../../engine/config/fit-data.js';
import { loadPrepared } from '../../engine/data/load.js';
import type { PreparedData } from '../../engine/data/prepare.js';
import type { KernelSetName } from '../../engine/kernels/types.js';
import type { ProgressBatch } from '../../engine/parallel/protocol.js';
import type { RunHandle, WorkerPool } from '../../engine/parallel/pool.js';
import { DEFAULT_DIAGNOSTICS, type DiagnosticsOptions } from '../../engine/probes/types.js';
import { ENGINE_VERSION } from '../../engine/version.js';
import type { ExperimentStore } from '../store/experiment-store.js';
import { specHashOf } from '../store/canonical.js';
import { expandExperiment } from './spec/expand.js';
import { buildSummary, closingEvents } from './summary.js';
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
  | { type: 'experiment-finished'; experimentId: string; summaries: RunSummary[] };

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
  prepared: PreparedData;
  /** Resolves when every run has ended (completed, stopped, failed or cancelled). */
  done: Promise<RunSummary[]>;
  cancelRun(runId: string): void;
  cancelAll(): void;
}

export async function startExperiment(given: ExperimentSpec, o: RunnerOptions): Promise<ExperimentJob> {
  // Stored with absolute data paths, so the store's copy can reload the data from anywhere
  // (exports, the app); the same file in the same place still hashes to the same experiment.
  const spec = withAbsoluteDataPaths(given, o.baseDir ?? process.cwd());
  const { variants, runs } = expandExperiment(spec);
  const { prepared } = await loadPrepared(spec.data, { embeddedDir: o.embeddedDir, baseDir: o.baseDir });
  const shape = dataShape(prepared);
  for (const v of variants) checkConfigFitsData(runs.find((r) => r.variant.id === v.id)!.config, shape);
  const handle = await o.store.createOrOpen(spec, specHashOf(spec), ENGINE_VERSION);
  const completed = await handle.completedRunIds();
  const todo = runs.filter((r) => !completed.has(r.id));
  const datasetId = `experiment:${handle.id}`;
  const t = prepared.dataset.targets;
  o.pool.addDataset(datasetId, {
    features: prepared.features,
    d: prepared.dataset.d,
    labels: t.kind === 'class' ? t.labels : null,
    values: t.kind === 'vector' ? t.values : null,
    width: t.kind === 'vector' ? t.width : 1,
  });
  const emit = (e: RunnerEvent) => o.onEvent?.(e);
  emit({ type: 'experiment-started', experimentId: handle.id, runs, skipped: runs.filter((r) => completed.has(r.id)).map((r) => r.id) });

  const handles = new Map<string, RunHandle>();
  const cancelled = new Set<string>();
  let cancelAll = false;
  const diagnostics: DiagnosticsOptions = { ...DEFAULT_DIAGNOSTICS, ...spec.diagnostics };
  const kernels = spec.execution?.kernels ?? o.kernels;

  const runOne = async (run: PlannedRun): Promise<RunSummary | null> => {
    if (cancelAll || cancelled.has(run.id)) return null;
    await handle.resetRun(run.id);
    const writer = await handle.runWriter(run.id);
    const startedAt = new Date();
    try {
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
        threads: spec.execution?.threadsPerRun ?? 0,
      });
      emit({ type: 'run-started', experimentId: handle.id, runId: run.id });
      const submitted = o.pool.submit({
        config: run.config,
        datasetId,
        train: prepared.splits.train,
        validation: prepared.splits.validation,
        test: prepared.splits.test,
        threads: spec.execution?.threadsPerRun,
        kernels,
        diagnostics,
        onProgress: (p) => emit(progressEvent(handle.id, run, p, (r) => writer.append(r))),
      });
      handles.set(run.id, submitted);
      if (cancelAll || cancelled.has(run.id)) submitted.cancel();
      const result = await submitted.result;
      for (const r of closingEvents(result)) writer.append(r);
      if (result.weightsSha256 !== null) await writer.writeWeights(result.params, result.bnBuffers);
      const summary = buildSummary(run, result, startedAt, new Date(), prepared.splits.train.length);
      await writer.writeSummary(summary);
      emit({ type: 'run-finished', experimentId: handle.id, runId: run.id, summary });
      return summary;
    } finally {
      handles.delete(run.id);
      await writer.close();
    }
  };

  const done = (async () => {
    const summaries: RunSummary[] = [];
    let next = 0;
    const lane = async () => {
      while (next < todo.length) {
        const s = await runOne(todo[next++]);
        if (s) summaries.push(s);
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(o.pool.size, todo.length) }, lane));
    } finally {
      o.pool.dropDataset(datasetId);
      await handle.close();
    }
    emit({ type: 'experiment-finished', experimentId: handle.id, summaries });
    return summaries;
  })();

  return {
    id: handle.id,
    dir: handle.dir,
    runs,
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

function progressEvent(experimentId: string, run: PlannedRun, p: ProgressBatch, write: (r: MetricRecord) => void): RunnerEvent {
  const records: MetricRecord[] = [
    ...p.steps.map((s) => ({ kind: 'step' as const, ...s })),
    ...p.diagnostics,
    ...p.epochs.map((e) => ({ kind: 'epoch' as const, ...e })),
  ];
  for (const r of records) write(r);
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

export function withAbsoluteDataPaths(spec: ExperimentSpec, baseDir: string): ExperimentSpec {
  const d = spec.data;
  if (d.source === 'csv') return { ...spec, data: { ...d, path: path.resolve(baseDir, d.path) } };
  if (d.source === 'idx')
    return { ...spec, data: { ...d, images: path.resolve(baseDir, d.images), labels: path.resolve(baseDir, d.labels) } };
  return spec;
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

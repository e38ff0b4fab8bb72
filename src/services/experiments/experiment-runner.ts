/**
 * Trains the runs of one opened experiment on the worker pool: a few lanes (at most one per
 * worker), each taking the next run from its RunSource (run-source.ts: claimed for this process,
 * so other processes on the same store train other runs), preparing its folder (reset, config.json,
 * the signal at initialization), submitting it with a team size from the pool's scheduling policy
 * (or the spec's execution.threadsPerRun), and storing its metrics, weights and summary. A run is
 * queued until the pool starts its team (then run-started, and its `timings.startedAt`); a run
 * whose files cannot be written fails alone.
 * Cancel one run or all. Main thread only; built by startExperiment (runner.ts).
 */
import {
  type DiagnosticsOptions,
  effectiveKernelSet,
  errorMessage,
  type KernelSetName,
  type PreparedData,
  type ProgressBatch,
  type ResolvedDataSpec,
  type RunHandle,
  type RunResult,
  type SignalRecord,
  type WorkerPool,
  workersForRun,
} from '../../engine/index.js';
import type { ExperimentHandle } from '../store/experiment-store.js';
import type { RunWriter } from '../store/run-writer.js';
import type { ExperimentEvent } from '../../shared/types/events.js';
import { buildSummary, closingEvents, failedSummary } from './summary.js';
import type { RunSource } from './run-source.js';
import { signalRecord } from './signal.js';
import type { MetricRecord, PlannedRun, RunSummary } from './types.js';

export interface ExperimentRunnerSetup {
  pool: WorkerPool;
  handle: ExperimentHandle;
  /** A run's own data (runs of variants with the same data spec share it; run-data.ts). */
  dataOf(run: PlannedRun): { datasetId: string; spec: ResolvedDataSpec; prepared: PreparedData };
  /** Hands out the runs to train, each claimed; the runner releases each once it has settled. */
  source: RunSource;
  diagnostics: DiagnosticsOptions;
  kernels: KernelSetName | undefined;
  /** Workers per run the spec fixes (execution.threadsPerRun); undefined: the pool's policy decides per run. */
  fixedThreads: number | undefined;
  emit(e: ExperimentEvent): void;
}

export class ExperimentRunner {
  private readonly handles = new Map<string, RunHandle>();
  private readonly cancelled = new Set<string>();
  private cancelledAll = false;
  /** Runs submitted to the pool and not settled yet. */
  private inFlight = 0;

  constructor(private readonly s: ExperimentRunnerSetup) {}

  /** Trains every run; resolves with their summaries once all have settled (never rejects for one run). */
  async runAll(): Promise<RunSummary[]> {
    const summaries: RunSummary[] = [];
    const lane = async () => {
      for (let run = await this.s.source.next(); run !== null; run = await this.s.source.next()) {
        try {
          const summary = await this.runOne(run);
          if (summary) summaries.push(summary);
        } finally {
          await this.s.handle.releaseRun(run.id);
        }
      }
    };
    // Every run settles before the caller drops the dataset and closes the folder, whatever happens to a lane.
    const lanes = await Promise.allSettled(Array.from({ length: Math.min(this.s.pool.size, Math.max(1, this.s.source.waiting)) }, lane));
    const failed = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
    if (failed) throw failed.reason;
    return summaries;
  }

  cancelRun(runId: string): void {
    this.cancelled.add(runId);
    this.handles.get(runId)?.cancel();
  }

  cancelAll(): void {
    this.cancelledAll = true;
    this.s.source.stop();
    for (const h of this.handles.values()) h.cancel();
  }

  private isCancelled(runId: string): boolean {
    return this.cancelledAll || this.cancelled.has(runId);
  }

  /**
   * The team size of a run about to be submitted: the spec's, else the policy's for the runs that
   * will train at once (those in flight, this one and the ones still waiting, at most one per worker).
   */
  private threadsFor(run: PlannedRun): number {
    const workers = this.s.pool.size;
    if (this.s.fixedThreads !== undefined) return Math.min(workers, this.s.fixedThreads);
    const waiting = this.s.source.waiting; // after this one
    const concurrentRuns = Math.min(workers, this.inFlight + 1 + waiting);
    return workersForRun({ workers, concurrentRuns, config: run.config });
  }

  /** Trains one run and stores it; any failure (the store's included) ends as a failed run, never a throw. */
  private async runOne(run: PlannedRun): Promise<RunSummary | null> {
    if (this.isCancelled(run.id)) return null;
    const { handle, emit } = this.s;
    const { datasetId, spec: dataSpec, prepared } = this.s.dataOf(run);
    const threads = this.threadsFor(run);
    const trainRows = prepared.splits.train.length;
    let startedAt = new Date();
    let writer: RunWriter | null = null;
    let result: RunResult | null = null;
    this.inFlight++;
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
          splits: { train: trainRows, validation: prepared.splits.validation.length, test: prepared.splits.test.length },
          preprocess: prepared.preprocess,
        },
        dataSpec,
        kernels: effectiveKernelSet(this.s.kernels),
        threads,
      });
      const signal = measureSignal(run, prepared);
      if (signal) writer.append(signal);
      const w = writer;
      // A metrics write that fails (disk full) stops the run: its records could not be kept.
      let storeFailure: { error: unknown } | null = null;
      const submitted: RunHandle = this.s.pool.submit({
        config: run.config,
        datasetId,
        train: prepared.splits.train,
        validation: prepared.splits.validation,
        test: prepared.splits.test,
        threads,
        kernels: this.s.kernels,
        diagnostics: this.s.diagnostics,
        halving: run.halving ?? null,
        onStart: (team) => {
          startedAt = team.startedAt;
          emit({ type: 'run-started', experimentId: handle.id, runId: run.id, threads: team.threads });
        },
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
      this.handles.set(run.id, submitted);
      if (this.isCancelled(run.id)) submitted.cancel();
      result = await submitted.result;
      if (storeFailure !== null) throw (storeFailure as { error: unknown }).error;
      for (const r of closingEvents(result)) writer.append(r);
      if (result.weightsSha256 !== null) await writer.writeWeights(result.params, result.bnBuffers);
      const targets = prepared.dataset.targets;
      const classNames = targets.kind === 'class' ? targets.classNames : null;
      const summary = buildSummary(run, result, startedAt, new Date(), trainRows, classNames);
      await writer.writeSummary(summary);
      emit({ type: 'run-finished', experimentId: handle.id, runId: run.id, summary });
      return summary;
    } catch (err) {
      const summary = failedSummary(run, errorMessage(err), startedAt, new Date(), {
        result,
        trainRows,
        kernels: result?.kernels ?? effectiveKernelSet(this.s.kernels),
        threads: result?.threads ?? threads,
      });
      // Recorded when the store still allows it; a resume reruns the run either way.
      await writer?.writeSummary(summary).catch(() => undefined);
      emit({ type: 'run-finished', experimentId: handle.id, runId: run.id, summary });
      return summary;
    } finally {
      this.inFlight--;
      this.handles.delete(run.id);
      await writer?.close().catch(() => undefined);
    }
  }
}

/**
 * The run's signal at initialization (its `signal` record, docs/store.md). A measurement that
 * fails leaves the record out rather than failing the run: training does not depend on it, and
 * the views that read it say when a run has none.
 */
function measureSignal(run: PlannedRun, prepared: PreparedData): SignalRecord | null {
  try {
    return signalRecord(run.config, prepared);
  } catch {
    return null;
  }
}

/** The metric records of a progress batch, in the order they are stored. */
function progressRecords(p: ProgressBatch): MetricRecord[] {
  return [
    ...p.steps.map((s) => ({ kind: 'step' as const, ...s })),
    ...p.diagnostics,
    ...p.epochs.map((e) => ({ kind: 'epoch' as const, ...e })),
  ];
}

function progressEvent(experimentId: string, run: PlannedRun, p: ProgressBatch, records: MetricRecord[]): ExperimentEvent {
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

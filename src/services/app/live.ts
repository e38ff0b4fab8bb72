/**
 * The experiments this app process is running right now: per run its live status (queued,
 * running on its team, or final) and latest progress, and the event stream the UI subscribes to. Runner events
 * are merged per run and flushed at most every `intervalMs` (a few Hz is plenty for the eye; no
 * record is dropped), plus a pool status event every second while anything runs, counting the
 * runs training and queued as the run-state model does (src/shared/run-state.ts). A job that fails
 * as a whole ends with an experiment-finished event that carries the error. Main thread.
 */
import { errorMessage } from '../../engine/index.js';
import type { ApiEvent, RunView } from '../../shared/api.js';
import type { ExperimentEvent } from '../../shared/types/events.js';
import type { ExperimentJob } from '../experiments/runner.js';
import type { RunFacts } from '../../shared/run-state.js';
import type { MetricRecord } from '../experiments/types.js';
import type { RunStatus } from '../../shared/types/experiment.js';

interface LiveRun {
  /** queued until its team starts, running on `threads` workers, then the status it ended with. */
  status: 'queued' | 'running' | RunStatus;
  threads: number | null;
  progress: RunView['progress'];
  pending: MetricRecord[];
}

export interface LiveExperiment {
  job: ExperimentJob;
  runs: Map<string, LiveRun>;
}

export class LiveExperiments {
  readonly experiments = new Map<string, LiveExperiment>();
  private readonly listeners = new Set<(e: ApiEvent) => void>();
  private flushTimer: NodeJS.Timeout | null = null;
  private poolTimer: NodeJS.Timeout | null = null;
  private samplesWindow = 0;
  /** Runs other processes train in the store (store-watch.ts), when the host watches it. */
  remote: ((experimentId: string, runId: string) => { threads: number; progress: RunView['progress'] } | null) | null = null;

  constructor(
    private readonly poolStatus: () => { busy: number; workers: number; queued: number },
    private readonly intervalMs = 250,
  ) {}

  subscribe(listener: (e: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(e: ApiEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // A broken listener (a closed window) must not stop training or other listeners.
      }
    }
  }

  isRunning(experimentId: string): boolean {
    return this.experiments.has(experimentId);
  }

  /**
   * Handles an event of the runner of `experimentId`. experiment-started comes before
   * startExperiment resolves and goes straight to the listeners; the runner starts no run before
   * its caller has resumed, so run events always find the job `track` registered.
   */
  onRunnerEvent(e: ExperimentEvent): void {
    if (e.type === 'experiment-started') {
      this.emit(e);
      return;
    }
    const live = this.experiments.get(e.experimentId);
    if (!live) return;
    if (e.type === 'run-started') {
      const run = live.runs.get(e.runId);
      if (run) {
        run.status = 'running';
        run.threads = e.threads;
      }
      this.emit(e);
    } else if (e.type === 'run-progress') {
      const run = live.runs.get(e.runId);
      if (!run) return;
      run.progress = { epoch: e.epoch, epochs: e.epochs, step: e.step, loss: e.loss };
      run.pending.push(...e.records);
      const steps = e.records.filter((r) => r.kind === 'step').length;
      const batch = live.job.runs.find((r) => r.id === e.runId)?.config.train.batchSize ?? 0;
      this.samplesWindow += steps * batch;
      this.scheduleFlush();
    } else if (e.type === 'run-finished') {
      const run = live.runs.get(e.runId);
      if (run) {
        this.flushRun(e.experimentId, e.runId, run);
        run.status = e.summary.status;
      }
      this.emit({ type: 'run-finished', experimentId: e.experimentId, runId: e.runId, summary: e.summary });
    }
  }

  /**
   * Registers a job the moment startExperiment resolves. When it is done, emits
   * experiment-finished, with `error` when the experiment as a whole failed (`done` rejected: the
   * rejection is handled here, never left unhandled).
   */
  track(job: ExperimentJob): void {
    const skipped = new Set(job.skipped);
    const runs = new Map<string, LiveRun>();
    for (const r of job.runs) if (!skipped.has(r.id)) runs.set(r.id, { status: 'queued', threads: null, progress: null, pending: [] });
    this.experiments.set(job.id, { job, runs });
    this.poolTimer ??= setInterval(() => this.emitPool(), 1000);
    const ended = (error: string | null) => {
      for (const [runId, run] of runs) this.flushRun(job.id, runId, run);
      this.experiments.delete(job.id);
      this.emit({ type: 'experiment-finished', experimentId: job.id, ...(error === null ? {} : { error }) });
      if (this.experiments.size === 0) this.emitPool();
    };
    void job.done.then(
      () => ended(null),
      (err: unknown) => ended(`experiment ${job.id} stopped: ${errorMessage(err)}`),
    );
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      for (const [experimentId, live] of this.experiments) for (const [runId, run] of live.runs) this.flushRun(experimentId, runId, run);
    }, this.intervalMs);
  }

  private flushRun(experimentId: string, runId: string, run: LiveRun): void {
    if (run.pending.length === 0) return;
    const records = run.pending;
    run.pending = [];
    const p = run.progress ?? { epoch: 0, epochs: 0, step: 0, loss: null };
    this.emit({ type: 'run-progress', experimentId, runId, ...p, records });
  }

  /**
   * What a live runner knows of a run (run-state.ts): queued, running on its team, or nothing
   * (not held by a runner of this process, or ended: the store knows the rest).
   */
  liveFacts(experimentId: string, runId: string): RunFacts['live'] {
    const run = this.experiments.get(experimentId)?.runs.get(runId);
    if (run?.status === 'running') return { state: 'running', threads: run.threads ?? 1 };
    // Another process training it (a cluster task) wins over this process's queue, which waits for it.
    const remote = this.remote?.(experimentId, runId);
    if (remote) return { state: 'running', threads: remote.threads };
    if (run?.status === 'queued') return { state: 'queued' };
    return null;
  }

  /** The latest progress of a run training here or, as the store watcher saw it, in another process. */
  progressOf(experimentId: string, runId: string): RunView['progress'] {
    return this.experiments.get(experimentId)?.runs.get(runId)?.progress ?? this.remote?.(experimentId, runId)?.progress ?? null;
  }

  /** The pool's workers, and the runs of every live experiment training or waiting for workers. */
  private emitPool(): void {
    const s = this.poolStatus();
    let running = 0;
    let queued = 0;
    for (const live of this.experiments.values())
      for (const run of live.runs.values()) {
        if (run.status === 'running') running++;
        if (run.status === 'queued') queued++;
      }
    this.emit({ type: 'pool', busy: s.busy, workers: s.workers, running, queued, samplesPerSec: this.samplesWindow });
    this.samplesWindow = 0;
    // The pool can still count the last run's workers busy when its experiment ends: the status
    // goes on until the pool says they are free, or the status bar keeps "2/2 workers busy".
    if (this.experiments.size === 0 && s.busy === 0 && this.poolTimer) {
      clearInterval(this.poolTimer);
      this.poolTimer = null;
    }
  }

  dispose(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.poolTimer) clearInterval(this.poolTimer);
    this.listeners.clear();
  }
}

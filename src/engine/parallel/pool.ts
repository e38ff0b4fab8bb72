/**
 * The worker pool: a fixed number of worker_threads (default: available cores) that train runs
 * data-parallel over mini-batches. Each run gets its own shared WebAssembly.Memory and a team of
 * one or more workers; datasets are registered once and shared by reference with every worker.
 * Runs queue; free workers are handed out one per run or several per run by the scheduling policy
 * (policy.ts, chosen by measurement), unless the caller asks for a team size (the result of a run
 * never depends on that choice). A worker that throws fails only its run; a worker that dies
 * is replaced. Results are data: a failed run resolves with status "failed" and its reason.
 * Main-thread only.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ResolvedRunConfig } from '../config/defaults.js';
import { effectiveKernelSet } from '../kernels/select.js';
import type { KernelSetName } from '../kernels/types.js';
import { f32View, i32View, type Region } from '../memory/arena.js';
import { createRunMemory } from '../memory/wasm-memory.js';
import { snapshotWeights } from '../train/fingerprint.js';
import type { DiagnosticsOptions } from '../probes/types.js';
import type { RunOutcome } from '../train/outcome.js';
import type { HalvingRule } from '../train/halving.js';
import { layoutRun, Sync } from '../run/run-memory.js';
import { runShape } from '../train/setup.js';
import { stepEvents } from '../train/step-log.js';
import { workersForRun } from './policy.js';
import { checkRowIndices } from './row-indices.js';
import type { FaultInjection, FromWorker, ProgressBatch, SharedDataset, ToWorker } from './protocol.js';

/**
 * The most workers a pool runs: twice the machine's cores, and at least 8. More workers than cores
 * only add memory (about 9 MB each) and contention; hundreds of thousands exhaust V8.
 */
export function maxPoolWorkers(): number {
  return Math.max(8, 2 * availableParallelism());
}

export interface PoolOptions {
  /** Path of the compiled worker entry (electron-vite `?modulePath` in the app, out/ in Node). */
  workerPath: string | URL;
  /** Default: the available cores; clamped to maxPoolWorkers(). */
  size?: number;
  progressIntervalMs?: number;
  /** Tests only: honour RunRequest.fault. */
  allowFaultInjection?: boolean;
}

export interface RunRequest {
  config: ResolvedRunConfig;
  datasetId: string;
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
  /** Workers for this run; default: the scheduling policy's share of the free workers (policy.ts). */
  threads?: number;
  kernels?: KernelSetName;
  /** Layer diagnostics (default: none). */
  diagnostics?: DiagnosticsOptions | null;
  /** Successive halving's stop rule (train/halving.ts; default: none). */
  halving?: HalvingRule | null;
  onProgress?(progress: ProgressBatch): void;
  /** Called when the run leaves the queue and its team starts training, with the team's size. */
  onStart?(team: { threads: number; startedAt: Date }): void;
  fault?: FaultInjection;
}

export interface RunResult {
  runId: string;
  outcome: RunOutcome;
  /** Private copies of the final parameters and batch-norm buffers (empty if never started). */
  params: Float32Array;
  bnBuffers: Float32Array;
  weightsSha256: string | null;
  kernels: KernelSetName;
  threads: number;
  /** Each team member's barrier profile and CPU time, by team index (for the bench). */
  teamProfiles?: TeamMemberProfile[];
}

export interface TeamMemberProfile {
  phases: NonNullable<RunOutcome['syncProfile']>;
  seconds: number;
  cpuSeconds: number | null;
  /** JavaScript heap bytes the thread allocated per training step (RunOutcome.heapBytesPerStep). */
  heapBytesPerStep: number | null;
}

export interface RunHandle {
  id: string;
  result: Promise<RunResult>;
  cancel(): void;
}

interface Slot {
  index: number;
  worker: Worker;
  job: Job | null;
  datasets: Set<string>;
}

interface Job {
  id: string;
  req: RunRequest;
  kernels: KernelSetName;
  threads: number;
  memory: WebAssembly.Memory | null;
  sync: Int32Array | null;
  /** Where the final weights are read from, kept from start (the dataset may be dropped by then). */
  weights: { params: Region; bnBuffers: Region } | null;
  slots: Slot[];
  reports: Map<number, { outcome?: RunOutcome; error?: string; cancelled?: boolean }>;
  cancelRequested: boolean;
  resolve(r: RunResult): void;
}

export class WorkerPool {
  readonly size: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly datasets = new Map<string, SharedDataset>();
  private nextId = 1;
  private closing = false;

  constructor(private readonly options: PoolOptions) {
    this.size = Math.min(maxPoolWorkers(), Math.max(1, Math.floor(options.size ?? availableParallelism())));
    for (let i = 0; i < this.size; i++) this.slots.push(this.spawn(i));
  }

  /** Registers a dataset (SharedArrayBuffer-backed) once; every worker gets it by reference. */
  addDataset(id: string, dataset: SharedDataset): void {
    for (const a of [dataset.features, dataset.labels, dataset.values]) {
      if (a && !(a.buffer instanceof SharedArrayBuffer)) throw new Error(`dataset "${id}": arrays must be backed by a SharedArrayBuffer`);
    }
    this.datasets.set(id, dataset);
  }

  dropDataset(id: string): void {
    this.datasets.delete(id);
    for (const s of this.slots) if (s.datasets.delete(id)) this.post(s, { type: 'drop-dataset', datasetId: id });
  }

  submit(req: RunRequest): RunHandle {
    if (this.closing) throw new Error('the worker pool is shut down');
    const dataset = this.datasets.get(req.datasetId);
    if (!dataset) throw new Error(`unknown dataset "${req.datasetId}"`);
    checkRowIndices(req.datasetId, dataset.features.length / dataset.d, req);
    if (req.fault && !this.options.allowFaultInjection) throw new Error('fault injection is disabled in this pool');
    const id = `run-${this.nextId++}`;
    let resolve!: (r: RunResult) => void;
    const result = new Promise<RunResult>((r) => (resolve = r));
    const job: Job = {
      id,
      req,
      kernels: effectiveKernelSet(req.kernels),
      threads: 0,
      memory: null,
      sync: null,
      weights: null,
      slots: [],
      reports: new Map(),
      cancelRequested: false,
      resolve,
    };
    this.queue.push(job);
    // Schedule after the current tick, so runs submitted together share the workers fairly.
    queueMicrotask(() => this.pump());
    return { id, result, cancel: () => this.cancel(job) };
  }

  /** Workers busy and runs waiting, for a status bar. */
  status(): { workers: number; busy: number; queued: number } {
    return { workers: this.size, busy: this.slots.filter((s) => s.job).length, queued: this.queue.length };
  }

  /** Cancels everything and terminates every worker; the process can then exit by itself. */
  async shutdown(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const job of this.queue.splice(0)) job.resolve(emptyRunResult(job, 'cancelled', 'the worker pool shut down'));
    const running = new Set(this.slots.map((s) => s.job).filter((j): j is Job => j !== null));
    for (const job of running) this.abort(job);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    for (const job of running) if (job.reports.size < job.threads) this.finish(job, 'the worker pool shut down');
  }

  private spawn(index: number): Slot {
    // The worker is compiled JavaScript: it needs none of the parent's loader flags (and some,
    // like --input-type, make a worker fail to start).
    const worker = new Worker(this.options.workerPath, { execArgv: [] });
    const slot: Slot = { index, worker, job: null, datasets: new Set() };
    worker.unref();
    worker.on('message', (m: FromWorker) => this.onMessage(slot, m));
    worker.on('error', (err) => this.onDeath(slot, `worker ${index} crashed: ${err.message}`));
    worker.on('exit', (code) => this.onDeath(slot, `worker ${index} exited unexpectedly (exit code ${code})`));
    return slot;
  }

  private post(slot: Slot, m: ToWorker): void {
    slot.worker.postMessage(m);
  }

  private pump(): void {
    while (!this.closing && this.queue.length > 0) {
      const free = this.slots.filter((s) => !s.job);
      if (free.length === 0) return;
      const job = this.queue[0];
      const share = () => workersForRun({ workers: free.length, concurrentRuns: this.queue.length, config: job.req.config });
      const wanted = Math.min(this.size, Math.max(1, job.req.threads ?? share()));
      if (free.length < wanted) return;
      this.queue.shift();
      try {
        this.start(job, free.slice(0, wanted));
      } catch (err) {
        // Its memory cannot be allocated (a model too large for WebAssembly's 4 GiB, or the
        // machine's memory): the run fails with the reason; the pool goes on.
        job.memory = null;
        job.resolve(emptyRunResult(job, 'failed', `the run could not start: ${err instanceof Error ? err.message : String(err)}`));
      }
    }
  }

  private start(job: Job, slots: Slot[]): void {
    const { req } = job;
    const dataset = this.datasets.get(req.datasetId)!;
    const shape = runShape(req.config, slots.length, dataset.values !== null);
    const layout = layoutRun(shape);
    job.memory = createRunMemory(layout.byteLength, true);
    job.sync = i32View(job.memory.buffer, layout.get('sync'));
    job.weights = { params: layout.get('params'), bnBuffers: layout.get('bnBuffers') };
    job.threads = slots.length;
    job.slots = slots;
    if (job.cancelRequested) Atomics.store(job.sync, Sync.cancel, 1);
    try {
      req.onStart?.({ threads: slots.length, startedAt: new Date() });
    } catch {
      // A listener's failure is not the run's.
    }
    slots.forEach((slot, teamIndex) => {
      slot.job = job;
      slot.worker.ref();
      if (!slot.datasets.has(req.datasetId)) {
        this.post(slot, { type: 'dataset', datasetId: req.datasetId, dataset });
        slot.datasets.add(req.datasetId);
      }
      this.post(slot, {
        type: 'run',
        runId: job.id,
        config: req.config,
        datasetId: req.datasetId,
        train: req.train,
        validation: req.validation,
        test: req.test,
        memory: job.memory!,
        teamIndex,
        teamSize: slots.length,
        kernels: job.kernels,
        progressIntervalMs: this.options.progressIntervalMs ?? 100,
        diagnostics: req.diagnostics ?? null,
        halving: req.halving ?? null,
        fault: req.fault,
      });
    });
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    const job = slot.job;
    if (m.type === 'ready' || !job || m.runId !== job.id) return;
    if (m.type === 'progress') job.req.onProgress?.({ steps: stepEvents(m.stepRecords), epochs: m.epochs, diagnostics: m.diagnostics });
    else if (m.type === 'done') this.report(job, m.teamIndex, { outcome: m.outcome });
    else if (m.type === 'error') {
      if (!m.cancelled) this.abort(job);
      this.report(job, m.teamIndex, { error: m.message, cancelled: m.cancelled });
    }
  }

  private onDeath(slot: Slot, reason: string): void {
    if (this.closing || this.slots[slot.index] !== slot) return;
    const job = slot.job;
    this.slots[slot.index] = this.spawn(slot.index);
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    if (job) {
      this.abort(job);
      this.report(job, job.slots.indexOf(slot), { error: reason });
    }
    this.pump();
  }

  private cancel(job: Job): void {
    job.cancelRequested = true;
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      job.resolve(emptyRunResult(job, 'cancelled', 'cancelled before it started'));
    } else if (job.sync) Atomics.store(job.sync, Sync.cancel, 1);
  }

  /** Stops every thread of the job at its next barrier (they throw CancelledError). */
  private abort(job: Job): void {
    if (!job.sync) return;
    Atomics.store(job.sync, Sync.abort, 1);
    Atomics.notify(job.sync, Sync.barrierGeneration);
  }

  private report(job: Job, teamIndex: number, r: { outcome?: RunOutcome; error?: string; cancelled?: boolean }): void {
    if (!job.reports.has(teamIndex)) job.reports.set(teamIndex, r);
    if (job.reports.size === job.threads) this.finish(job);
  }

  private finish(job: Job, forcedError?: string): void {
    for (const slot of job.slots) {
      if (this.slots[slot.index] === slot && slot.job === job) {
        slot.job = null;
        slot.worker.unref();
      }
    }
    const reports = [...job.reports.values()];
    const failure = forcedError ?? reports.find((r) => r.error && !r.cancelled)?.error ?? reports.find((r) => r.error)?.error;
    const leader = job.reports.get(0)?.outcome;
    if (failure || !leader) {
      const status = forcedError || job.cancelRequested ? 'cancelled' : 'failed';
      job.resolve({ ...emptyRunResult(job, status, failure ?? 'no result'), ...this.weights(job) });
    } else {
      const teamProfiles = [...job.reports.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([, r]) => ({
          phases: r.outcome?.syncProfile ?? [],
          seconds: r.outcome?.seconds ?? 0,
          cpuSeconds: r.outcome?.threadCpuSeconds ?? null,
          heapBytesPerStep: r.outcome?.heapBytesPerStep ?? null,
        }));
      job.resolve({ runId: job.id, outcome: leader, kernels: job.kernels, threads: job.threads, teamProfiles, ...this.weights(job) });
    }
    this.pump();
  }

  private weights(job: Job): Pick<RunResult, 'params' | 'bnBuffers' | 'weightsSha256'> {
    if (!job.memory || !job.weights) return { params: new Float32Array(0), bnBuffers: new Float32Array(0), weightsSha256: null };
    return snapshotWeights(f32View(job.memory.buffer, job.weights.params), f32View(job.memory.buffer, job.weights.bnBuffers));
  }
}

/**
 * The result of a run that produced nothing: no epochs, no weights, `status` and `reason` (a run
 * cancelled or failed before or outside training). `seconds` is the outcome's duration.
 */
export function emptyRunResult(
  run: { id: string; kernels: KernelSetName; threads: number },
  status: RunOutcome['status'],
  reason: string,
  seconds = 0,
): RunResult {
  return {
    runId: run.id,
    kernels: run.kernels,
    threads: run.threads,
    params: new Float32Array(0),
    bnBuffers: new Float32Array(0),
    weightsSha256: null,
    outcome: {
      status,
      stopReason: reason,
      epochs: [],
      steps: 0,
      bestEpoch: null,
      stoppedEpoch: null,
      restoredBestWeights: false,
      divergedAtStep: null,
      test: null,
      confusion: null,
      seconds,
      syncWaitSeconds: 0,
    },
  };
}

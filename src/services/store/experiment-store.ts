/**
 * The writer side of the store. `ExperimentStore(root).createOrOpen(spec, specHash, engineVersion)`
 * creates `<root>/<experiment-id>/` with experiment.json, or reopens it when the same spec was run
 * before (resume), takes the experiment's writer lock and removes leftovers of interrupted writes.
 * The returned ExperimentHandle hands out one RunWriter per run, tells which runs are complete
 * (summary.json with a final status: completed, early_stopped, diverged, and intact files — `failed`
 * and `cancelled` runs are incomplete and damaged runs are not complete, so a resume reruns them)
 * and removes an incomplete run before its rerun.
 *
 * Not the runner: it decides nothing about which runs to train. Async, main thread, one handle per
 * experiment per process (the lock refuses a second, in this process or another).
 */
import * as fs from 'node:fs/promises';
import path from 'node:path';
import type { ExperimentSpec, StoredExperiment } from '../experiments/types.js';
import { ensureDir, fsyncDir, removeLeftovers, writeJsonAtomic } from './atomic.js';
import { errnoCode, StoreError, wrapIoError } from './errors.js';
import { readJsonIfExists, visibleSubdirs } from './files.js';
import { experimentId, resolveInside, segmentProblem } from './ids.js';
import { EXPERIMENT_FILE, hiddenSibling, isHiddenName, RUNS_DIR } from './layout.js';
import type { HeldClaim } from './claim.js';
import { acquireLock } from './lock.js';
import type { AppenderOptions } from './metrics-appender.js';
import { parseStoredExperiment } from './records.js';
import { RunWriter } from './run-writer.js';
import { inspectRunFiles } from './verify.js';

export interface StoreOptions {
  /** Buffering of metrics.ndjson appends (metrics-appender.ts). */
  metrics?: AppenderOptions;
  /** Clock for experiment.json's createdAt (tests). */
  now?: () => Date;
}

export class ExperimentStore {
  readonly root: string;

  constructor(
    root: string,
    private readonly options: StoreOptions = {},
  ) {
    this.root = path.resolve(root);
  }

  /** The folder of an experiment id inside the store; StoreError when it would leave the store. */
  experimentDir(id: string): string {
    const problem = segmentProblem(id);
    const dir = problem === null ? resolveInside(this.root, id) : null;
    if (dir === null) throw new StoreError(this.root, `"${id}" is not a valid experiment folder name: ${problem ?? 'it leaves the store'}`);
    return dir;
  }

  /** `<root>/<experimentId>/runs/<runId>`; StoreError when either id is not a safe folder name. */
  runDir(experimentId: string, runId: string): string {
    return runDirIn(this.experimentDir(experimentId), runId);
  }

  /**
   * Creates the experiment folder and experiment.json, or reopens them when this spec (same
   * specHash) was stored before; `resumed` on the handle says which. The stored createdAt and
   * engineVersion are kept on resume (each run's summary records its own engineVersion).
   */
  async createOrOpen(spec: ExperimentSpec, specHash: string, engineVersion: string): Promise<ExperimentHandle> {
    const id = experimentId(spec, specHash);
    const dir = this.experimentDir(id);
    await ensureDir(dir);
    const lock = await acquireLock(dir);
    const release = () => lock.release();
    try {
      const file = path.join(dir, EXPERIMENT_FILE);
      const existing = await readJsonIfExists(file);
      let experiment: StoredExperiment;
      if (existing === null) {
        const createdAt = (this.options.now?.() ?? new Date()).toISOString();
        experiment = { id, spec, engineVersion, createdAt, specHash };
        await writeJsonAtomic(file, experiment);
      } else {
        experiment = parseStoredExperiment(file, existing);
        if (experiment.specHash !== specHash) {
          throw new StoreError(
            file,
            `belongs to another experiment (spec hash ${experiment.specHash}) whose folder name is the same as this one's ` +
              `(spec hash ${specHash}); rename one of the experiments or move this folder away`,
          );
        }
      }
      await sweepLeftovers(dir);
      return new ExperimentHandle(dir, experiment, existing !== null, lock, this.options.metrics ?? {});
    } catch (err) {
      await release();
      throw err;
    }
  }
}

export class ExperimentHandle {
  /** Runs with a writer being created or open (value null while being created). */
  private readonly writers = new Map<string, RunWriter | null>();
  private closed = false;

  /** @internal Use ExperimentStore.createOrOpen. */
  constructor(
    readonly dir: string,
    readonly experiment: StoredExperiment,
    /** True when experiment.json existed already (the experiment is being resumed). */
    readonly resumed: boolean,
    private readonly lock: HeldClaim,
    private readonly metricsOptions: AppenderOptions,
  ) {}

  get id(): string {
    return this.experiment.id;
  }

  /** `<experiment>/runs/<runId>`; StoreError when runId is not a safe folder name. */
  runDir(runId: string): string {
    return runDirIn(this.dir, runId);
  }

  /**
   * A writer for a run that has no files yet. StoreError when the run is complete (its files are
   * never overwritten), when it has files of an interrupted attempt (call resetRun first), or
   * when a writer for it is open.
   */
  async runWriter(runId: string): Promise<RunWriter> {
    const dir = this.claim(runId);
    try {
      await this.checkLock();
      const visible = await visibleEntries(dir);
      if (visible.length > 0) {
        const complete = await isComplete(dir);
        throw new StoreError(
          dir,
          complete
            ? 'the run is complete; its files are never overwritten'
            : `the run has files of an interrupted attempt (${visible.join(', ')}); call resetRun(${JSON.stringify(runId)}) before rerunning it`,
        );
      }
      await ensureDir(dir);
      await removeLeftovers(dir);
      const writer = new RunWriter(runId, dir, this.metricsOptions, () => this.writers.delete(runId));
      this.writers.set(runId, writer);
      return writer;
    } catch (err) {
      this.writers.delete(runId);
      throw err;
    }
  }

  /**
   * Ids of the complete runs: summary.json with a final status and every file it promises intact
   * (verify.ts); a resume skips exactly these. A damaged run is not complete: it is retrained.
   */
  async completedRunIds(): Promise<Set<string>> {
    this.checkOpen();
    const done = new Set<string>();
    const runs = path.join(this.dir, RUNS_DIR);
    for (const runId of await visibleSubdirs(runs)) {
      if (await isComplete(path.join(runs, runId))) done.add(runId);
    }
    return done;
  }

  /**
   * Removes an incomplete run's folder so the run can be rerun from scratch; a no-op when the run
   * has no folder. StoreError for a complete run or one with an open writer. The folder is first
   * renamed to a hidden name (atomic), so a crash mid-delete leaves a leftover the next writer
   * removes, never a half-deleted run.
   */
  async resetRun(runId: string): Promise<void> {
    const dir = this.claim(runId);
    try {
      await this.checkLock();
      if (await isComplete(dir)) throw new StoreError(dir, 'the run is complete; resetRun only removes incomplete runs');
      const runs = path.dirname(dir);
      const doomed = path.join(runs, hiddenSibling(runId, '.deleting'));
      try {
        await fs.rename(dir, doomed);
      } catch (err) {
        if (errnoCode(err) === 'ENOENT') return;
        throw wrapIoError(dir, 'move the run folder away for deletion', err);
      }
      await fsyncDir(runs);
      await fs.rm(doomed, { recursive: true, force: true }).catch((err: unknown) => {
        throw wrapIoError(doomed, 'delete the folder of a reset run', err);
      });
    } finally {
      this.writers.delete(runId);
    }
  }

  /** Closes every open run writer (their runs stay incomplete unless summarized) and releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      for (const writer of [...this.writers.values()]) await writer?.close();
    } finally {
      await this.lock.release();
    }
  }

  /** Validates the id and marks the run busy; StoreError when it is busy already. */
  private claim(runId: string): string {
    this.checkOpen();
    const dir = this.runDir(runId);
    if (this.writers.has(runId)) throw new StoreError(dir, 'a writer for this run is open (or being opened or reset)');
    this.writers.set(runId, null);
    return dir;
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreError(this.dir, 'the experiment handle is closed');
  }

  /** Renews the writer lock before a run's files are touched; StoreError when another process has it now. */
  private async checkLock(): Promise<void> {
    if (!(await this.lock.renew()))
      throw new StoreError(this.lock.file, 'this process lost the writer lock (its lease ran out and another process took it over)');
  }
}

/** `<experimentDir>/runs/<runId>`; StoreError when runId is not a safe folder name. */
function runDirIn(experimentDir: string, runId: string): string {
  const runs = path.join(experimentDir, RUNS_DIR);
  const problem = segmentProblem(runId);
  const dir = problem === null ? resolveInside(runs, runId) : null;
  if (dir === null)
    throw new StoreError(runs, `run id ${JSON.stringify(runId)} is not a safe folder name: ${problem ?? 'it leaves the store'}`);
  return dir;
}

/** Removes temp files and half-deleted folders everywhere in the experiment (we hold the lock). */
async function sweepLeftovers(dir: string): Promise<void> {
  await removeLeftovers(dir);
  const runs = path.join(dir, RUNS_DIR);
  await removeLeftovers(runs);
  for (const runId of await visibleSubdirs(runs)) await removeLeftovers(path.join(runs, runId));
}

/** Final status and intact files; a damaged summary.json is damage, so not complete either. */
async function isComplete(runDir: string): Promise<boolean> {
  try {
    return (await inspectRunFiles(runDir)).complete;
  } catch {
    return false;
  }
}

async function visibleEntries(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir)).filter((n) => !isHiddenName(n)).sort();
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return [];
    throw wrapIoError(dir, 'list the run folder', err);
  }
}

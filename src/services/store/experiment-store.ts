/**
 * The writer side of the store. `ExperimentStore(root).createOrOpen(spec, specHash, engineVersion)`
 * creates `<root>/<experiment-id>/` with experiment.json (written once, atomically), or reopens it
 * when the same spec was run before (resume), takes the experiment's writer lock and removes
 * leftovers of interrupted writes. With `{ shared: true }` it takes no writer lock: any number of
 * processes (cluster tasks) open the experiment at once and share its runs through run claims.
 * The returned ExperimentHandle claims runs (run-claims.ts: a process writes a run's folder only
 * while it holds the run's claim, in either mode), hands out one RunWriter per run, tells which
 * runs are complete (summary.json with a final status: completed, early_stopped, diverged, and
 * intact files — `failed` and `cancelled` runs are incomplete and damaged runs are not complete, so
 * a resume reruns them) and removes an incomplete run before its rerun.
 *
 * Not the runner: it decides nothing about which runs to train. Async, main thread, one handle per
 * experiment per process (in the exclusive mode the lock refuses a second, here or in another process).
 */
import * as fs from 'node:fs/promises';
import path from 'node:path';
import type { ExperimentSpec, StoredExperiment } from '../experiments/types.js';
import { ensureDir, fsyncDir, removeLeftovers, writeJsonOnce } from './atomic.js';
import { errnoCode, StoreError, wrapIoError } from './errors.js';
import { readJsonIfExists, visibleSubdirs } from './files.js';
import { experimentId, resolveInside, segmentProblem } from './ids.js';
import { EXPERIMENT_FILE, hiddenSibling, isHiddenName, isLeftoverName, RUNS_DIR } from './layout.js';
import type { HeldClaim } from './claim.js';
import { acquireLock } from './lock.js';
import type { AppenderOptions } from './metrics-appender.js';
import { parseStoredExperiment } from './records.js';
import { RunClaimBook, type RunClaimOptions, type RunClaimResult } from './run-claims.js';
import { RunWriter } from './run-writer.js';
import { inspectRunFiles } from './verify.js';

export interface StoreOptions {
  /** Buffering of metrics.ndjson appends (metrics-appender.ts). */
  metrics?: AppenderOptions;
  /** Clock for experiment.json's createdAt (tests). */
  now?: () => Date;
}

export interface OpenOptions {
  /**
   * Take no writer lock: this process is one of many working on the experiment at once (run
   * claims keep them apart). Leftovers of other processes are then removed only once they are old.
   */
  shared?: boolean;
}

/** In a shared experiment, a leftover temp file or half-deleted folder older than this is nobody's write in progress. */
const SHARED_LEFTOVER_AGE_MS = 60 * 60_000;

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
  async createOrOpen(spec: ExperimentSpec, specHash: string, engineVersion: string, o: OpenOptions = {}): Promise<ExperimentHandle> {
    const id = experimentId(spec, specHash);
    const dir = this.experimentDir(id);
    await ensureDir(dir);
    const lock = o.shared ? null : await acquireLock(dir);
    const claims = new RunClaimBook(dir);
    try {
      const file = path.join(dir, EXPERIMENT_FILE);
      let existing = await readJsonIfExists(file);
      let experiment: StoredExperiment;
      const createdAt = (this.options.now?.() ?? new Date()).toISOString();
      // Written once: of processes creating the experiment at the same moment, one writes, the others read its file.
      if (existing === null && !(await writeJsonOnce(file, { id, spec, engineVersion, createdAt, specHash })))
        existing = await readJsonIfExists(file);
      if (existing === null) {
        experiment = { id, spec, engineVersion, createdAt, specHash };
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
      await sweepLeftovers(dir, lock === null ? SHARED_LEFTOVER_AGE_MS : 0, claims);
      return new ExperimentHandle(dir, experiment, existing !== null, lock, claims, this.options.metrics ?? {});
    } catch (err) {
      await lock?.release();
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
    /** The writer lock; null when opened shared. */
    private readonly lock: HeldClaim | null,
    private readonly claims: RunClaimBook,
    private readonly metricsOptions: AppenderOptions,
  ) {}

  /** True when opened without the writer lock, as one of several processes working on the experiment. */
  get shared(): boolean {
    return this.lock === null;
  }

  /**
   * Takes the run's claim (run-claims.ts) when it is free or its holder is gone: from then on this
   * process alone writes the run's folder, until releaseRun or close. `{ held: false, holder }`
   * when another live process trains it. resetRun and runWriter take the claim themselves when
   * it is free; claim first to decide what to do with a run (is it complete by now?).
   */
  async claimRun(runId: string, o: RunClaimOptions = {}): Promise<RunClaimResult> {
    this.checkOpen();
    this.runDir(runId); // a safe id
    return this.claims.take(runId, o);
  }

  /** Gives up the run's claim (its writer, if any, closed first). */
  async releaseRun(runId: string): Promise<void> {
    await this.writers.get(runId)?.close();
    await this.claims.release(runId);
  }

  /** Whether the run is complete now (final status, intact files): what a claimer checks after claiming. */
  async isRunComplete(runId: string): Promise<boolean> {
    this.checkOpen();
    return isComplete(this.runDir(runId));
  }

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
      await this.own(runId);
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
      const owned = async () => {
        await this.checkLock();
        await this.claims.check(runId);
      };
      // Closing the writer ends the run's claim: its files are what they will be, complete or to be rerun.
      const closed = async () => {
        this.writers.delete(runId);
        await this.claims.release(runId);
      };
      const writer = new RunWriter(runId, dir, this.metricsOptions, closed, owned);
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
      await this.own(runId);
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
      await this.claims.releaseAll();
    } finally {
      await this.lock?.release();
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

  /** Before a run's files are touched: the writer lock renewed (StoreError when another process has it now), the run's claim held. */
  private async own(runId: string): Promise<void> {
    await this.checkLock();
    await this.claims.ensure(runId);
  }

  private async checkLock(): Promise<void> {
    if (this.lock !== null && !(await this.lock.renew()))
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

/**
 * Removes temp files and half-deleted folders in the experiment: those older than `olderThanMs`
 * in the experiment and runs folders (0: all, we hold the writer lock), and in each run folder
 * while holding its claim for a moment (a run another process trains is left alone; its owner
 * sweeps it when it claims it).
 */
async function sweepLeftovers(dir: string, olderThanMs: number, claims: RunClaimBook): Promise<void> {
  await removeLeftovers(dir, olderThanMs);
  const runs = path.join(dir, RUNS_DIR);
  await removeLeftovers(runs, olderThanMs);
  for (const runId of await visibleSubdirs(runs)) {
    const runDir = path.join(runs, runId);
    const names = await fs.readdir(runDir).catch(() => [] as string[]);
    if (!names.some(isLeftoverName) || segmentProblem(runId) !== null) continue;
    if (!(await claims.take(runId)).held) continue;
    try {
      await removeLeftovers(runDir);
    } finally {
      await claims.release(runId);
    }
  }
  await claims.clearStale();
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

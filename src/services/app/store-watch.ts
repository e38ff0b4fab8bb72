/**
 * Watches the app's store for what other processes write into it (the tasks of a Slurm array on
 * a shared file system, an `ablate run` in a terminal) and reports it as the Api's own events, so
 * the UI shows their experiments appearing and their runs training live without a reload:
 * experiment-started for a new experiment folder, run-started when a run's config.json appears,
 * run-progress with the metric lines appended since the last look, run-finished with the summary.
 * Runs this process trains (it holds their claim, or its runner announced them: markOwn) are
 * left to its runner's events.
 *
 * Read-only: it lists folders, stats and reads files, and never creates, renames, touches or
 * deletes anything (a store it watches may belong to other users and machines). Polls every
 * `intervalMs` (network file systems do not deliver change notifications from other machines).
 * Main thread.
 */
import { existsSync, statSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { errorMessage } from '../../engine/index.js';
import type { ApiEvent, MetricRecord, RunView } from '../../shared/api.js';
import { expandExperiment } from '../experiments/spec/expand.js';
import { inspectClaim } from '../store/claim.js';
import { readJsonIfExists, visibleSubdirs } from '../store/files.js';
import { CLAIMS_DIR, CONFIG_FILE, METRICS_FILE, RUNS_DIR, SUMMARY_FILE, type StoredRunConfig } from '../store/layout.js';
import { readMetricsFrom } from '../store/metrics-reader.js';
import { readStoredExperiment, loadRun } from '../store/reader.js';
import { runClaimFile } from '../store/run-claims.js';

interface RunTrack {
  /** `none`: a folder without config yet; `training`: config seen, no summary; `done`: summary seen (or this process's run). */
  phase: 'none' | 'training' | 'done';
  /** Trained by this process: its runner reports it. */
  mine: boolean;
  /** config.json's inode and mtime: a reset run gets a new one. */
  configStamp: string;
  offset: number;
  line: number;
  epochs: number;
  threads: number;
  progress: RunView['progress'];
}

interface ExperimentTrack {
  runs: Map<string, RunTrack>;
  /** mtimes of runs/ and .claims/ at the last look, with no run in training: nothing to read while they stay. */
  quiet: string | null;
}

export class StoreWatcher {
  private readonly experiments = new Map<string, ExperimentTrack>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private baselined = false;
  /** Config stamps of the runs this process's runner started (`<experiment>/<run>` → stamp). */
  private readonly own = new Map<string, string>();

  constructor(
    private readonly root: string,
    private readonly emit: (e: ApiEvent) => void,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
    void this.tick();
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
  }

  /**
   * A run this process's runner started (its config.json is written): the runner reports it, the
   * watcher must not, even when it first sees the run after its claim was released.
   */
  markOwn(experimentId: string, runId: string): void {
    const st = (() => {
      try {
        return statSync(path.join(this.root, experimentId, RUNS_DIR, runId, CONFIG_FILE));
      } catch {
        return null;
      }
    })();
    if (st !== null) this.own.set(`${experimentId}/${runId}`, `${st.ino}:${st.mtimeMs}`);
  }

  /**
   * A run another process is training now: seen training at the last look, and still without a
   * summary (so a run that ended since is never shown running); null otherwise.
   */
  remote(experimentId: string, runId: string): { threads: number; progress: RunView['progress'] } | null {
    const t = this.experiments.get(experimentId)?.runs.get(runId);
    if (t?.phase !== 'training' || t.mine || existsSync(path.join(this.root, experimentId, RUNS_DIR, runId, SUMMARY_FILE))) return null;
    return { threads: t.threads, progress: t.progress };
  }

  /** One look at the store (skipped while the previous one is still reading). The first only takes stock. */
  tick(): Promise<void> {
    this.ticking ??= this.look()
      .catch((err: unknown) => console.error(`ablate: watching ${this.root}: ${errorMessage(err)}`))
      .finally(() => {
        this.ticking = null;
        this.baselined = true;
      });
    return this.ticking;
  }

  private async look(): Promise<void> {
    for (const id of await visibleSubdirs(this.root)) {
      const dir = path.join(this.root, id);
      let track = this.experiments.get(id);
      if (track === undefined) {
        const experiment = await readStoredExperiment(dir).catch(() => null);
        if (experiment === null) continue; // not (yet) an experiment
        track = { runs: new Map(), quiet: null };
        this.experiments.set(id, track);
        if (this.baselined) {
          const runs = expandExperiment(experiment.spec).runs.map((r) => ({
            runId: r.id,
            variantId: r.variant.id,
            seed: r.seed,
            epochs: r.config.train.epochs,
          }));
          this.emit({ type: 'experiment-started', experimentId: id, runs, skipped: [] });
        }
      }
      await this.lookAt(id, dir, track).catch(() => undefined); // a folder removed meanwhile: next time
    }
  }

  private async lookAt(experimentId: string, dir: string, track: ExperimentTrack): Promise<void> {
    const stamp = `${await mtime(path.join(dir, RUNS_DIR))}/${await mtime(path.join(dir, CLAIMS_DIR))}`;
    if (track.quiet === stamp) return;
    const folders = new Set(await visibleSubdirs(path.join(dir, RUNS_DIR)));
    for (const runId of track.runs.keys()) if (!folders.has(runId)) track.runs.delete(runId); // being reset
    let training = false;
    for (const runId of folders) {
      const run = await this.lookAtRun(experimentId, dir, runId, track.runs.get(runId));
      if (run === null) continue;
      track.runs.set(runId, run);
      training ||= run.phase !== 'done';
    }
    track.quiet = training ? null : stamp;
  }

  private async lookAtRun(experimentId: string, dir: string, runId: string, known: RunTrack | undefined): Promise<RunTrack | null> {
    const runDir = path.join(dir, RUNS_DIR, runId);
    const configStamp = await stampOf(path.join(runDir, CONFIG_FILE));
    if (known?.phase === 'done' && known.configStamp === configStamp) return known; // else: reset and started again
    if (configStamp === null) return { ...fresh(), phase: 'none' };
    // Once this process's, always (for this config): its claim is released before the run is seen done.
    const mine =
      (known?.mine === true && known.configStamp === configStamp) ||
      this.own.get(`${experimentId}/${runId}`) === configStamp ||
      (await this.heldHere(dir, runId));
    let run = known?.phase === 'training' && known.configStamp === configStamp ? known : null;
    if (run === null) {
      const config = (await readJsonIfExists(path.join(runDir, CONFIG_FILE)).catch(() => null)) as StoredRunConfig | null;
      if (config === null) return known ?? null;
      run = { ...fresh(), phase: 'training', configStamp, epochs: config.config.train.epochs, threads: config.threads || 1 };
      // On the first look, or for a run of this process: from the end of what is there, silently.
      if (!this.baselined || mine) run.offset = await wholeLinesEnd(path.join(runDir, METRICS_FILE));
      else this.emit({ type: 'run-started', experimentId, runId, threads: run.threads });
    }
    const hasSummary = (await stampOf(path.join(runDir, SUMMARY_FILE))) !== null;
    if (mine)
      return hasSummary ? { ...run, phase: 'done', mine } : { ...run, mine, offset: await wholeLinesEnd(path.join(runDir, METRICS_FILE)) };
    await this.readOn(experimentId, runDir, runId, run);
    if (!hasSummary) return run;
    const loaded = await loadRun(runDir, runId);
    if (loaded.summary === null) return run;
    if (this.baselined) this.emit({ type: 'run-finished', experimentId, runId, summary: loaded.summary });
    return { ...run, phase: 'done', progress: null };
  }

  /** Emits the metric lines written since the last look. */
  private async readOn(experimentId: string, runDir: string, runId: string, run: RunTrack): Promise<void> {
    const records: MetricRecord[] = [];
    for (;;) {
      const tail = await readMetricsFrom(runDir, run.offset, { line: run.line }).catch(() => null);
      if (tail === null) break; // not there yet, or replaced: the config stamp tells a reset run
      records.push(...tail.records);
      run.offset = tail.nextOffset;
      run.line = tail.nextLine;
      if (!tail.more) break;
    }
    if (records.length === 0 || !this.baselined) return;
    const step = records.findLast((r) => r.kind === 'step') as { step: number; epoch: number; loss: number | null } | undefined;
    const epoch = records.findLast((r) => r.kind === 'epoch') as { epoch: number } | undefined;
    run.progress = {
      epoch: step?.epoch ?? epoch?.epoch ?? run.progress?.epoch ?? 0,
      epochs: run.epochs,
      step: step?.step ?? run.progress?.step ?? 0,
      loss: step?.loss ?? run.progress?.loss ?? null,
    };
    this.emit({ type: 'run-progress', experimentId, runId, ...run.progress, records });
  }

  /** Whether this process holds the run's claim (its runner reports the run itself). */
  private async heldHere(experimentDir: string, runId: string): Promise<boolean> {
    const seen = await inspectClaim(runClaimFile(experimentDir, runId)).catch(() => null);
    return seen?.owner?.host === os.hostname() && seen.owner.pid === process.pid;
  }
}

function fresh(): RunTrack {
  return { phase: 'none', mine: false, configStamp: '', offset: 0, line: 1, epochs: 0, threads: 1, progress: null };
}

async function mtime(p: string): Promise<string> {
  return (await fs.stat(p).catch(() => null))?.mtimeMs.toString() ?? '-';
}

async function stampOf(file: string): Promise<string | null> {
  const st = await fs.stat(file).catch(() => null);
  return st === null ? null : `${st.ino}:${st.mtimeMs}`;
}

/** The byte offset just past the last whole line of a file (0 when it has none or does not exist). */
async function wholeLinesEnd(file: string): Promise<number> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch {
    return 0;
  }
  try {
    const chunk = Buffer.alloc(64 * 1024);
    for (let end = (await handle.stat()).size; end > 0;) {
      const start = Math.max(0, end - chunk.length);
      const { bytesRead } = await handle.read(chunk, 0, end - start, start);
      const nl = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (nl >= 0) return start + nl + 1;
      end = start;
    }
    return 0;
  } finally {
    await handle.close();
  }
}

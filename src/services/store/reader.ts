/**
 * The reader API for the app and the CLI: list the experiments of a store and load one with its
 * runs. Read-only and tolerant: it works while a writer is adding runs, skips the store's hidden
 * names (temp files, folders being deleted, the lock), and reports a damaged file as an `error`
 * on the experiment or run concerned instead of failing the whole listing. Counts are of planned
 * runs (the experiment's grid, planned.ts), not of folders, so an experiment interrupted between
 * runs is not complete; a run with a final status whose files are not all there is `damaged`
 * (verify.ts). Metrics and weights are read separately (metrics-reader.ts, weights.ts), they can
 * be large. Async, main thread.
 */
import path from 'node:path';
import type { RunStatus } from '../../engine/index.js';
import type { RunSummary, StoredExperiment } from '../experiments/types.js';
import { StoreError } from './errors.js';
import { exists, readJson, readJsonIfExists, visibleSubdirs } from './files.js';
import { EXPERIMENT_FILE, ONNX_FILE, ONNX_VALIDATION_FILE, RUNS_DIR, WEIGHTS_FILE, type StoredRunConfig } from './layout.js';
import { plannedRuns, type PlannedRunRef } from './planned.js';
import { parseStoredExperiment } from './records.js';
import { inspectRunFiles } from './verify.js';

/**
 * What the store alone can say about a run (no live information: a run being trained right now
 * looks `incomplete`): `planned` = in the experiment's grid but no folder yet (never started);
 * `incomplete` = a folder without a summary (interrupted, or running); a summary's status;
 * `damaged` = a final status whose files are not all there (see `damage`); `unreadable` = a
 * damaged summary.json.
 */
export type StoredRunState = RunStatus | 'planned' | 'incomplete' | 'damaged' | 'unreadable';

/** Runs per stored state. */
export type StatusSummary = Partial<Record<StoredRunState, number>>;

export interface ExperimentListing {
  /** The folder name. */
  id: string;
  /** spec.name, or null when experiment.json cannot be read. */
  name: string | null;
  createdAt: string | null;
  /**
   * Planned runs: the size of the experiment's grid (variants x seeds), whether they started or
   * not; the number of run folders when the spec cannot be expanded (see `planned`).
   */
  runCount: number;
  /** False when runCount counts folders because the plan is unknown (experiment.json damaged). */
  planned: boolean;
  /** Complete runs of the plan: final status (completed, early_stopped, pruned, diverged) and intact files. */
  completedRuns: number;
  /** Runs with a final status whose files are damaged (retrained by the next `ablate run`). */
  damagedRuns: number;
  statusSummary: StatusSummary;
  path: string;
  /** Set when experiment.json is missing or damaged; the other fields are then best effort. */
  error?: string;
}

export interface LoadedRun {
  runId: string;
  path: string;
  /** null when config.json is missing (the run stopped before writing it) or damaged (see error). */
  config: StoredRunConfig | null;
  /** null when the run has no summary.json yet (running or interrupted) or it is damaged. */
  summary: RunSummary | null;
  /** A final status and intact files: a resume skips this run. */
  complete: boolean;
  state: StoredRunState;
  /** For a damaged run: what is missing or wrong, one sentence per file ([] otherwise). */
  damage: string[];
  hasWeights: boolean;
  hasOnnx: boolean;
  hasOnnxValidation: boolean;
  /** What is wrong with this run's files, when something is (damage included). */
  error?: string;
}

export interface LoadedExperiment {
  experiment: StoredExperiment;
  path: string;
  /** The run folders, sorted by run id. */
  runs: LoadedRun[];
  /** Every run of the experiment's grid in plan order; null when the spec cannot be expanded. */
  plan: PlannedRunRef[] | null;
  /** Planned runs that have no folder: never started. */
  notStarted: PlannedRunRef[];
}

/**
 * Every experiment folder of the store, sorted by id; [] when the store folder does not exist yet.
 * Never throws for a damaged experiment: it is listed with `error`.
 */
export async function listExperiments(root: string): Promise<ExperimentListing[]> {
  const base = path.resolve(root);
  const out: ExperimentListing[] = [];
  for (const id of await visibleSubdirs(base)) {
    const dir = path.join(base, id);
    const item: ExperimentListing = {
      id,
      name: null,
      createdAt: null,
      runCount: 0,
      planned: false,
      completedRuns: 0,
      damagedRuns: 0,
      statusSummary: {},
      path: dir,
    };
    let plan: PlannedRunRef[] | null = null;
    try {
      const file = path.join(dir, EXPERIMENT_FILE);
      const raw = await readJsonIfExists(file);
      if (raw === null) {
        item.error = new StoreError(file, 'is missing: not an experiment folder, or one whose creation was interrupted').message;
      } else {
        const exp = parseStoredExperiment(file, raw);
        item.name = exp.spec.name;
        item.createdAt = exp.createdAt;
        plan = plannedRuns(exp);
      }
    } catch (err) {
      item.error = err instanceof Error ? err.message : String(err);
    }
    const count = (key: StoredRunState) => (item.statusSummary[key] = (item.statusSummary[key] ?? 0) + 1);
    try {
      const folders = await visibleSubdirs(path.join(dir, RUNS_DIR));
      for (const runId of folders) {
        const state = await runState(path.join(dir, RUNS_DIR, runId));
        count(state);
        if (state === 'damaged') item.damagedRuns++;
        else if (state === 'completed' || state === 'early_stopped' || state === 'pruned' || state === 'diverged') item.completedRuns++;
      }
      if (plan !== null) {
        const present = new Set(folders);
        for (const r of plan) if (!present.has(r.runId)) count('planned');
      }
      item.planned = plan !== null;
      // A bayes search's later trials are planned as they are proposed (planned.ts): never fewer than its folders.
      item.runCount = Math.max(plan?.length ?? 0, folders.length);
    } catch (err) {
      item.error ??= err instanceof Error ? err.message : String(err);
    }
    out.push(item);
  }
  return out;
}

/**
 * An experiment folder with all its runs (sorted by run id) and its plan. StoreError when
 * experiment.json is missing or damaged; a damaged run file sets that run's `error` instead.
 */
export async function loadExperiment(dir: string): Promise<LoadedExperiment> {
  const base = path.resolve(dir);
  const experiment = await readStoredExperiment(base);
  const runsDir = path.join(base, RUNS_DIR);
  const runs: LoadedRun[] = [];
  for (const runId of await visibleSubdirs(runsDir)) runs.push(await loadRun(path.join(runsDir, runId), runId));
  const plan = plannedRuns(
    experiment,
    runs.flatMap((r) => (r.summary ? [r.summary] : [])),
  );
  const present = new Set(runs.map((r) => r.runId));
  return { experiment, path: base, runs, plan, notStarted: (plan ?? []).filter((r) => !present.has(r.runId)) };
}

/** Only the experiment.json of an experiment folder (no run is read); StoreError when missing or damaged. */
export async function readStoredExperiment(dir: string): Promise<StoredExperiment> {
  const file = path.join(path.resolve(dir), EXPERIMENT_FILE);
  return parseStoredExperiment(file, await readJson(file));
}

/** One run folder, tolerant of damage (reported in `damage` and `error`). */
export async function loadRun(runDir: string, runId = path.basename(runDir)): Promise<LoadedRun> {
  const run: LoadedRun = {
    runId,
    path: runDir,
    config: null,
    summary: null,
    complete: false,
    state: 'incomplete',
    damage: [],
    hasWeights: false,
    hasOnnx: false,
    hasOnnxValidation: false,
  };
  const errors: string[] = [];
  try {
    const files = await inspectRunFiles(runDir);
    run.config = files.config;
    run.summary = files.summary;
    run.complete = files.complete;
    run.damage = files.damage;
    run.state = files.damage.length > 0 ? 'damaged' : (files.summary?.status ?? 'incomplete');
    if (files.configError !== null && files.damage.length === 0) errors.push(files.configError);
    errors.push(...files.damage);
  } catch (err) {
    run.state = 'unreadable';
    errors.push(err instanceof Error ? err.message : String(err));
  }
  try {
    run.hasWeights = await exists(path.join(runDir, WEIGHTS_FILE));
    run.hasOnnx = await exists(path.join(runDir, ONNX_FILE));
    run.hasOnnxValidation = await exists(path.join(runDir, ONNX_VALIDATION_FILE));
  } catch (err) {
    errors.push(err instanceof Error ? err.message : String(err));
  }
  if (errors.length > 0) run.error = errors.join('\n');
  return run;
}

/** The stored state of a run folder (never throws: a damaged summary is `unreadable`). */
async function runState(runDir: string): Promise<StoredRunState> {
  try {
    const files = await inspectRunFiles(runDir);
    return files.damage.length > 0 ? 'damaged' : (files.summary?.status ?? 'incomplete');
  } catch {
    return 'unreadable';
  }
}

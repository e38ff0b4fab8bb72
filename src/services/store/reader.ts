/**
 * The reader API for the app and the CLI: list the experiments of a store and load one with its
 * runs. Read-only and tolerant: it works while a writer is adding runs, skips the store's hidden
 * names (temp files, folders being deleted, the lock), and reports a damaged file as an `error`
 * on the experiment or run concerned instead of failing the whole listing. Metrics and weights
 * are read separately (metrics-reader.ts, weights.ts), they can be large. Async, main thread.
 */
import path from 'node:path';
import type { RunStatus } from '../../engine/index.js';
import type { RunSummary, StoredExperiment } from '../experiments/types.js';
import { StoreError } from './errors.js';
import { exists, readJson, readJsonIfExists, visibleSubdirs } from './files.js';
import { CONFIG_FILE, EXPERIMENT_FILE, ONNX_FILE, ONNX_VALIDATION_FILE, RUNS_DIR, WEIGHTS_FILE, type StoredRunConfig } from './layout.js';
import { parseRunConfig, parseStoredExperiment, runCompletion } from './records.js';

/** Runs per status; `incomplete` = no summary yet, `unreadable` = a damaged summary.json. */
export type StatusSummary = Partial<Record<RunStatus | 'incomplete' | 'unreadable', number>>;

export interface ExperimentListing {
  /** The folder name. */
  id: string;
  /** spec.name, or null when experiment.json cannot be read. */
  name: string | null;
  createdAt: string | null;
  runCount: number;
  /** Runs with a final status (completed, early_stopped, diverged). */
  completedRuns: number;
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
  /** summary.json exists with a final status: a resume skips this run. */
  complete: boolean;
  hasWeights: boolean;
  hasOnnx: boolean;
  hasOnnxValidation: boolean;
  /** What is wrong with this run's files, when something is. */
  error?: string;
}

export interface LoadedExperiment {
  experiment: StoredExperiment;
  path: string;
  runs: LoadedRun[];
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
    const item: ExperimentListing = { id, name: null, createdAt: null, runCount: 0, completedRuns: 0, statusSummary: {}, path: dir };
    try {
      const file = path.join(dir, EXPERIMENT_FILE);
      const raw = await readJsonIfExists(file);
      if (raw === null) {
        item.error = new StoreError(file, 'is missing: not an experiment folder, or one whose creation was interrupted').message;
      } else {
        const exp = parseStoredExperiment(file, raw);
        item.name = exp.spec.name;
        item.createdAt = exp.createdAt;
      }
    } catch (err) {
      item.error = err instanceof Error ? err.message : String(err);
    }
    try {
      const runsDir = path.join(dir, RUNS_DIR);
      for (const runId of await visibleSubdirs(runsDir)) {
        item.runCount++;
        let key: keyof StatusSummary;
        try {
          const { summary, complete } = await runCompletion(path.join(runsDir, runId));
          key = summary === null ? 'incomplete' : summary.status;
          if (complete) item.completedRuns++;
        } catch {
          key = 'unreadable';
        }
        item.statusSummary[key] = (item.statusSummary[key] ?? 0) + 1;
      }
    } catch (err) {
      item.error ??= err instanceof Error ? err.message : String(err);
    }
    out.push(item);
  }
  return out;
}

/**
 * An experiment folder with all its runs (sorted by run id). StoreError when experiment.json is
 * missing or damaged; a damaged run file sets that run's `error` instead.
 */
export async function loadExperiment(dir: string): Promise<LoadedExperiment> {
  const base = path.resolve(dir);
  const experiment = await readStoredExperiment(base);
  const runsDir = path.join(base, RUNS_DIR);
  const runs: LoadedRun[] = [];
  for (const runId of await visibleSubdirs(runsDir)) runs.push(await loadRun(path.join(runsDir, runId), runId));
  return { experiment, path: base, runs };
}

/** Only the experiment.json of an experiment folder (no run is read); StoreError when missing or damaged. */
export async function readStoredExperiment(dir: string): Promise<StoredExperiment> {
  const file = path.join(path.resolve(dir), EXPERIMENT_FILE);
  return parseStoredExperiment(file, await readJson(file));
}

/** One run folder, tolerant of damage (reported in `error`). */
export async function loadRun(runDir: string, runId = path.basename(runDir)): Promise<LoadedRun> {
  const run: LoadedRun = {
    runId,
    path: runDir,
    config: null,
    summary: null,
    complete: false,
    hasWeights: false,
    hasOnnx: false,
    hasOnnxValidation: false,
  };
  const errors: string[] = [];
  try {
    const file = path.join(runDir, CONFIG_FILE);
    const raw = await readJsonIfExists(file);
    if (raw !== null) run.config = parseRunConfig(file, raw);
  } catch (err) {
    errors.push(err instanceof Error ? err.message : String(err));
  }
  try {
    const { summary, complete } = await runCompletion(runDir);
    run.summary = summary;
    run.complete = complete;
  } catch (err) {
    errors.push(err instanceof Error ? err.message : String(err));
  }
  try {
    run.hasWeights = await exists(path.join(runDir, WEIGHTS_FILE));
    run.hasOnnx = await exists(path.join(runDir, ONNX_FILE));
    run.hasOnnxValidation = await exists(path.join(runDir, ONNX_VALIDATION_FILE));
  } catch (err) {
    errors.push(err instanceof Error ? err.message : String(err));
  }
  if (run.complete && run.config === null && errors.length === 0)
    errors.push(new StoreError(path.join(runDir, CONFIG_FILE), 'is missing although the run is complete').message);
  if (run.summary?.weightsSha256 != null && !run.hasWeights)
    errors.push(new StoreError(path.join(runDir, WEIGHTS_FILE), 'is missing although the summary names its hash').message);
  if (errors.length > 0) run.error = errors.join('\n');
  return run;
}

/**
 * A stored run's trained model, ready to predict or export: the run's config, its model plan and
 * weights.bin, whose parameters are checked against the SHA-256 in the run's summary. Used by the
 * ONNX export (export-run.ts) and the app's decision boundary. Every way a path can fail to be a
 * finished run (missing, a file, an experiment folder, a run not finished, cancelled, failed or
 * damaged) is a StoreError naming the path and saying what to do: bad input, never an internal
 * error. Main thread (file reads).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { planModel, type PredictableModel } from '../engine/index.js';
import type { RunSummary } from './experiments/types.js';
import { errnoCode, StoreError } from './store/errors.js';
import { visibleSubdirs } from './store/files.js';
import { CONFIG_FILE, EXPERIMENT_FILE, RUNS_DIR, type StoredRunConfig } from './store/layout.js';
import { loadRun, type LoadedRun } from './store/reader.js';
import { readWeights } from './store/weights.js';

/** A run that has its config, summary and weights. */
export type TrainedRun = LoadedRun & { config: StoredRunConfig; summary: RunSummary };

export interface TrainedModel {
  run: TrainedRun;
  model: PredictableModel;
}

/**
 * Loads the model of a run folder (or of a run already loaded with loadRun). StoreError when the
 * path is not a finished run with intact files, or weights.bin does not fit the model or its hash
 * differs from the summary's.
 */
export async function loadTrainedModel(runOrDir: string | LoadedRun): Promise<TrainedModel> {
  const run = typeof runOrDir === 'string' ? await loadRunFolder(runOrDir) : runOrDir;
  const s = run.summary;
  if (run.state === 'damaged') throw new StoreError(run.path, `the run is damaged: ${run.damage.join('; ')}`);
  if (run.state === 'unreadable') throw new StoreError(run.path, `the run cannot be read: ${run.error}`);
  if (s === null) {
    throw new StoreError(run.path, `run ${run.runId} has not finished (no summary.json yet): it has no trained weights until it ends`);
  }
  if (s.status === 'failed' || s.status === 'cancelled') {
    const why = s.stopReason ? ` (${s.stopReason})` : '';
    throw new StoreError(run.path, `run ${run.runId} was ${s.status}${why}: it has no trained model; rerun it with ablate run`);
  }
  if (!run.config || s.weightsSha256 == null) {
    throw new StoreError(run.path, `run ${run.runId} (${s.status}) has no stored weights: ${run.error ?? 'its summary names none'}`);
  }
  const config = run.config.config;
  const plan = planModel(config.model);
  const w = await readWeights(run.path, plan.paramCount, plan.bufferCount, { expectedSha256: s.weightsSha256 });
  return { run: run as TrainedRun, model: { config, plan, params: w.params, bnBuffers: w.bnBuffers } };
}

/** loadRun, after checking that `dir` is a run folder at all (with advice when it is an experiment folder). */
async function loadRunFolder(dir: string): Promise<LoadedRun> {
  const st = await stat(dir).catch((err: unknown) => {
    throw new StoreError(dir, errnoCode(err) === 'ENOENT' ? 'no such run folder' : `cannot read the run folder (${String(err)})`);
  });
  if (!st.isDirectory()) throw new StoreError(dir, 'is a file, not a run folder (<store>/<experiment>/runs/<run-id>)');
  const isFile = (name: string) =>
    stat(path.join(dir, name)).then(
      (s) => s.isFile(),
      () => false,
    );
  if (await isFile(EXPERIMENT_FILE)) {
    const runs = await visibleSubdirs(path.join(dir, RUNS_DIR));
    const some = runs.length === 0 ? 'it has no runs yet' : `its runs: ${runs.slice(0, 5).join(', ')}${runs.length > 5 ? ', ...' : ''}`;
    throw new StoreError(
      dir,
      `is an experiment folder, not a run folder: give one of its runs, e.g. ${path.join(dir, RUNS_DIR, runs[0] ?? '<run-id>')} (${some})`,
    );
  }
  const run = await loadRun(dir);
  if (run.config === null && run.summary === null && !(await isFile(CONFIG_FILE)) && run.state !== 'unreadable') {
    throw new StoreError(dir, 'is not a run folder: it has no config.json (a run folder is <store>/<experiment>/runs/<run-id>)');
  }
  return run;
}

/**
 * A stored run's trained model, ready to predict or export: the run's config, its model plan and
 * weights.bin, whose parameters are checked against the SHA-256 in the run's summary. Used by the
 * ONNX export (export-run.ts) and the app's decision boundary. Main thread (file reads).
 */
import { planModel, type PredictableModel } from '../engine/index.js';
import type { RunSummary } from './experiments/types.js';
import type { StoredRunConfig } from './store/layout.js';
import { loadRun, type LoadedRun } from './store/reader.js';
import { readWeights } from './store/weights.js';

/** A run that has its config, summary and weights. */
export type TrainedRun = LoadedRun & { config: StoredRunConfig; summary: RunSummary };

export interface TrainedModel {
  run: TrainedRun;
  model: PredictableModel;
}

/**
 * Loads the model of a run folder (or of a run already loaded with loadRun). Throws when the run
 * has no readable config, no summary or no weights yet, and a StoreError when weights.bin does not
 * fit the model or its hash differs from the summary's.
 */
export async function loadTrainedModel(runOrDir: string | LoadedRun): Promise<TrainedModel> {
  const run = typeof runOrDir === 'string' ? await loadRun(runOrDir) : runOrDir;
  if (!run.config) throw new Error(`${run.path} is not a readable run folder: ${run.error ?? 'config.json is missing'}`);
  if (!run.summary || !run.hasWeights) {
    throw new Error(
      `run ${run.runId} has no trained weights yet (status: ${run.summary?.status ?? 'incomplete'}); they are there once it has finished`,
    );
  }
  const config = run.config.config;
  const plan = planModel(config.model);
  const w = await readWeights(run.path, plan.paramCount, plan.bufferCount, { expectedSha256: run.summary.weightsSha256 });
  return { run: run as TrainedRun, model: { config, plan, params: w.params, bnBuffers: w.bnBuffers } };
}

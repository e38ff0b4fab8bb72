/**
 * Exports a stored run's trained model to ONNX and validates it in onnxruntime on real inputs:
 * reads the run's config and weights (checked against the summary's SHA-256, trained-model.ts),
 * takes validation rows (preprocessed exactly as in training) and the fitted preprocessing
 * statistics for the metadata from the run's own prepared data (the caller's, when it has them
 * already, else reloaded from the run's data spec: config.json's dataSpec, or experiment.json's
 * data for runs stored without one), then writes model.onnx and
 * model.validation.json beside the run (or to `outPath`). Main thread only (onnxruntime). Used by
 * the CLI, the app and the self-test.
 */
import path from 'node:path';
import { kernelFactory, loadPrepared, type PreparedData } from '../engine/index.js';
import { runDataSpec } from './experiments/run-data.js';
import type { StoredExperiment } from './experiments/types.js';
import { OnnxError } from './onnx/errors.js';
import { keptWeightsMetrics } from './onnx/metadata.js';
import { exportAndValidate, type ExportResult } from './onnx/export-and-validate.js';
import { ONNX_FILE } from './store/layout.js';
import { readStoredExperiment } from './store/reader.js';
import { loadTrainedModel } from './trained-model.js';

export interface ExportRunOptions {
  /** The embedded MNIST folder, to reload the data when `prepared` is not given. */
  embeddedDir: string;
  /** The run's prepared data for its data spec (e.g. an app's cache); default: loaded from the spec. */
  prepared?: (experiment: StoredExperiment, dataSpec: unknown) => Promise<PreparedData>;
  outPath?: string;
  opset?: number;
  probabilities?: boolean;
  /** Rows of real data to validate on (default 256). */
  rows?: number;
}

export async function exportRun(runDir: string, o: ExportRunOptions): Promise<ExportResult> {
  const { run, model } = await loadTrainedModel(runDir);
  if (run.summary.status === 'diverged') {
    throw new OnnxError(
      `run ${run.runId} diverged (${run.summary.stopReason}): its weights are not a trained model, so there is nothing meaningful to export`,
    );
  }
  if (!model.params.every(Number.isFinite) || !model.bnBuffers.every(Number.isFinite)) {
    throw new OnnxError(`run ${run.runId} has non-finite weights: there is no meaningful model to export`);
  }
  // Only experiment.json: the other runs' folders are not needed.
  const experiment = await readStoredExperiment(path.dirname(path.dirname(runDir)));
  const dataSpec = runDataSpec(experiment, run.config);
  const prepared = o.prepared
    ? await o.prepared(experiment, dataSpec)
    : (await loadPrepared(dataSpec, { embeddedDir: o.embeddedDir })).prepared;
  const inputs = validationRows(prepared, o.rows ?? 256);
  return exportAndValidate(
    model,
    {
      datasetName: prepared.dataset.name,
      classNames: prepared.dataset.targets.kind === 'class' ? prepared.dataset.targets.classNames : null,
      featureNames: prepared.dataset.featureNames,
      preprocessing: prepared.preprocess,
      metrics: keptWeightsMetrics(run.summary),
      runId: run.runId,
    },
    {
      outPath: o.outPath ?? path.join(runDir, ONNX_FILE),
      inputs,
      opset: o.opset,
      probabilities: o.probabilities,
      referenceKernels: { name: 'wasm', factory: kernelFactory('wasm') },
    },
  );
}

/** Up to `max` preprocessed rows: validation rows first, then training rows. */
export function validationRows(p: PreparedData, max: number): { x: Float32Array; rows: number } {
  const order = [...p.splits.validation, ...p.splits.train].slice(0, max);
  const d = p.dataset.d;
  const x = new Float32Array(order.length * d);
  order.forEach((idx, r) => x.set(p.features.subarray(idx * d, (idx + 1) * d), r * d));
  return { x, rows: order.length };
}

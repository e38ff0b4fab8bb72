/**
 * Exports a stored run's trained model to ONNX and validates it in onnxruntime on real inputs:
 * reads the run's config and weights (checked against the summary's SHA-256), reloads the
 * experiment's data to take validation rows (preprocessed exactly as in training) and the fitted
 * preprocessing statistics for the metadata, then writes model.onnx and model.validation.json
 * beside the run (or to `outPath`). Main thread only (onnxruntime). Used by the CLI, the app and
 * the self-test.
 */
import path from 'node:path';
import { loadPrepared } from '../engine/data/load.js';
import type { PreparedData } from '../engine/data/prepare.js';
import { kernelFactory } from '../engine/kernels/select.js';
import { planModel } from '../engine/model/plan.js';
import { OnnxError } from './onnx/errors.js';
import { exportAndValidate, type ExportResult } from './onnx/export-and-validate.js';
import { ONNX_FILE } from './store/layout.js';
import { loadRun } from './store/reader.js';
import { readWeights } from './store/weights.js';
import { loadExperiment } from './store/reader.js';

export interface ExportRunOptions {
  embeddedDir: string;
  outPath?: string;
  opset?: number;
  probabilities?: boolean;
  /** Rows of real data to validate on (default 256). */
  rows?: number;
}

export async function exportRun(runDir: string, o: ExportRunOptions): Promise<ExportResult> {
  const run = await loadRun(runDir);
  if (!run.config) throw new OnnxError(`${runDir} is not a readable run folder: ${run.error ?? 'config.json is missing'}`);
  if (!run.summary || !run.hasWeights) {
    throw new OnnxError(
      `run ${run.runId} has no trained weights yet (status: ${run.summary?.status ?? 'incomplete'}); export it once it has finished`,
    );
  }
  if (run.summary.status === 'diverged') {
    throw new OnnxError(
      `run ${run.runId} diverged (${run.summary.stopReason}): its weights are not a trained model, so there is nothing meaningful to export`,
    );
  }
  const config = run.config.config;
  const plan = planModel(config.model);
  const weights = await readWeights(runDir, plan.paramCount, plan.bufferCount, { expectedSha256: run.summary.weightsSha256 });
  if (!weights.params.every(Number.isFinite) || !weights.bnBuffers.every(Number.isFinite)) {
    throw new OnnxError(`run ${run.runId} has non-finite weights: there is no meaningful model to export`);
  }
  const experiment = await loadExperiment(path.dirname(path.dirname(runDir)));
  const { prepared } = await loadPrepared(experiment.experiment.spec.data, { embeddedDir: o.embeddedDir });
  const inputs = validationRows(prepared, o.rows ?? 256);
  const final = run.summary.final;
  return exportAndValidate(
    { config, plan, params: weights.params, bnBuffers: weights.bnBuffers },
    {
      datasetName: prepared.dataset.name,
      classNames: prepared.dataset.targets.kind === 'class' ? prepared.dataset.targets.classNames : null,
      featureNames: prepared.dataset.featureNames,
      preprocessing: prepared.preprocess,
      metrics: final
        ? { trainLoss: final.trainLoss, trainAccuracy: final.trainAccuracy, valLoss: final.valLoss, valAccuracy: final.valAccuracy }
        : null,
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

/**
 * Refuses, at validation, a model whose run memory cannot exist: everything a run trains in lives
 * in one WebAssembly memory (src/engine/README.md, "Memory"), which addresses at most 4 GiB. The
 * bytes come from the engine's own layout (`runShape` + `runMemoryBytes`, the computation the pool
 * allocates with), never from a second estimate; only when the parameters alone pass the limit is
 * the layout skipped, because laying out a model of trillions of parameters would itself cost
 * gigabytes (its work plan lists parameter blocks).
 *
 * The message names the field to change: the widest contributor among the layers, or
 * train.batchSize when the per-batch buffers (activations and their gradients) are the larger part.
 * Assumptions where the data is not known yet: targets are vectors unless the head is softmax (a few
 * bytes per row, the larger case), and one thread unless execution.threadsPerRun says more (each
 * thread adds a scratch region). Pure arithmetic.
 */
import {
  MAX_RUN_MEMORY_BYTES,
  planModel,
  runMemoryBytes,
  runShape,
  type ModelPlan,
  type ResolvedRunConfig,
} from '../../../engine/index.js';
import type { FieldIssue } from './errors.js';
import { formatBytes } from './limits.js';

export { MAX_RUN_MEMORY_BYTES };
const LIMIT_TEXT = `the 4 GiB (${formatBytes(MAX_RUN_MEMORY_BYTES)}) a WebAssembly memory can address`;

export function modelSizeIssue(cfg: ResolvedRunConfig, threads = 1): FieldIssue | null {
  const plan = planModel(cfg.model);
  const largest = largestLayer(plan);
  const paramBytes = plan.paramCount * Float32Array.BYTES_PER_ELEMENT;
  if (paramBytes > MAX_RUN_MEMORY_BYTES) {
    return {
      path: largest.path,
      message: `the model has ${plan.paramCount.toLocaleString('en-US')} parameters, ${formatBytes(paramBytes)} before gradients and optimizer state, more than ${LIMIT_TEXT}; ${largest.text}`,
    };
  }
  const vectorTargets = cfg.model.head !== 'softmax';
  const bytes = runMemoryBytes(runShape(cfg, threads, vectorTargets));
  if (bytes <= MAX_RUN_MEMORY_BYTES) return null;
  const oneRow = runMemoryBytes(runShape({ ...cfg, train: { ...cfg.train, batchSize: 1 } }, threads, vectorTargets));
  const perBatch = bytes - oneRow;
  const needs = `a run of this model needs ${formatBytes(bytes)} of memory with a batch of ${cfg.train.batchSize} rows (${formatBytes(oneRow)} for parameters, gradients and optimizer state, ${formatBytes(perBatch)} for the batch's activations and gradients), more than ${LIMIT_TEXT}`;
  if (perBatch > oneRow) return { path: 'train.batchSize', message: `${needs}; use a smaller batch` };
  return { path: largest.path, message: `${needs}; ${largest.text}` };
}

/** The linear layer with the most parameters, as the field that sizes it and a sentence. */
function largestLayer(plan: ModelPlan): { path: string; text: string } {
  const linears = [...plan.hidden.map((h) => h.linear), plan.output];
  let best = 0;
  linears.forEach((l, i) => {
    if (l.inDim * l.outDim > linears[best].inDim * linears[best].outDim) best = i;
  });
  const l = linears[best];
  const weights = `${l.outDim.toLocaleString('en-US')} × ${l.inDim.toLocaleString('en-US')} weights, ${formatBytes(l.outDim * l.inDim * Float32Array.BYTES_PER_ELEMENT)}`;
  const last = plan.hidden.length - 1;
  if (best === plan.hidden.length) {
    // The output size is the data's; the width before it is the user's choice.
    return {
      path: last >= 0 ? `model.hidden[${last}].width` : 'model.inputSize',
      text: `the largest layer is the output layer (${weights}): make ${last >= 0 ? `model.hidden[${last}]` : 'the input'} narrower`,
    };
  }
  return {
    path: `model.hidden[${best}].width`,
    text: `the largest layer is model.hidden[${best}] (${weights}): make it${best > 0 ? ' or the layer before it' : ''} narrower`,
  };
}

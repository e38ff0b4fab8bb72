/**
 * What an exported file says about itself: `metadata_props` (sorted by key, values are strings,
 * JSON where structured) and the model's `doc_string` in words. Everything here is a pure function
 * of the model and the caller's meta; nothing time- or machine-dependent goes in, so re-exporting
 * gives the same bytes. The keys are documented in docs/onnx.md.
 */
import { ENGINE_NAME, ENGINE_VERSION, type HiddenSpec, type PredictableModel, weightsSha256 } from '../../engine/index.js';
import type { RunSummary } from '../experiments/types.js';
import { weightsOf } from '../../shared/run-weights.js';
import { canonicalJson, canonicalSha256 } from '../canonical-json.js';
import { OnnxError } from './errors.js';
import type { OutputKind } from './layers.js';
import type { StringStringEntryProto } from './proto.js';

export const PRODUCER_NAME = 'ablate';

/** What the caller knows about the run that the model itself does not carry. */
export interface OnnxExportMeta {
  /** Dataset the model was trained on (e.g. "mnist", "spiral", a CSV file's name). */
  datasetName: string;
  /** One name per output class (softmax heads must give exactly outputSize names). */
  classNames?: readonly string[] | null;
  /** One name per input feature, when the data has them. */
  featureNames?: readonly string[] | null;
  /**
   * How raw inputs become the model's inputs, as plain JSON (scaling or standardization
   * statistics, pixel scale, ...). Recorded verbatim (canonical JSON); null means none recorded.
   */
  preprocessing?: unknown;
  /**
   * Metrics of the exported weights (e.g. { epoch: 7, restoredBest: true, valAccuracy: 0.97 }):
   * for a stored run, keptWeightsMetrics(summary), which names the epoch the weights are from.
   */
  metrics?: Record<string, number | boolean | null> | null;
  /** The run's id in the experiment store, when there is one. */
  runId?: string | null;
  /** Graph name; default "ablate_mlp". */
  graphName?: string;
}

export type ExportableModel = PredictableModel & { weightsSha256?: string };

export function metadataProps(model: ExportableModel, meta: OnnxExportMeta, opset: number, output: OutputKind): StringStringEntryProto[] {
  const { plan, config } = model;
  if (plan.head === 'softmax' && meta.classNames && meta.classNames.length !== plan.outputSize) {
    throw new OnnxError(`${meta.classNames.length} class names given for a softmax head with ${plan.outputSize} classes`);
  }
  if (meta.featureNames && meta.featureNames.length !== plan.inputSize) {
    throw new OnnxError(`${meta.featureNames.length} feature names given for a model with ${plan.inputSize} inputs`);
  }
  const props: Record<string, string> = {
    config: canonicalJson(config),
    config_sha256: canonicalSha256(config),
    dataset: meta.datasetName,
    engine: ENGINE_NAME,
    engine_version: ENGINE_VERSION,
    head: plan.head,
    input_preprocessing: canonicalJson(meta.preprocessing ?? null),
    metrics: canonicalJson(meta.metrics ?? {}),
    opset: String(opset),
    output: output,
    output_meaning: outputMeaning(plan.head, output),
    seed: String(config.seed),
    weights_sha256: model.weightsSha256 ?? weightsSha256(model.params.subarray(0, plan.paramCount)),
  };
  if (meta.classNames) props.class_names = canonicalJson(meta.classNames);
  if (meta.featureNames) props.feature_names = canonicalJson(meta.featureNames);
  if (meta.runId) props.run_id = meta.runId;
  return Object.keys(props)
    .sort()
    .map((key) => ({ key, value: props[key] }));
}

/**
 * The `metrics` metadata of a stored run's model: the epoch its weights are from (1-based, as the
 * app and CLI number epochs; the restored best epoch when early stopping restored it, else the last
 * one), whether they were restored, the epochs trained, and that epoch's train and validation
 * metrics with the test metrics of the same weights. Never the last epoch's figures for restored
 * weights.
 */
export function keptWeightsMetrics(s: RunSummary): Record<string, number | boolean | null> {
  const w = weightsOf(s);
  const m = w.metrics;
  return {
    epoch: w.epoch === null ? null : w.epoch + 1,
    restoredBest: w.restored,
    epochsTrained: s.epochsRun,
    trainLoss: m?.trainLoss ?? null,
    trainAccuracy: m?.trainAccuracy ?? null,
    valLoss: m?.valLoss ?? null,
    valAccuracy: m?.valAccuracy ?? null,
    testLoss: s.test?.loss ?? null,
    testAccuracy: s.test?.accuracy ?? null,
  };
}

export function outputMeaning(head: PredictableModel['plan']['head'], output: OutputKind): string {
  if (head === 'linear') return 'regression outputs, in the units of the training targets (see input_preprocessing for any target scaling)';
  if (head === 'softmax') {
    return output === 'probabilities'
      ? 'class probabilities: softmax over axis 1, each row sums to 1; the argmax is the predicted class'
      : 'class scores (logits): softmax over axis 1 gives the class probabilities; the argmax is the predicted class';
  }
  return output === 'probabilities'
    ? 'independent probabilities per output (sigmoid); above 0.5 means the positive class'
    : 'logits of independent binary outputs: sigmoid gives the probability; above 0 means the positive class';
}

export function docString(model: ExportableModel, meta: OnnxExportMeta, output: OutputKind): string {
  const { plan, config } = model;
  const lines = [
    `Multilayer perceptron trained with ${ENGINE_NAME} ${ENGINE_VERSION} on dataset "${meta.datasetName}" (seed ${config.seed}).`,
    `Input "input": float32 [batch, ${plan.inputSize}], the features after the preprocessing in metadata "input_preprocessing".`,
    'Layers (inference form):',
    ...plan.hidden.map(describeHidden),
    `  output: linear ${plan.output.inDim} -> ${plan.outputSize} (Gemm)${output === 'probabilities' ? `, then ${plan.head}` : ''}`,
    `Output "${output}": float32 [batch, ${plan.outputSize}], ${outputMeaning(plan.head, output)}.`,
  ];
  if (meta.classNames) lines.push(`Classes, in output order: ${meta.classNames.join(', ')}.`);
  const epoch = meta.metrics?.epoch;
  if (typeof epoch === 'number') {
    const how = meta.metrics?.restoredBest ? 'the restored best epoch' : 'the last epoch';
    lines.push(`Weights of epoch ${epoch} (${how}); metadata "metrics" holds that epoch's figures.`);
  }
  return lines.join('\n');
}

function describeHidden(h: HiddenSpec): string {
  const parts = [`linear ${h.inDim} -> ${h.width}`];
  if (h.batchNorm === 'pre') parts.push('batch norm (running statistics, eps 1e-5)');
  parts.push(activationWords(h));
  if (h.batchNorm === 'post') parts.push('batch norm (running statistics, eps 1e-5)');
  if (h.dropout > 0) parts.push(`dropout ${h.dropout} in training (removed: identity at inference)`);
  if (h.residual) parts.push('residual: adds the layer input');
  return `  hidden.${h.index}: ${parts.join(', ')}`;
}

function activationWords(h: HiddenSpec): string {
  switch (h.activation) {
    case 'leaky_relu':
      return `leaky_relu (alpha ${h.alpha})`;
    case 'elu':
      return `elu (alpha ${h.alpha})`;
    case 'gelu':
      return 'gelu (exact erf form)';
    case 'gelu_tanh':
      return 'gelu_tanh (tanh approximation)';
    case 'softplus':
      return 'softplus (beta 1)';
    default:
      return h.activation;
  }
}

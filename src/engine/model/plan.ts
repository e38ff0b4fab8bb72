/**
 * The model plan: a resolved config turned into layers with shapes and a table of named
 * parameters (offsets into the flat parameter arena) and batch-norm buffers. Pure arithmetic;
 * the same plan is computed in every thread. Names are the identity used by ONNX export and
 * diagnostics.
 */
import type { ResolvedRunConfig } from '../config/defaults.js';
import type { ActivationName, BatchNormPlacement, Head, ModelConfig } from '../config/types.js';
import { resolveHidden } from '../config/defaults.js';

export type ParamKind = 'weight' | 'bias' | 'bn_gamma' | 'bn_beta';

export interface ParamEntry {
  name: string;
  kind: ParamKind;
  /** Offset in floats inside the parameter arena (the gradient and optimizer arenas share it). */
  offset: number;
  size: number;
  shape: number[];
  /** Index of the linear layer it belongs to: 0..hidden.length-1 hidden, hidden.length = output. */
  layer: number;
}

export interface BufferEntry {
  name: string;
  kind: 'running_mean' | 'running_var';
  offset: number;
  size: number;
  layer: number;
}

export interface LinearSpec {
  inDim: number;
  outDim: number;
  weight: ParamEntry;
  bias: ParamEntry;
}

export interface HiddenSpec {
  index: number;
  inDim: number;
  width: number;
  activation: ActivationName;
  alpha: number;
  batchNorm: BatchNormPlacement;
  dropout: number;
  residual: boolean;
  linear: LinearSpec;
  /** The residual's learned projection P (width, inDim), when residual and the widths differ. */
  projection: ParamEntry | null;
  bn: { gamma: ParamEntry; beta: ParamEntry; runningMean: BufferEntry; runningVar: BufferEntry } | null;
}

export interface ModelPlan {
  inputSize: number;
  outputSize: number;
  head: Head;
  hidden: HiddenSpec[];
  output: LinearSpec;
  params: ParamEntry[];
  paramCount: number;
  buffers: BufferEntry[];
  bufferCount: number;
  /** Widest activation (input, hidden or output), for sizing scratch space. */
  maxWidth: number;
}

/** Parameter offsets are rounded up to 16 floats (64 bytes) so every tensor starts cache-aligned. */
const PARAM_ALIGN = 16;

export function planModel(model: ModelConfig | ResolvedRunConfig['model']): ModelPlan {
  const params: ParamEntry[] = [];
  const buffers: BufferEntry[] = [];
  let pEnd = 0;
  let bEnd = 0;
  const param = (name: string, kind: ParamKind, shape: number[], layer: number): ParamEntry => {
    const size = shape.reduce((a, b) => a * b, 1);
    const entry = { name, kind, offset: pEnd, size, shape, layer };
    pEnd += Math.ceil(size / PARAM_ALIGN) * PARAM_ALIGN;
    params.push(entry);
    return entry;
  };
  const buffer = (name: string, kind: BufferEntry['kind'], size: number, layer: number): BufferEntry => {
    const entry = { name, kind, offset: bEnd, size, layer };
    bEnd += Math.ceil(size / PARAM_ALIGN) * PARAM_ALIGN;
    buffers.push(entry);
    return entry;
  };
  const linear = (prefix: string, inDim: number, outDim: number, layer: number): LinearSpec => ({
    inDim,
    outDim,
    weight: param(`${prefix}.weight`, 'weight', [outDim, inDim], layer),
    bias: param(`${prefix}.bias`, 'bias', [outDim], layer),
  });

  let inDim = model.inputSize;
  let maxWidth = Math.max(model.inputSize, model.outputSize);
  const hidden: HiddenSpec[] = model.hidden.map((raw, index) => {
    const h = resolveHidden(raw);
    const spec: HiddenSpec = {
      index,
      inDim,
      width: h.width,
      activation: h.activation,
      alpha: h.alpha,
      batchNorm: h.batchNorm,
      dropout: h.dropout,
      residual: h.residual,
      linear: linear(`hidden.${index}.linear`, inDim, h.width, index),
      bn:
        h.batchNorm === 'none'
          ? null
          : {
              gamma: param(`hidden.${index}.bn.gamma`, 'bn_gamma', [h.width], index),
              beta: param(`hidden.${index}.bn.beta`, 'bn_beta', [h.width], index),
              runningMean: buffer(`hidden.${index}.bn.running_mean`, 'running_mean', h.width, index),
              runningVar: buffer(`hidden.${index}.bn.running_var`, 'running_var', h.width, index),
            },
      projection: h.residual && h.width !== inDim ? param(`hidden.${index}.residual.weight`, 'weight', [h.width, inDim], index) : null,
    };
    maxWidth = Math.max(maxWidth, h.width);
    inDim = h.width;
    return spec;
  });
  const output = linear('output', inDim, model.outputSize, hidden.length);
  return {
    inputSize: model.inputSize,
    outputSize: model.outputSize,
    head: model.head,
    hidden,
    output,
    params,
    paramCount: pEnd,
    buffers,
    bufferCount: bEnd,
    maxWidth,
  };
}

/** The view of one named tensor (parameter or buffer entry) inside its arena. */
export function tensorView(arena: Float32Array, p: { offset: number; size: number }): Float32Array {
  return arena.subarray(p.offset, p.offset + p.size);
}

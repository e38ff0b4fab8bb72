/**
 * The op mapping: a model plan and its arenas turned into ONNX nodes and initializers, in the
 * engine's eval-mode order per hidden layer (see src/engine/train/network.ts):
 *
 *   Gemm -> [BatchNormalization if pre] -> activation -> [BatchNormalization if post]
 *        -> (dropout: no node, it is the identity at inference) -> [Add(layer input) if residual,
 *           or Add(Gemm(layer input, P, transB=1)) when the residual has a projection]
 *
 * then the output Gemm and, when probabilities are asked for, Softmax(axis=1) or Sigmoid.
 * Linear layers are `Gemm(alpha=1, beta=1, transB=1)` with the weight (out, in) as stored.
 * Batch norm is the inference form (one output, no training_mode) with the running statistics.
 * Initializer names are the plan's parameter and buffer names; node names say where they sit
 * (`hidden.0.linear`, `hidden.0.bn`, `hidden.0.relu`, `output.linear`, ...), and every node's
 * output value is named after the node except the graph output.
 */
import {
  type ActivationName,
  BN_EPS,
  type BufferEntry,
  type Head,
  type HiddenSpec,
  type LinearSpec,
  type ParamEntry,
  type PredictableModel,
  SELU_ALPHA,
  SELU_SCALE,
} from '../../engine/index.js';
import { OnnxError } from './errors.js';
import { GraphBuilder } from './graph-builder.js';
import { GELU_OPSET } from './opset.js';

export const INPUT_NAME = 'input';

/** What the graph output holds: raw scores, head probabilities, or regression values. */
export type OutputKind = 'logits' | 'probabilities' | 'predictions';

export interface BuiltGraph {
  builder: GraphBuilder;
  outputName: OutputKind;
}

export function outputKindFor(head: Head, probabilities: boolean): OutputKind {
  if (head === 'linear') {
    if (probabilities) throw new OnnxError('probabilities need a softmax or sigmoid head; this model has a linear (regression) head');
    return 'predictions';
  }
  return probabilities ? 'probabilities' : 'logits';
}

export function buildGraph(model: PredictableModel, opset: number, probabilities: boolean): BuiltGraph {
  const { plan, params, bnBuffers } = model;
  if (params.length < plan.paramCount)
    throw new OnnxError(`the parameter arena has ${params.length} values; the plan needs ${plan.paramCount}`);
  if (bnBuffers.length < plan.bufferCount)
    throw new OnnxError(`the batch-norm buffers have ${bnBuffers.length} values; the plan needs ${plan.bufferCount}`);
  const outputName = outputKindFor(plan.head, probabilities);
  const b = new GraphBuilder();
  const param = (p: ParamEntry) => b.tensor(p.name, p.shape, params.subarray(p.offset, p.offset + p.size));
  const buffer = (e: BufferEntry) => b.tensor(e.name, [e.size], bnBuffers.subarray(e.offset, e.offset + e.size));
  const gemm = (name: string, x: string, lin: LinearSpec, output?: string) =>
    b.node('Gemm', name, [x, param(lin.weight), param(lin.bias)], { alpha: { float: 1 }, beta: { float: 1 }, transB: { int: 1 } }, output);
  const batchNorm = (h: HiddenSpec, x: string) => {
    const bn = h.bn!;
    const inputs = [x, param(bn.gamma), param(bn.beta), buffer(bn.runningMean), buffer(bn.runningVar)];
    return b.node('BatchNormalization', `hidden.${h.index}.bn`, inputs, { epsilon: { float: BN_EPS } });
  };

  let cur = INPUT_NAME;
  for (const h of plan.hidden) {
    const prefix = `hidden.${h.index}`;
    const layerInput = cur;
    cur = gemm(`${prefix}.linear`, cur, h.linear);
    if (h.batchNorm === 'pre') cur = batchNorm(h, cur);
    cur = activation(b, prefix, h.activation, h.alpha, cur, opset);
    if (h.batchNorm === 'post') cur = batchNorm(h, cur);
    if (h.projection) {
      // P x without a bias: Gemm with no C input, P (width, inDim) as stored.
      const px = b.node('Gemm', `${prefix}.residual.projection`, [layerInput, param(h.projection)], {
        alpha: { float: 1 },
        transB: { int: 1 },
      });
      cur = b.node('Add', `${prefix}.residual`, [px, cur]);
    } else if (h.residual) cur = b.node('Add', `${prefix}.residual`, [layerInput, cur]);
  }
  if (outputName !== 'probabilities') {
    gemm('output.linear', cur, plan.output, outputName);
  } else {
    const logits = gemm('output.linear', cur, plan.output, 'logits');
    if (plan.head === 'softmax') b.node('Softmax', 'output.softmax', [logits], { axis: { int: 1 } }, outputName);
    else b.node('Sigmoid', 'output.sigmoid', [logits], {}, outputName);
  }
  return { builder: b, outputName };
}

/** Emits activation `act` of hidden layer `prefix` on value x; returns the output value name. */
function activation(b: GraphBuilder, prefix: string, act: ActivationName, alpha: number, x: string, opset: number): string {
  const name = `${prefix}.${act}`;
  switch (act) {
    case 'identity':
      return x;
    case 'sigmoid':
      return b.node('Sigmoid', name, [x]);
    case 'tanh':
      return b.node('Tanh', name, [x]);
    case 'relu':
      return b.node('Relu', name, [x]);
    case 'leaky_relu':
      return b.node('LeakyRelu', name, [x], { alpha: { float: alpha } });
    case 'elu':
      return b.node('Elu', name, [x], { alpha: { float: alpha } });
    case 'selu':
      return b.node('Selu', name, [x], { alpha: { float: SELU_ALPHA }, gamma: { float: SELU_SCALE } });
    case 'softplus':
      // ONNX Softplus is log(exp(x) + 1) without torch's threshold 20; above it the two differ by
      // less than exp(-20) ~ 2e-9, far inside the validation tolerance.
      return b.node('Softplus', name, [x]);
    case 'gelu':
      if (opset >= GELU_OPSET) return b.node('Gelu', name, [x], { approximate: { string: 'none' } });
      return geluErf(b, name, x);
    case 'gelu_tanh':
      if (opset >= GELU_OPSET) return b.node('Gelu', name, [x], { approximate: { string: 'tanh' } });
      return geluTanh(b, name, x);
    case 'silu':
      return b.node('Mul', name, [x, b.node('Sigmoid', `${name}.sigmoid`, [x])]);
    case 'mish': {
      // x tanh(softplus(x)) at every opset (ONNX's Mish op exists only from opset 18); Softplus
      // without torch's threshold differs by < e^-20 above 20, as for softplus.
      const softplus = b.node('Softplus', `${name}.softplus`, [x]);
      return b.node('Mul', name, [x, b.node('Tanh', `${name}.tanh`, [softplus])]);
    }
  }
}

/** 0.5 x (1 + erf(x / sqrt 2)), the exact form, before opset 20. */
function geluErf(b: GraphBuilder, name: string, x: string): string {
  const scaled = b.node('Mul', `${name}.x_over_sqrt2`, [x, b.scalar('const.inv_sqrt2', Math.SQRT1_2)]);
  const erf = b.node('Erf', `${name}.erf`, [scaled]);
  const onePlus = b.node('Add', `${name}.one_plus_erf`, [erf, b.scalar('const.one', 1)]);
  const halfX = b.node('Mul', `${name}.half_x`, [x, b.scalar('const.half', 0.5)]);
  return b.node('Mul', name, [halfX, onePlus]);
}

/** 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), the tanh approximation, before opset 20. */
function geluTanh(b: GraphBuilder, name: string, x: string): string {
  const x2 = b.node('Mul', `${name}.x2`, [x, x]);
  const x3 = b.node('Mul', `${name}.x3`, [x2, x]);
  const cubic = b.node('Mul', `${name}.cubic`, [x3, b.scalar('const.gelu_tanh_coef', 0.044715)]);
  const inner = b.node('Add', `${name}.inner`, [x, cubic]);
  const scaled = b.node('Mul', `${name}.scaled`, [inner, b.scalar('const.sqrt_2_over_pi', Math.sqrt(2 / Math.PI))]);
  const tanh = b.node('Tanh', `${name}.tanh`, [scaled]);
  const onePlus = b.node('Add', `${name}.one_plus_tanh`, [tanh, b.scalar('const.one', 1)]);
  const halfX = b.node('Mul', `${name}.half_x`, [x, b.scalar('const.half', 0.5)]);
  return b.node('Mul', name, [halfX, onePlus]);
}

/**
 * Typed views of one model's tensors inside a run's arenas: each linear layer's weight, bias and
 * their gradients, each batch norm's gamma/beta, gradients, running statistics and batch
 * statistics. Built once per run and thread; kernels then run on them without copies.
 */
import type { BatchNormViews } from '../layers/batchnorm.js';
import type { LinearViews } from '../layers/linear.js';
import type { LayerBuffers } from './run-memory.js';
import { tensorView, type LinearSpec, type ModelPlan, type ParamEntry } from '../model/plan.js';

export interface ModelViews {
  /** Hidden layers then the output layer. */
  linears: LinearViews[];
  /** Per hidden layer, null without batch norm. */
  bns: (BatchNormViews | null)[];
  /**
   * Per hidden layer, the residual projection as a linear layer whose bias is the shared zeros and
   * whose bias gradient is a scratch row (neither is a parameter); null without a projection.
   */
  projections: (LinearViews | null)[];
}

function linearViews(spec: LinearSpec, params: Float32Array, grads: Float32Array): LinearViews {
  const view = (arena: Float32Array, p: ParamEntry): Float32Array => tensorView(arena, p);
  return {
    inDim: spec.inDim,
    outDim: spec.outDim,
    w: view(params, spec.weight),
    b: view(params, spec.bias),
    dW: view(grads, spec.weight),
    db: view(grads, spec.bias),
  };
}

export function bindModelViews(
  plan: ModelPlan,
  params: Float32Array,
  grads: Float32Array,
  bnBuffers: Float32Array,
  layers: LayerBuffers[],
  zeros: Float32Array | null = null,
): ModelViews {
  return {
    projections: plan.hidden.map((h, i) => {
      if (!h.projection) return null;
      return {
        inDim: h.inDim,
        outDim: h.width,
        w: tensorView(params, h.projection),
        b: zeros!.subarray(0, h.width),
        dW: tensorView(grads, h.projection),
        db: layers[i].projDb!,
      };
    }),
    linears: [...plan.hidden.map((h) => linearViews(h.linear, params, grads)), linearViews(plan.output, params, grads)],
    bns: plan.hidden.map((h, i) => {
      const bn = h.bn;
      const stats = layers[i].bn;
      if (!bn || !stats) return null;
      return {
        width: h.width,
        gamma: tensorView(params, bn.gamma),
        beta: tensorView(params, bn.beta),
        dGamma: tensorView(grads, bn.gamma),
        dBeta: tensorView(grads, bn.beta),
        runningMean: tensorView(bnBuffers, bn.runningMean),
        runningVar: tensorView(bnBuffers, bn.runningVar),
        mean: stats.mean,
        variance: stats.variance,
        rstd: stats.rstd,
        evalRstd: stats.evalRstd,
      };
    }),
  };
}

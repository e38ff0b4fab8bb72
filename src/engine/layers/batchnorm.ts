/**
 * BatchNorm1d (PyTorch): y = (x - mean) / sqrt(var + eps) * gamma + beta per feature.
 * Training normalizes with the biased batch variance of the whole mini-batch and updates
 * running = (1 - momentum) * running + momentum * stat with the unbiased variance; eval uses
 * the running statistics. eps 1e-5, momentum 0.1. The per-feature work (statistics, running
 * update, backward reductions) is split into feature blocks; the per-row work into row chunks.
 */
import { BN_EPS, BN_MOMENTUM } from '../config/defaults.js';
import type { Kernels } from '../kernels/types.js';

export interface BatchNormViews {
  width: number;
  gamma: Float32Array;
  beta: Float32Array;
  dGamma: Float32Array;
  dBeta: Float32Array;
  runningMean: Float32Array;
  runningVar: Float32Array;
  /** Batch statistics of the current step (training) and 1/sqrt(var+eps). */
  mean: Float32Array;
  variance: Float32Array;
  rstd: Float32Array;
  evalRstd: Float32Array;
}

/** Training: batch statistics for features [f0, f1) of x(rows, width), then the running update. */
export function batchNormStats(k: Kernels, v: BatchNormViews, x: Float32Array, rows: number, f0: number, f1: number): void {
  k.bnStats(x, v.mean, v.variance, rows, v.width, f0, f1);
  const unbias = rows / (rows - 1);
  for (let f = f0; f < f1; f++) {
    v.rstd[f] = 1 / Math.sqrt(v.variance[f] + BN_EPS);
    v.runningMean[f] = (1 - BN_MOMENTUM) * v.runningMean[f] + BN_MOMENTUM * v.mean[f];
    v.runningVar[f] = (1 - BN_MOMENTUM) * v.runningVar[f] + BN_MOMENTUM * v.variance[f] * unbias;
  }
}

/** Eval: refresh 1/sqrt(running_var + eps) before a pass that uses the running statistics. */
export function batchNormPrepareEval(v: BatchNormViews): void {
  for (let f = 0; f < v.width; f++) v.evalRstd[f] = 1 / Math.sqrt(v.runningVar[f] + BN_EPS);
}

export function batchNormApply(
  k: Kernels,
  v: BatchNormViews,
  training: boolean,
  x: Float32Array,
  xhat: Float32Array,
  y: Float32Array,
  rows: number,
): void {
  if (training) k.bnApply(x, v.mean, v.rstd, v.gamma, v.beta, xhat, y, rows, v.width);
  else k.bnApply(x, v.runningMean, v.evalRstd, v.gamma, v.beta, xhat, y, rows, v.width);
}

/** dGamma, dBeta for features [f0, f1) over the whole batch of `rows` rows. */
export function batchNormBackwardReduce(
  k: Kernels,
  v: BatchNormViews,
  dY: Float32Array,
  xhat: Float32Array,
  rows: number,
  f0: number,
  f1: number,
): void {
  k.bnBackwardReduce(dY, xhat, v.dGamma, v.dBeta, rows, v.width, f0, f1);
}

/** In place: g = dLoss/dx for `rows` rows of a batch of `batch` rows (after the reduction). */
export function batchNormBackwardInput(
  k: Kernels,
  v: BatchNormViews,
  g: Float32Array,
  xhat: Float32Array,
  rows: number,
  batch: number,
): void {
  k.bnBackwardInput(g, xhat, v.gamma, v.rstd, v.dGamma, v.dBeta, g, rows, v.width, batch);
}

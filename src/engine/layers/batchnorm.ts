/**
 * BatchNorm1d (PyTorch) in training mode, per feature f over a mini-batch of B rows:
 *
 *   forward   mean  = 1/B sum_r x[r]                       bnStats (per feature block)
 *             var   = 1/B sum_r (x[r] - mean)^2            biased, two passes
 *             rstd  = 1 / sqrt(var + eps)                  batchNormFinishStats
 *             xhat  = (x - mean) * rstd                    bnApply (per row chunk)
 *             y     = gamma * xhat + beta
 *   backward  dGamma = sum_r dy[r] * xhat[r]               bnBackwardReduce (per feature block)
 *             dBeta  = sum_r dy[r]
 *             dx     = gamma * rstd / B * (B * dy - dBeta - xhat * dGamma)
 *                                                          bnBackwardInput (per row chunk)
 *
 * Why dx has that form: with dxhat = gamma * dy, dx = rstd * (dxhat - mean_r(dxhat) - xhat *
 * mean_r(dxhat * xhat)), the two means being the paths through the batch mean and variance; and
 * sum_r dxhat = gamma * dBeta, sum_r dxhat * xhat = gamma * dGamma. The running estimates are
 * running = (1 - momentum) * running + momentum * stat with the unbiased variance (var * B/(B-1));
 * eval mode normalizes with them. eps 1e-5, momentum 0.1.
 *
 * The four bn* loops are the reference (the `naive` kernel set; kernels/types.ts has the contract
 * the fast sets implement). Sums over rows run in ascending order, so splitting rows or features
 * into calls never changes a bit. The feature-block functions must see the whole batch; the row
 * functions take views starting at the chunk's first row.
 */
import { BN_EPS, BN_MOMENTUM } from '../config/defaults.js';

/** Views of one batch norm's tensors: parameters, gradients, running and batch statistics. */
export interface BatchNormViews {
  width: number;
  gamma: Float32Array;
  beta: Float32Array;
  dGamma: Float32Array;
  dBeta: Float32Array;
  runningMean: Float32Array;
  runningVar: Float32Array;
  /** Batch statistics of the current step (training) and 1/sqrt(var + eps). */
  mean: Float32Array;
  variance: Float32Array;
  rstd: Float32Array;
  /** 1/sqrt(running_var + eps), refreshed by batchNormPrepareEval before each evaluation pass. */
  evalRstd: Float32Array;
}

/** For features [f0, f1) of x(rows, width): mean and biased variance, over every row. */
export function bnStats(
  x: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
  rows: number,
  width: number,
  f0: number,
  f1: number,
): void {
  for (let f = f0; f < f1; f++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += x[r * width + f];
    const m = s / rows;
    let q = 0;
    for (let r = 0; r < rows; r++) {
      const d = x[r * width + f] - m;
      q += d * d;
    }
    mean[f] = m;
    variance[f] = q / rows;
  }
}

/** After bnStats on features [f0, f1) of a batch of `rows` rows: rstd, then the running update. */
export function batchNormFinishStats(v: BatchNormViews, rows: number, f0: number, f1: number): void {
  const unbias = rows / (rows - 1);
  for (let f = f0; f < f1; f++) {
    v.rstd[f] = 1 / Math.sqrt(v.variance[f] + BN_EPS);
    v.runningMean[f] = (1 - BN_MOMENTUM) * v.runningMean[f] + BN_MOMENTUM * v.mean[f];
    v.runningVar[f] = (1 - BN_MOMENTUM) * v.runningVar[f] + BN_MOMENTUM * v.variance[f] * unbias;
  }
}

/** Eval mode: 1/sqrt(running_var + eps), for bnApply with (runningMean, evalRstd). */
export function batchNormPrepareEval(v: BatchNormViews): void {
  for (let f = 0; f < v.width; f++) v.evalRstd[f] = 1 / Math.sqrt(v.runningVar[f] + BN_EPS);
}

/** xhat = (x - mean) * rstd (rounded to float32, as stored) and y = xhat * gamma + beta. */
export function bnApply(
  x: Float32Array,
  mean: Float32Array,
  rstd: Float32Array,
  gamma: Float32Array,
  beta: Float32Array,
  xhat: Float32Array,
  y: Float32Array,
  rows: number,
  width: number,
): void {
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < width; f++) {
      const i = r * width + f;
      const h = Math.fround((x[i] - mean[f]) * rstd[f]);
      xhat[i] = h;
      y[i] = h * gamma[f] + beta[f];
    }
  }
}

/** For features [f0, f1): dGamma and dBeta over every row (overwritten). */
export function bnBackwardReduce(
  dY: Float32Array,
  xhat: Float32Array,
  dGamma: Float32Array,
  dBeta: Float32Array,
  rows: number,
  width: number,
  f0: number,
  f1: number,
): void {
  for (let f = f0; f < f1; f++) {
    let sg = 0;
    let sb = 0;
    for (let r = 0; r < rows; r++) {
      const g = dY[r * width + f];
      sb += g;
      sg += g * xhat[r * width + f];
    }
    dGamma[f] = sg;
    dBeta[f] = sb;
  }
}

/** dx for `rows` rows of a batch of `batch` rows, after bnBackwardReduce. dX may alias dY. */
export function bnBackwardInput(
  dY: Float32Array,
  xhat: Float32Array,
  gamma: Float32Array,
  rstd: Float32Array,
  dGamma: Float32Array,
  dBeta: Float32Array,
  dX: Float32Array,
  rows: number,
  width: number,
  batch: number,
): void {
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < width; f++) {
      const i = r * width + f;
      dX[i] = ((gamma[f] * rstd[f]) / batch) * (batch * dY[i] - dBeta[f] - xhat[i] * dGamma[f]);
    }
  }
}

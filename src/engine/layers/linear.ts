/**
 * Linear layer y = x W^T + b (weight stored (out, in) as in PyTorch; ONNX Gemm transB=1).
 * Forward and the two backward products side by side; the loops live in the kernels. Row-range
 * functions take views starting at the first row; the weight-gradient function owns a block of
 * output features and sums over the whole batch.
 */
import type { Kernels } from '../kernels/types.js';

export interface LinearViews {
  inDim: number;
  outDim: number;
  w: Float32Array; // (out, in)
  b: Float32Array; // (out)
  dW: Float32Array; // (out, in)
  db: Float32Array; // (out)
}

/** y(rows, out) = x(rows, in) W^T + b. */
export function linearForward(k: Kernels, l: LinearViews, x: Float32Array, y: Float32Array, rows: number): void {
  k.linearForward(x, l.w, l.b, y, rows, l.inDim, l.outDim);
}

/** dX(rows, in) = dY(rows, out) W, added to dX when accumulate (residual skip already in dX). */
export function linearBackwardInput(
  k: Kernels,
  l: LinearViews,
  dY: Float32Array,
  dX: Float32Array,
  rows: number,
  accumulate: boolean,
): void {
  k.linearBackwardInput(dY, l.w, dX, rows, l.inDim, l.outDim, accumulate);
}

/** dW[o0:o1] = dY^T x and db[o0:o1] = sum_b dY over the whole batch of `rows` rows. */
export function linearBackwardWeight(
  k: Kernels,
  l: LinearViews,
  dY: Float32Array,
  x: Float32Array,
  rows: number,
  o0: number,
  o1: number,
): void {
  k.linearBackwardWeight(dY, x, l.dW, l.db, rows, l.inDim, l.outDim, o0, o1);
}

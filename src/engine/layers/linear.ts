/**
 * Linear layer (torch.nn.Linear; ONNX Gemm with transB=1), weight stored (out, in):
 *
 *   forward          y[r, o]  = sum_i x[r, i] W[o, i] + b[o]          y(rows, out), x(rows, in)
 *   backward, input  dx[r, i] = sum_o dy[r, o] W[o, i]                (added into dx with accumulate)
 *   backward, weight dW[o, i] = sum_r dy[r, o] x[r, i]
 *                    db[o]    = sum_r dy[r, o]
 *
 * These loops are the reference (the `naive` kernel set; kernels/types.ts has the contract the
 * fast sets implement): float64 accumulation, every output element summed in ascending index
 * order, so any split of rows or output features into calls gives the same bits. The row-range
 * functions take views that start at the chunk's first row; linearBackwardWeight owns the output
 * features [o0, o1) and sums over the whole batch. The scratch row grows once and is reused (no
 * allocation per step); module state is per thread.
 */

/** Views of one linear layer's tensors in the run's arenas. */
export interface LinearViews {
  inDim: number;
  outDim: number;
  w: Float32Array; // (out, in)
  b: Float32Array; // (out)
  dW: Float32Array; // (out, in)
  db: Float32Array; // (out)
}

let scratch = new Float64Array(1024);
function scratchRow(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, scratch.length * 2));
  return scratch;
}

export function linearForward(
  x: Float32Array,
  w: Float32Array,
  b: Float32Array,
  y: Float32Array,
  rows: number,
  inDim: number,
  outDim: number,
): void {
  linearForwardFeatures(x, w, b, y, rows, inDim, outDim, 0, outDim);
}

/** Output features [o0, o1) only, for every row: y, w and b are the whole tensors. */
export function linearForwardFeatures(
  x: Float32Array,
  w: Float32Array,
  b: Float32Array,
  y: Float32Array,
  rows: number,
  inDim: number,
  outDim: number,
  o0: number,
  o1: number,
): void {
  for (let r = 0; r < rows; r++) {
    const xr = r * inDim;
    for (let o = o0; o < o1; o++) {
      const wo = o * inDim;
      let acc = 0;
      for (let k = 0; k < inDim; k++) acc += x[xr + k] * w[wo + k];
      y[r * outDim + o] = acc + b[o];
    }
  }
}

export function linearBackwardInput(
  dY: Float32Array,
  w: Float32Array,
  dX: Float32Array,
  rows: number,
  inDim: number,
  outDim: number,
  accumulate: boolean,
): void {
  const acc = scratchRow(inDim);
  for (let r = 0; r < rows; r++) {
    acc.fill(0, 0, inDim);
    for (let o = 0; o < outDim; o++) {
      const g = dY[r * outDim + o];
      const wo = o * inDim;
      for (let i = 0; i < inDim; i++) acc[i] += g * w[wo + i];
    }
    const xr = r * inDim;
    if (accumulate) for (let i = 0; i < inDim; i++) dX[xr + i] += acc[i];
    else for (let i = 0; i < inDim; i++) dX[xr + i] = acc[i];
  }
}

/** dW and db are the whole gradient tensors; only rows o0..o1 are written (overwritten). */
export function linearBackwardWeight(
  dY: Float32Array,
  x: Float32Array,
  dW: Float32Array,
  db: Float32Array,
  rows: number,
  inDim: number,
  outDim: number,
  o0: number,
  o1: number,
): void {
  const acc = scratchRow(inDim);
  for (let o = o0; o < o1; o++) {
    acc.fill(0, 0, inDim);
    let bias = 0;
    for (let r = 0; r < rows; r++) {
      const g = dY[r * outDim + o];
      bias += g;
      const xr = r * inDim;
      for (let i = 0; i < inDim; i++) acc[i] += g * x[xr + i];
    }
    const wo = o * inDim;
    for (let i = 0; i < inDim; i++) dW[wo + i] = acc[i];
    db[o] = bias;
  }
}

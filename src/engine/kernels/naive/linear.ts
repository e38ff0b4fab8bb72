/**
 * Naive reference kernels for the three products of a linear layer. Plain loops, float64
 * accumulation, each output element summed in ascending index order (so any split of rows or
 * features into calls gives the same bits). Scratch rows grow once and are reused: no allocation
 * per step. One instance per thread (module state is thread-local).
 */

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
  for (let r = 0; r < rows; r++) {
    const xr = r * inDim;
    for (let o = 0; o < outDim; o++) {
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

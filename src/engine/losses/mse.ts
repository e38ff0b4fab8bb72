/**
 * Mean squared error (PyTorch MSELoss, reduction 'mean' over all batch x outputs elements),
 * forward and backward side by side:
 *   loss = mean((z - y)^2),   dz = 2 (z - y) / (batch * outputs)
 * rowLoss[b] = sum_o (z - y)^2 / outputs. Regression has no accuracy: rowCorrect is left at 0.
 */

export function meanSquaredError(
  outputs: Float32Array, // (rows, width)
  targets: Float32Array, // (rows, width)
  dOutputs: Float32Array | null,
  rowLoss: Float64Array,
  rowCorrect: Float64Array,
  rows: number,
  width: number,
  batch: number,
): void {
  const scale = 2 / (batch * width);
  for (let r = 0; r < rows; r++) {
    let loss = 0;
    for (let o = 0; o < width; o++) {
      const i = r * width + o;
      const diff = outputs[i] - targets[i];
      loss += diff * diff;
      if (dOutputs) dOutputs[i] = diff * scale;
    }
    rowLoss[r] = loss / width;
    rowCorrect[r] = 0;
  }
}

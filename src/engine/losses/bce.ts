/**
 * Binary cross-entropy with logits (PyTorch BCEWithLogitsLoss, reduction 'mean' over all
 * batch x outputs elements), numerically stable form, forward and backward side by side:
 *   l(z, y) = max(z, 0) - z*y + log(1 + exp(-|z|))
 *   dz      = (sigmoid(z) - y) / (batch * outputs)
 * rowLoss[b] = sum_o l / outputs (so the batch mean is the sum of rows / batch).
 * rowCorrect[b] = 1 when every output's decision (z > 0) matches its target (y > 0.5).
 * Targets are 0/1 class labels (outputs = 1) or float vectors in [0, 1].
 */
import { sigmoid } from '../math/activations.js';

export function bceWithLogits(
  logits: Float32Array, // (rows, outputs)
  targets: Float32Array | Int32Array, // (rows, outputs) floats, or (rows) labels when outputs = 1
  dLogits: Float32Array | null,
  rowLoss: Float64Array,
  rowCorrect: Float64Array,
  rows: number,
  outputs: number,
  batch: number,
): void {
  const scale = 1 / (batch * outputs);
  for (let r = 0; r < rows; r++) {
    let loss = 0;
    let allRight = 1;
    for (let o = 0; o < outputs; o++) {
      const i = r * outputs + o;
      const z = logits[i];
      const y = targets[i];
      loss += Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
      if (z > 0 !== y > 0.5) allRight = 0;
      if (dLogits) dLogits[i] = (sigmoid(z) - y) * scale;
    }
    rowLoss[r] = loss / outputs;
    rowCorrect[r] = allRight;
  }
}

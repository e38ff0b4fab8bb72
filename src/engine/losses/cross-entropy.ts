/**
 * Softmax cross-entropy on logits (PyTorch CrossEntropyLoss, reduction 'mean'), forward and fused
 * backward side by side, for a range of rows of a mini-batch of `batch` samples:
 *   loss_b = logsumexp(z_b) - z_b[label_b]      (max-shifted)
 *   dz_b   = (softmax(z_b) - onehot(label_b)) / batch
 * Per-row losses go to rowLoss (float64) so the batch mean is summed in a fixed order by the caller.
 * rowCorrect[b] = 1 when argmax(z_b) == label_b (first maximum wins).
 */

export function softmaxCrossEntropy(
  logits: Float32Array, // (rows, classes)
  labels: Int32Array, // (rows)
  dLogits: Float32Array | null, // (rows, classes), null in eval
  rowLoss: Float64Array, // (rows)
  rowCorrect: Float64Array, // (rows)
  rows: number,
  classes: number,
  batch: number,
): void {
  for (let r = 0; r < rows; r++) {
    const z = r * classes;
    let max = -Infinity;
    let arg = 0;
    for (let c = 0; c < classes; c++) {
      const v = logits[z + c];
      if (v > max) {
        max = v;
        arg = c;
      }
    }
    if (Number.isNaN(max) || max === -Infinity) max = logits[z]; // NaN propagates below
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[z + c] - max);
    const label = labels[r];
    rowLoss[r] = Math.log(sum) + max - logits[z + label];
    rowCorrect[r] = arg === label ? 1 : 0;
    if (dLogits) {
      for (let c = 0; c < classes; c++) {
        const p = Math.exp(logits[z + c] - max) / sum;
        dLogits[z + c] = (p - (c === label ? 1 : 0)) / batch;
      }
    }
  }
}

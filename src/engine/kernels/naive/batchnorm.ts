/**
 * Naive reference kernels for training-mode batch norm: per-feature statistics over the batch
 * (two-pass, biased variance), normalization, and the backward pass split into the per-feature
 * reduction and the per-row input gradient. Sums run over rows in ascending order.
 */

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

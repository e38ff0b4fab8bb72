/**
 * The orthogonal initializer (torch.nn.init.orthogonal_, Saxe et al. 2014): a (rows, cols) weight
 * whose rows (rows <= cols) or columns (rows > cols) are orthonormal, times a gain. As torch does:
 * draw A (rows, cols) from N(0, 1) in row-major order, work on A^T when rows < cols so the matrix
 * is tall, take its QR decomposition with the signs fixed so diag(R) > 0 (torch multiplies Q by
 * sign(diag R)), and transpose back. That Q is unique, so the same A gives torch's matrix to
 * rounding; here it is computed in float64 by Gram-Schmidt with a second orthogonalization pass
 * ("twice is enough", Giraud et al. 2005), whose R diagonal is positive by construction.
 *
 * The normals come from the caller's seeded stream (rng/), never the global unseeded generator. Cost is
 * O(rows * cols * min(rows, cols)) in float64 scratch of rows * cols doubles. Pure given the
 * stream; any thread.
 */
import type { RandomStream } from '../rng/stream.js';

/**
 * Orthogonalizes `a` (rows, cols), row-major normals as drawn, into `out` (rows * cols floats),
 * scaled by `gain`. A column (or row) that is numerically dependent on the earlier ones (norm
 * below 1e-300, which N(0, 1) draws never produce) is left at zero rather than dividing by it.
 */
export function orthogonalFromNormals(a: ArrayLike<number>, rows: number, cols: number, gain: number, out: Float32Array): void {
  // Tall matrix M (m, n), m >= n: M = A when rows >= cols, else A^T. Stored by columns.
  const tall = rows >= cols;
  const m = tall ? rows : cols;
  const n = tall ? cols : rows;
  const q = new Float64Array(m * n);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = a[r * cols + c];
      if (tall) q[c * m + r] = v;
      else q[r * m + c] = v;
    }
  }
  for (let j = 0; j < n; j++) {
    const qj = j * m;
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < j; i++) {
        const qi = i * m;
        let dot = 0;
        for (let k = 0; k < m; k++) dot += q[qi + k] * q[qj + k];
        for (let k = 0; k < m; k++) q[qj + k] -= dot * q[qi + k];
      }
    }
    let norm = 0;
    for (let k = 0; k < m; k++) norm += q[qj + k] * q[qj + k];
    norm = Math.sqrt(norm);
    const inv = norm > 1e-300 ? 1 / norm : 0;
    for (let k = 0; k < m; k++) q[qj + k] *= inv;
  }
  // Back to (rows, cols): column j of Q is column j of the weight (tall) or its row j (wide).
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[r * cols + c] = gain * (tall ? q[c * m + r] : q[r * m + c]);
  }
}

/** Fills `out` (rows, cols) with a seeded orthogonal matrix times `gain`. */
export function fillOrthogonal(out: Float32Array, rows: number, cols: number, gain: number, rng: RandomStream): void {
  const a = new Float64Array(rows * cols);
  for (let i = 0; i < a.length; i++) a[i] = rng.normal();
  orthogonalFromNormals(a, rows, cols, gain, out);
}

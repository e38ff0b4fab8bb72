/**
 * The L1/L2 penalty terms (`train.penalties`), loss terms on the linear layers' weights only:
 *
 *   value     l1 * sum |W| + l2 * sum W^2
 *   gradient  dW += l1 * sign(W) + 2 * l2 * W        (sign(0) = 0; kernel `addPenaltyGrad`)
 *
 * so `l2` equals SGD weight decay `2 * l2`. `addPenaltyGrad` is the reference (the `naive` kernel
 * set; kernels/types.ts has the contract). Pure functions; any thread.
 */

/** The two coefficients (the resolved `train.penalties`). */
export interface Penalties {
  l1: number;
  l2: number;
}

/** g[i] += 2 * l2 * p[i] + l1 * sign(p[i]), for i < n. */
export function addPenaltyGrad(p: Float32Array, g: Float32Array, n: number, penalties: Penalties): void {
  const { l1, l2 } = penalties;
  const twoL2 = 2 * l2;
  for (let i = 0; i < n; i++) {
    const w = p[i];
    g[i] += twoL2 * w + l1 * (w > 0 ? 1 : w < 0 ? -1 : 0);
  }
}

/** The value of the penalty terms over these weight tensors (float64 sums, in order). */
export function penaltyValue(weights: readonly Float32Array[], l1: number, l2: number): number {
  if (l1 === 0 && l2 === 0) return 0;
  let abs = 0;
  let sq = 0;
  for (const w of weights) {
    for (let i = 0; i < w.length; i++) {
      abs += Math.abs(w[i]);
      sq += w[i] * w[i];
    }
  }
  return l1 * abs + l2 * sq;
}

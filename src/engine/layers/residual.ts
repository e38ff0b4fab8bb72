/**
 * Residual connection around a hidden layer: out = x + branch(x) when the layer's width equals its
 * input's, else out = P x + branch(x) with a learned projection P (width, inDim), no bias; the
 * branch is the layer's linear, norm, activation and dropout.
 *
 *   forward   out = x + branch                              (kernel `add`)
 *             out = P x + branch                            (linearForward with a zero bias, then `add`)
 *   backward  dx  = dOut (the skip) + dBranch/dx            residualBackwardSkip seeds dx with dOut;
 *             dx  = dOut P + dBranch/dx                     or linearBackwardInput with P does;
 *                                                           the branch's linearBackwardInput adds on top
 *             dP  = dOut^T x                                (linearBackwardWeight, per feature block)
 *
 * `add` here is the reference (the `naive` kernel set; kernels/types.ts has the contract).
 */
import { copyPrefix } from '../memory/copy.js';

/** out[i] = a[i] + b[i]; out may alias a. */
export function add(a: Float32Array, b: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
}

/** Seeds dx with the skip's gradient (dOut) before the branch's gradient is added into it. */
export function residualBackwardSkip(dOut: Float32Array, dx: Float32Array, n: number): void {
  copyPrefix(dOut, dx, n);
}

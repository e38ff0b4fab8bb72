/**
 * Residual connection out = x + f(x) (widths must match; validated in the config). Backward:
 * the skip passes dOut to dx unchanged; the caller adds the branch's contribution on top
 * (linearBackwardInput with accumulate).
 */
import type { Kernels } from '../kernels/types.js';

export function residualForward(k: Kernels, x: Float32Array, branch: Float32Array, out: Float32Array, n: number): void {
  k.add(x, branch, out, n);
}

/** Seeds dx with the skip gradient before the branch gradient is accumulated into it. */
export function residualBackwardSkip(dOut: Float32Array, dx: Float32Array, n: number): void {
  copyPrefix(dOut, dx, n);
}

/** Copies the first n values of src to dst (a plain loop: no view is created per call). */
export function copyPrefix(src: Float32Array, dst: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) dst[i] = src[i];
}

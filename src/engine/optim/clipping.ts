/**
 * The global gradient norm and gradient clipping (torch.nn.utils.clip_grad_norm_ and
 * clip_grad_value_):
 *
 *   norm      total = sqrt(sum over every gradient element g^2)   (kernel `sumSquares` per block)
 *   by norm   coef = maxNorm / (total + 1e-6); gradients scaled by coef only when coef < 1
 *   by value  each element clamped to [-c, c]
 *
 * The optimizer kernels apply both (clippedGradient) as they read the gradient; the gradient arena
 * itself is never modified, and the norm is reported before clipping. `sumSquares` is the
 * reference (the `naive` kernel set; kernels/types.ts has the contract). Pure; any thread.
 */
import type { ClipConfig } from '../config/types.js';

/** out[0] = sum of x[i]^2 for i < n, accumulated in float64 in index order. NaN and Infinity propagate. */
export function sumSquares(x: Float32Array, n: number, out: Float64Array): void {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i] * x[i];
  out[0] = s;
}

/** Slots of the array clipCoefficient reads and writes. */
export const ClipNorms = { total: 0, maxNorm: 1, coef: 2 } as const;

/** The norm above which gradients are scaled down: maxNorm when clipping by norm, else Infinity. */
export function maxGradNorm(clip: ClipConfig): number {
  return clip.kind === 'norm' ? clip.maxNorm : Infinity;
}

/**
 * Norm clipping's coefficient, from the total norm and maxGradNorm in `norms` (slots ClipNorms)
 * into its coef slot: maxNorm / (total + 1e-6) when that is below 1, else 1 (so 1 without norm
 * clipping, and for a NaN total). In and out through a Float64Array, as a kernel's
 * result, and without the config: the step calls this every step, and a double passed, returned
 * or read from an object of several shapes is a new heap number where V8 does not inline.
 */
export function clipCoefficient(norms: Float64Array): void {
  const coef = norms[ClipNorms.maxNorm] / (norms[ClipNorms.total] + 1e-6);
  norms[ClipNorms.coef] = coef < 1 ? coef : 1;
}

/** The clamp bound of value clipping (Infinity: no clamping). */
export function clipValueOf(clip: ClipConfig): number {
  return clip.kind === 'value' ? clip.value : Infinity;
}

/** A raw gradient element as the optimizer sees it: scaled by the norm coefficient, clamped to [-c, c]. */
export function clippedGradient(g: number, scale: number, c: number): number {
  const s = g * scale;
  return s > c ? c : s < -c ? -c : s;
}

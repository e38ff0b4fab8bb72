/**
 * Adam and AdamW as in PyTorch (torch.optim.Adam, AdamW), per parameter element at step t
 * (1-based), with g the clipped gradient:
 *
 *   Adam   g = g + weightDecay * p                   (coupled L2)
 *   AdamW  p = p * (1 - lr * weightDecay)            (decoupled decay)
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g^2
 *   p = p - stepSize * m / (sqrt(v) / bc2Sqrt + eps)
 *       stepSize = lr / (1 - beta1^t),  bc2Sqrt = sqrt(1 - beta2^t)      (setAdamStep)
 *
 * `adamStep` is the reference (the `naive` kernel set; kernels/types.ts has the contract). The
 * caller computes the per-step scalars once (setAdamStep), so every kernel set uses identical
 * values. Any thread, on its own parameter block.
 */
import { clippedGradient } from './clipping.js';

/** What the kernel reads: the per-step scalars are set by setAdamStep, once per step and block. */
export interface AdamArgs {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** true: AdamW (p *= decay before the update); false: Adam with coupled L2 (g += wd*p). */
  decoupled: boolean;
  /** The step's learning rate, from which setAdamStep derives stepSize and decay (not read by the kernels). */
  lr: number;
  /** lr / (1 - beta1^step). */
  stepSize: number;
  /** sqrt(1 - beta2^step). */
  bc2Sqrt: number;
  /** 1 - lr * weightDecay, the AdamW decay factor. */
  decay: number;
  /** Multiplies the raw gradient (global-norm clipping coefficient, 1 when not clipping). */
  gradScale: number;
  /** Clamp the scaled gradient to [-clipValue, clipValue]; Infinity disables. */
  clipValue: number;
}

/**
 * Sets the per-step scalars of `a` for its learning rate `a.lr` at the 1-based `step` (after
 * weightDecay), so every kernel set computes with the same values. Returns `a`. The rate comes in
 * `a`, not as an argument: a double passed to a function V8 does not inline is a new heap number.
 */
export function setAdamStep(a: AdamArgs, step: number): AdamArgs {
  a.stepSize = a.lr / (1 - Math.pow(a.beta1, step));
  a.bc2Sqrt = Math.sqrt(1 - Math.pow(a.beta2, step));
  a.decay = 1 - a.lr * a.weightDecay;
  return a;
}

/** One step on n parameters with first moments m and second moments v. */
export function adamStep(p: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, n: number, a: AdamArgs): void {
  const { stepSize, bc2Sqrt, decay } = a;
  for (let i = 0; i < n; i++) {
    let g = clippedGradient(grad[i], a.gradScale, a.clipValue);
    if (a.decoupled) p[i] *= decay;
    else if (a.weightDecay !== 0) g += a.weightDecay * p[i];
    m[i] = a.beta1 * m[i] + (1 - a.beta1) * g;
    v[i] = a.beta2 * v[i] + (1 - a.beta2) * g * g;
    p[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) / bc2Sqrt + a.eps);
  }
}

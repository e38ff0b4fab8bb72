/**
 * Adam and AdamW as in PyTorch (torch.optim.Adam, AdamW), per parameter element at step t
 * (1-based), with g the clipped gradient:
 *
 *   Adam   g = g + weightDecay * p                   (coupled L2)
 *   AdamW  p = p * (1 - lr * weightDecay)            (decoupled decay)
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g^2
 *   p = p - stepSize * m / (sqrt(v) / bc2Sqrt + eps)
 *       stepSize = lr / (1 - beta1^t),  bc2Sqrt = sqrt(1 - beta2^t)      (adamScalars)
 *
 * `adamStep` is the reference (the `naive` kernel set; kernels/types.ts has the contract); every
 * kernel set takes the per-step scalars from adamScalars, so all use identical values. Any thread,
 * on its own parameter block.
 */
import { clippedGradient } from './clipping.js';

export interface AdamArgs {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** true: AdamW (p *= 1 - lr*wd before the update); false: Adam with coupled L2 (g += wd*p). */
  decoupled: boolean;
  /** 1-based step count for bias correction. */
  step: number;
  gradScale: number;
  clipValue: number;
}

/** Per-step scalars of the update, computed once per call by every kernel set. */
export interface AdamScalars {
  /** lr / (1 - beta1^step). */
  stepSize: number;
  /** sqrt(1 - beta2^step). */
  bc2Sqrt: number;
  /** 1 - lr * weightDecay, the AdamW decay factor. */
  decay: number;
}

/** Fills `out` with the scalars for `a` (an out-parameter, so a training step allocates nothing). */
export function adamScalars(a: AdamArgs, out: AdamScalars): AdamScalars {
  out.stepSize = a.lr / (1 - Math.pow(a.beta1, a.step));
  out.bc2Sqrt = Math.sqrt(1 - Math.pow(a.beta2, a.step));
  out.decay = 1 - a.lr * a.weightDecay;
  return out;
}

const scalars: AdamScalars = { stepSize: 0, bc2Sqrt: 0, decay: 0 };

/** One step on n parameters with first moments m and second moments v. */
export function adamStep(p: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, n: number, a: AdamArgs): void {
  const { stepSize, bc2Sqrt, decay } = adamScalars(a, scalars);
  for (let i = 0; i < n; i++) {
    let g = clippedGradient(grad[i], a.gradScale, a.clipValue);
    if (a.decoupled) p[i] *= decay;
    else if (a.weightDecay !== 0) g += a.weightDecay * p[i];
    m[i] = a.beta1 * m[i] + (1 - a.beta1) * g;
    v[i] = a.beta2 * v[i] + (1 - a.beta2) * g * g;
    p[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) / bc2Sqrt + a.eps);
  }
}

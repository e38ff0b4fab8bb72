/**
 * Adagrad as in PyTorch 1.13 (torch.optim.Adagrad), per parameter element at step t (1-based),
 * with g the clipped gradient:
 *
 *   g   = g + weightDecay * p                        (coupled weight decay)
 *   clr = lr / (1 + (t - 1) * lrDecay)               (setAdagradStep, once per step)
 *   sum = sum + g^2                                  (starts at initialAccumulatorValue)
 *   p   = p - clr * (g / (sqrt(sum) + eps))          (torch addcdiv order)
 *
 * Arithmetic in float64 with float32 stores of sum and p, which the compiled sets repeat bit for
 * bit. `adagradStep` is the reference (the `naive` kernel set; kernels/contract.ts has the
 * signature). Any thread, on its own parameter block.
 */
import { clippedGradient } from './clipping.js';

export interface AdagradArgs {
  /** The base learning rate and its decay, from which setAdagradStep derives clr (not read by the kernels). */
  lr: number;
  lrDecay: number;
  /** lr / (1 + (step - 1) * lrDecay), set by setAdagradStep. */
  clr: number;
  eps: number;
  weightDecay: number;
  /** Multiplies the raw gradient (global-norm clipping coefficient, 1 when not clipping). */
  gradScale: number;
  /** Clamp the scaled gradient to [-clipValue, clipValue]; Infinity disables. */
  clipValue: number;
}

/**
 * Sets the step's learning rate `a.clr` from `a.lr` and `a.lrDecay` at the 1-based `step`. Returns
 * `a`. The rates come in `a`: a double passed to a function V8 does not inline is a new heap number.
 */
export function setAdagradStep(a: AdagradArgs, step: number): AdagradArgs {
  a.clr = a.lr / (1 + (step - 1) * a.lrDecay);
  return a;
}

/** One step on n parameters with the running sum of squared gradients `sum`. */
export function adagradStep(p: Float32Array, grad: Float32Array, sum: Float32Array, n: number, a: AdagradArgs): void {
  for (let i = 0; i < n; i++) {
    let g = clippedGradient(grad[i], a.gradScale, a.clipValue);
    if (a.weightDecay !== 0) g += a.weightDecay * p[i];
    sum[i] = sum[i] + g * g;
    p[i] -= a.clr * (g / (Math.sqrt(sum[i]) + a.eps));
  }
}

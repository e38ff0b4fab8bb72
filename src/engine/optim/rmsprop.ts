/**
 * RMSprop as in PyTorch 1.13 (torch.optim.RMSprop), per parameter element, with g the clipped
 * gradient:
 *
 *   g   = g + weightDecay * p                        (coupled weight decay)
 *   sq  = alpha * sq + (1 - alpha) * g^2
 *   ga  = alpha * ga + (1 - alpha) * g               (centered only)
 *   avg = sqrt(sq - ga^2) + eps   (centered)   or   sqrt(sq) + eps
 *   buf = momentum * buf + g / avg;  p = p - lr * buf        (momentum > 0)
 *   p   = p - lr * (g / avg)                                  (otherwise, torch addcdiv order)
 *
 * Arithmetic in float64 with float32 stores of sq, ga, buf and p, the order written here, which
 * the compiled sets repeat bit for bit. torch evaluates avg in float32; the difference is within
 * float32 rounding (test/engine-pytorch-reference.test.ts). `rmspropStep` is the reference (the
 * `naive` kernel set; kernels/contract.ts has the signature). Any thread, on its own block.
 */
import { clippedGradient } from './clipping.js';

export interface RmspropArgs {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  /** Divide by the centered second moment (sq - ga^2) instead of sq. */
  centered: boolean;
  /** Multiplies the raw gradient (global-norm clipping coefficient, 1 when not clipping). */
  gradScale: number;
  /** Clamp the scaled gradient to [-clipValue, clipValue]; Infinity disables. */
  clipValue: number;
}

/** One step on n parameters; ga is used only when centered, buf only with momentum. */
export function rmspropStep(
  p: Float32Array,
  grad: Float32Array,
  sq: Float32Array,
  ga: Float32Array,
  buf: Float32Array,
  n: number,
  a: RmspropArgs,
): void {
  for (let i = 0; i < n; i++) {
    let g = clippedGradient(grad[i], a.gradScale, a.clipValue);
    if (a.weightDecay !== 0) g += a.weightDecay * p[i];
    sq[i] = a.alpha * sq[i] + (1 - a.alpha) * g * g;
    let avg: number;
    if (a.centered) {
      ga[i] = a.alpha * ga[i] + (1 - a.alpha) * g;
      avg = Math.sqrt(sq[i] - ga[i] * ga[i]) + a.eps;
    } else {
      avg = Math.sqrt(sq[i]) + a.eps;
    }
    if (a.momentum > 0) {
      buf[i] = a.momentum * buf[i] + g / avg;
      p[i] -= a.lr * buf[i];
    } else {
      p[i] -= a.lr * (g / avg);
    }
  }
}

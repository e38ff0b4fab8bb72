/**
 * SGD as in PyTorch 1.13 (torch.optim.SGD), per parameter element, with g the clipped gradient:
 *
 *   g   = g + weightDecay * p                        (coupled weight decay)
 *   buf = g                                          on the first step
 *   buf = momentum * buf + (1 - dampening) * g       afterwards
 *   g   = nesterov ? g + momentum * buf : buf        (only with momentum)
 *   p   = p - lr * g
 *
 * `sgdStep` is the reference (the `naive` kernel set; kernels/types.ts has the contract). Any thread,
 * on its own parameter block.
 */
import { clippedGradient } from './clipping.js';

export interface SgdArgs {
  lr: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
  /** The first step for this momentum buffer: buf = g instead of the running update. */
  first: boolean;
  /** Multiplies the raw gradient (global-norm clipping coefficient, 1 when not clipping). */
  gradScale: number;
  /** Clamp the scaled gradient to [-clipValue, clipValue]; Infinity disables. */
  clipValue: number;
}

/** One step on n parameters; buf (the momentum buffer) is only read and written with momentum. */
export function sgdStep(p: Float32Array, grad: Float32Array, buf: Float32Array, n: number, a: SgdArgs): void {
  for (let i = 0; i < n; i++) {
    let g = clippedGradient(grad[i], a.gradScale, a.clipValue);
    if (a.weightDecay !== 0) g += a.weightDecay * p[i];
    if (a.momentum !== 0) {
      const b = a.first ? g : a.momentum * buf[i] + (1 - a.dampening) * g;
      buf[i] = b;
      g = a.nesterov ? g + a.momentum * buf[i] : buf[i];
    }
    p[i] -= a.lr * g;
  }
}

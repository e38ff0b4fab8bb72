/**
 * Naive reference optimizer updates over a parameter range, with the PyTorch formulas:
 * SGD as in torch 1.13 (coupled weight decay, momentum with dampening, Nesterov) and Adam/AdamW
 * (bias-corrected moments; coupled L2 for Adam, decoupled decay for AdamW). The raw gradient is
 * first scaled by the global-norm clip coefficient and clamped by value; the gradient arena itself
 * is never modified.
 */
import { adamScalars, type AdamArgs, type AdamScalars, type SgdArgs } from '../types.js';

function clipped(g: number, scale: number, c: number): number {
  const s = g * scale;
  return s > c ? c : s < -c ? -c : s;
}

export function sgdStep(p: Float32Array, grad: Float32Array, buf: Float32Array, n: number, a: SgdArgs): void {
  for (let i = 0; i < n; i++) {
    let g = clipped(grad[i], a.gradScale, a.clipValue);
    if (a.weightDecay !== 0) g += a.weightDecay * p[i];
    if (a.momentum !== 0) {
      const b = a.first ? g : a.momentum * buf[i] + (1 - a.dampening) * g;
      buf[i] = b;
      g = a.nesterov ? g + a.momentum * buf[i] : buf[i];
    }
    p[i] -= a.lr * g;
  }
}

const scalars: AdamScalars = { stepSize: 0, bc2Sqrt: 0, decay: 0 };

export function adamStep(p: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, n: number, a: AdamArgs): void {
  const { stepSize, bc2Sqrt, decay } = adamScalars(a, scalars);
  for (let i = 0; i < n; i++) {
    let g = clipped(grad[i], a.gradScale, a.clipValue);
    if (a.decoupled) p[i] *= decay;
    else if (a.weightDecay !== 0) g += a.weightDecay * p[i];
    m[i] = a.beta1 * m[i] + (1 - a.beta1) * g;
    v[i] = a.beta2 * v[i] + (1 - a.beta2) * g * g;
    p[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) / bc2Sqrt + a.eps);
  }
}

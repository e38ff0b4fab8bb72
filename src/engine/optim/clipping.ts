/**
 * Gradient clipping by global norm (torch.nn.utils.clip_grad_norm_): the total is the 2-norm of
 * all gradients concatenated; coef = maxNorm / (total + 1e-6) and gradients are scaled by coef
 * only when coef < 1. Clipping by value clamps each element to [-c, c] (inside the optimizer
 * kernels). The total is reported before clipping.
 */
import type { ClipConfig } from '../config/types.js';

export function clipCoefficient(clip: ClipConfig, totalNorm: number): number {
  if (clip.kind !== 'norm') return 1;
  const coef = clip.maxNorm / (totalNorm + 1e-6);
  return coef < 1 ? coef : 1;
}

export function clipValueOf(clip: ClipConfig): number {
  return clip.kind === 'value' ? clip.value : Infinity;
}

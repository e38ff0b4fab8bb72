/**
 * Activation layer: out = f(inp) elementwise, backward dInp = dOut * f'(inp). The scalar
 * definitions are in activations.ts; the loops in the kernels.
 */
import type { ActivationName } from '../config/types.js';
import { activationCode, type Kernels } from '../kernels/types.js';

export interface ActivationSpec {
  code: number;
  alpha: number;
}

export function activationSpec(name: ActivationName, alpha: number): ActivationSpec {
  return { code: activationCode(name), alpha };
}

export function activationForward(k: Kernels, a: ActivationSpec, inp: Float32Array, out: Float32Array, n: number): void {
  k.activationForward(a.code, a.alpha, inp, out, n);
}

/** In place on the gradient: g = g * f'(inp) (out = f(inp) is available to the kernel). */
export function activationBackward(k: Kernels, a: ActivationSpec, inp: Float32Array, out: Float32Array, g: Float32Array, n: number): void {
  k.activationBackward(a.code, a.alpha, inp, out, g, g, n);
}

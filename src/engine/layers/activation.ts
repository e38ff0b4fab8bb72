/**
 * Activation layer, elementwise with f from math/activations.ts (forward/derivative pairs, PyTorch
 * conventions):
 *
 *   forward   out[i] = f(inp[i])
 *   backward  dInp[i] = dOut[i] * f'(inp[i])      (f' may use out[i] = f(inp[i]); dInp may alias dOut)
 *
 * `fn.code` is activationCode(name), the index shared with the compiled kernels; `fn.alpha` is the
 * slope of leaky_relu and the scale of elu (ignored by the others). These loops are the reference
 * (the `naive` kernel set; kernels/types.ts has the contract the fast sets implement).
 */
import { ACTIVATIONS } from '../config/types.js';
import { ACTIVATION_FUNCTIONS } from '../math/activations.js';

const BY_CODE = ACTIVATIONS.map((name) => ACTIVATION_FUNCTIONS[name]);

/**
 * An activation function as the kernels take it: a struct, not two numbers, because an alpha read
 * out of an object and passed as a number may be a new heap number per call (issue 17).
 */
export interface ActivationFn {
  code: number;
  alpha: number;
}

export function activationForward(fn: ActivationFn, inp: Float32Array, out: Float32Array, n: number): void {
  const { alpha } = fn;
  const f = BY_CODE[fn.code].forward;
  for (let i = 0; i < n; i++) out[i] = f(inp[i], alpha);
}

export function activationBackward(
  fn: ActivationFn,
  inp: Float32Array,
  out: Float32Array,
  dOut: Float32Array,
  dInp: Float32Array,
  n: number,
): void {
  const { alpha } = fn;
  const d = BY_CODE[fn.code].derivative;
  for (let i = 0; i < n; i++) dInp[i] = dOut[i] * d(inp[i], out[i], alpha);
}

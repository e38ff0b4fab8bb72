/**
 * Activation layer, elementwise with f from math/activations.ts (forward/derivative pairs, PyTorch
 * conventions):
 *
 *   forward   out[i] = f(inp[i])
 *   backward  dInp[i] = dOut[i] * f'(inp[i])      (f' may use out[i] = f(inp[i]); dInp may alias dOut)
 *
 * `code` is activationCode(name), the index shared with the WebAssembly kernels; `alpha` is the
 * slope of leaky_relu and the scale of elu (ignored by the others). These loops are the reference
 * (the `naive` kernel set; kernels/types.ts has the contract the fast sets implement).
 */
import { ACTIVATIONS } from '../config/types.js';
import { ACTIVATION_FUNCTIONS } from '../math/activations.js';

const BY_CODE = ACTIVATIONS.map((name) => ACTIVATION_FUNCTIONS[name]);

export function activationForward(code: number, alpha: number, inp: Float32Array, out: Float32Array, n: number): void {
  const f = BY_CODE[code].forward;
  for (let i = 0; i < n; i++) out[i] = f(inp[i], alpha);
}

export function activationBackward(
  code: number,
  alpha: number,
  inp: Float32Array,
  out: Float32Array,
  dOut: Float32Array,
  dInp: Float32Array,
  n: number,
): void {
  const d = BY_CODE[code].derivative;
  for (let i = 0; i < n; i++) dInp[i] = dOut[i] * d(inp[i], out[i], alpha);
}

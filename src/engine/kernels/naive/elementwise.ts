/**
 * Naive reference kernels for elementwise work: activations (through the scalar definitions in
 * math/activations.ts), products, penalty gradients and squared norms.
 */
import { ACTIVATIONS } from '../../config/types.js';
import { ACTIVATION_FUNCTIONS } from '../../math/activations.js';

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

export function mul(a: Float32Array, b: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
}

export function add(a: Float32Array, b: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
}

export function addPenaltyGrad(p: Float32Array, g: Float32Array, n: number, l1: number, l2: number): void {
  const twoL2 = 2 * l2;
  for (let i = 0; i < n; i++) {
    const w = p[i];
    g[i] += twoL2 * w + l1 * (w > 0 ? 1 : w < 0 ? -1 : 0);
  }
}

export function sumSquares(x: Float32Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i] * x[i];
  return s;
}

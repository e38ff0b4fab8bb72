/**
 * Activation functions as scalar forward/derivative pairs: the single source of truth the
 * reference loops (layers/activation.ts) apply and the tests check against finite differences.
 * Conventions (PyTorch): derivative 0 at 0 for relu and leaky_relu's kink uses the negative slope
 * at 0 (torch uses x > 0 ? 1 : alpha); gelu is the exact erf form, gelu_tanh the tanh
 * approximation; softplus has beta 1 and threshold 20 (x > 20 gives x); silu (swish, beta 1) is
 * x sigmoid(x); mish is x tanh(softplus(x)) with that softplus (torch's mish has no threshold, but
 * above 20 tanh of either rounds to 1 in float64). Their derivatives are torch's backward
 * formulas, so at +-Infinity they give NaN exactly where torch does. Pure; any thread.
 */
import { ACTIVATIONS, type ActivationName } from '../config/types.js';
import { erf } from './erf.js';

export const SELU_ALPHA = 1.6732632423543772848170429916717;
export const SELU_SCALE = 1.0507009873554804934193349852946;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** The code of an activation shared by TypeScript and WebAssembly: its index in ACTIVATIONS. */
export function activationCode(name: ActivationName): number {
  return ACTIVATIONS.indexOf(name);
}

export interface ScalarActivation {
  forward(x: number, alpha: number): number;
  /** f'(x); y = f(x) is passed for the functions whose derivative is cheaper from it. */
  derivative(x: number, y: number, alpha: number): number;
}

export function sigmoid(x: number): number {
  // Two branches keep exp from overflowing.
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export const ACTIVATION_FUNCTIONS: Record<ActivationName, ScalarActivation> = {
  identity: { forward: (x) => x, derivative: () => 1 },
  sigmoid: { forward: sigmoid, derivative: (_x, y) => y * (1 - y) },
  tanh: { forward: Math.tanh, derivative: (_x, y) => 1 - y * y },
  relu: { forward: (x) => (x > 0 ? x : 0), derivative: (x) => (x > 0 ? 1 : 0) },
  leaky_relu: { forward: (x, a) => (x > 0 ? x : a * x), derivative: (x, _y, a) => (x > 0 ? 1 : a) },
  elu: { forward: (x, a) => (x > 0 ? x : a * Math.expm1(x)), derivative: (x, _y, a) => (x > 0 ? 1 : a * Math.exp(x)) },
  gelu: {
    forward: (x) => 0.5 * x * (1 + erf(x * INV_SQRT_2)),
    derivative: (x) => 0.5 * (1 + erf(x * INV_SQRT_2)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x),
  },
  gelu_tanh: {
    forward: (x) => 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))),
    derivative: (x) => {
      const u = SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
      const t = Math.tanh(u);
      return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x);
    },
  },
  selu: {
    forward: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
    derivative: (x) => (x > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * Math.exp(x)),
  },
  softplus: {
    forward: (x) => (x > 20 ? x : Math.log1p(Math.exp(x))),
    derivative: (x) => (x > 20 ? 1 : sigmoid(x)),
  },
  silu: {
    forward: (x) => x * sigmoid(x),
    // s (1 + x (1 - s)), torch's silu_backward.
    derivative: (x) => {
      const s = sigmoid(x);
      return s * (1 + x * (1 - s));
    },
  },
  mish: {
    forward: (x) => x * Math.tanh(x > 20 ? x : Math.log1p(Math.exp(x))),
    // t + x sigmoid(x) (1 - t^2) with t = tanh(softplus(x)), torch's mish_backward.
    derivative: (x) => {
      const t = Math.tanh(x > 20 ? x : Math.log1p(Math.exp(x)));
      return t + x * sigmoid(x) * (1 - t * t);
    },
  },
};

/**
 * The kernel contract: every hot loop of training, in interchangeable sets. `naive` is plain
 * TypeScript, the reference, its loops kept with the math they implement (layers/, losses/,
 * optim/; gathered in naive.ts); `wasm` is SIMD WebAssembly (wasm/). Tensors are row-major
 * Float32Array views; a fast set may require every view to lie inside the WebAssembly.Memory it
 * was created for (the wasm set reads `byteOffset`), and never allocates.
 *
 * Determinism contract (the worker pool's bitwise guarantee rests on it):
 *  - Same inputs, same kernel set -> same bits.
 *  - Partition invariance: the value computed for one output element does not depend on how the
 *    caller splits rows (linearForward, linearBackwardInput, bnApply, bnBackwardInput, elementwise)
 *    or output features (linearBackwardWeight, bnStats, bnBackwardReduce) into calls. Every sum
 *    over the batch or the inner dimension runs in an order fixed by the element alone.
 * Row-range calls receive subarray views that start at the first row of the range.
 */
import type { AdamArgs } from '../optim/adam.js';
import type { SgdArgs } from '../optim/sgd.js';

export type { AdamArgs, AdamScalars } from '../optim/adam.js';
export type { SgdArgs } from '../optim/sgd.js';

import type { KernelSetName } from './sets.js';

export type { KernelSetName } from './sets.js';

/**
 * Builds a kernel set on a run memory for the calling thread, as the first (or only) thread of
 * the run's team: it uses the first kernel scratch region (memory/wasm-memory.ts).
 */
export type KernelFactory = (memory: WebAssembly.Memory) => Kernels;

export interface Kernels {
  readonly name: KernelSetName;

  // Formulas and reference loops: layers/linear.ts.
  /** y(rows, out) = x(rows, in) * w(out, in)^T + b(out). */
  linearForward(x: Float32Array, w: Float32Array, b: Float32Array, y: Float32Array, rows: number, inDim: number, outDim: number): void;

  /** dX(rows, in) = dY(rows, out) * w(out, in); adds into dX when accumulate is true. */
  linearBackwardInput(
    dY: Float32Array,
    w: Float32Array,
    dX: Float32Array,
    rows: number,
    inDim: number,
    outDim: number,
    accumulate: boolean,
  ): void;

  /**
   * For output features o in [o0, o1): dW[o, :] = sum_b dY[b, o] * x[b, :] and
   * db[o] = sum_b dY[b, o], over all `rows` rows of dY(rows, out) and x(rows, in). dW and db are the
   * whole gradient tensors (out, in) and (out); only rows o0..o1 are written (overwritten).
   */
  linearBackwardWeight(
    dY: Float32Array,
    x: Float32Array,
    dW: Float32Array,
    db: Float32Array,
    rows: number,
    inDim: number,
    outDim: number,
    o0: number,
    o1: number,
  ): void;

  // layers/activation.ts
  /** out[i] = f(inp[i]) for i < n. `code` from activationCode; alpha for leaky_relu/elu. */
  activationForward(code: number, alpha: number, inp: Float32Array, out: Float32Array, n: number): void;

  /** dInp[i] = dOut[i] * f'(inp[i]) (out[i] = f(inp[i]) may be used). dInp may alias dOut. */
  activationBackward(
    code: number,
    alpha: number,
    inp: Float32Array,
    out: Float32Array,
    dOut: Float32Array,
    dInp: Float32Array,
    n: number,
  ): void;

  // layers/batchnorm.ts
  /** For features f in [f0, f1) of x(rows, width): mean[f] and biased variance[f] (two-pass). */
  bnStats(x: Float32Array, mean: Float32Array, variance: Float32Array, rows: number, width: number, f0: number, f1: number): void;

  /** xhat = (x - mean) * rstd; y = xhat * gamma + beta, for rows x(rows, width). */
  bnApply(
    x: Float32Array,
    mean: Float32Array,
    rstd: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    xhat: Float32Array,
    y: Float32Array,
    rows: number,
    width: number,
  ): void;

  /** For features f in [f0, f1): dGamma[f] = sum_b dY*xhat, dBeta[f] = sum_b dY (overwritten). */
  bnBackwardReduce(
    dY: Float32Array,
    xhat: Float32Array,
    dGamma: Float32Array,
    dBeta: Float32Array,
    rows: number,
    width: number,
    f0: number,
    f1: number,
  ): void;

  /**
   * dX = gamma * rstd / batch * (batch * dY - dBeta - xhat * dGamma) for rows (rows, width) of a
   * mini-batch of `batch` samples (training-mode batch-norm backward). dX may alias dY.
   */
  bnBackwardInput(
    dY: Float32Array,
    xhat: Float32Array,
    gamma: Float32Array,
    rstd: Float32Array,
    dGamma: Float32Array,
    dBeta: Float32Array,
    dX: Float32Array,
    rows: number,
    width: number,
    batch: number,
  ): void;

  // layers/dropout.ts, layers/residual.ts
  /** out[i] = a[i] * b[i]. out may alias a. */
  mul(a: Float32Array, b: Float32Array, out: Float32Array, n: number): void;

  /** out[i] = a[i] + b[i]. out may alias a. */
  add(a: Float32Array, b: Float32Array, out: Float32Array, n: number): void;

  // losses/penalties.ts
  /** Loss-term gradients: g[i] += 2 * l2 * p[i] + l1 * sign(p[i]) (sign(0) = 0). */
  addPenaltyGrad(p: Float32Array, g: Float32Array, n: number, l1: number, l2: number): void;

  // optim/clipping.ts, optim/sgd.ts, optim/adam.ts
  /** sum of x[i]^2 accumulated in float64 in an order fixed by n alone. NaN/Infinity propagate. */
  sumSquares(x: Float32Array, n: number): number;

  /** One SGD step (PyTorch 1.13 formulas) on n parameters. */
  sgdStep(p: Float32Array, g: Float32Array, buf: Float32Array, n: number, args: SgdArgs): void;

  /** One Adam/AdamW step (PyTorch formulas) on n parameters. */
  adamStep(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, n: number, args: AdamArgs): void;
}

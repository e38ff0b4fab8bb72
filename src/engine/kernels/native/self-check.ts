/**
 * A small end-to-end agreement check of the native kernels against the wasm kernels, for the
 * app's --self-test and `npm run pack:check` (a packaged addon that loads but computes nonsense
 * must not pass): one linear layer's three products on a 37 x 61 -> 29 problem, ReLU forward and
 * backward, and an SGD step, on one shared run memory. Products must agree within 1e-5 relative
 * to the sum of |terms| (different summation orders), the rest bit for bit. Main thread or any.
 */
import { createRunMemory, KERNEL_SCRATCH_BYTES, RESERVED_LOW_BYTES } from '../../memory/wasm-memory.js';
import { naiveKernels } from '../naive.js';
import type { Kernels } from '../types.js';
import { createWasmKernels } from '../wasm/index.js';
import { createNativeKernels } from './kernels.js';

export interface NativeCheck {
  ok: boolean;
  /** Largest |native - wasm| / (sum |terms| + 1e-30) over the three products. */
  worstProductError: number;
  /** Elementwise outputs (ReLU, SGD) that differ in any bit. */
  elementwiseMismatches: number;
}

const [ROWS, IN, OUT] = [37, 61, 29];

export function checkNativeAgainstWasm(): NativeCheck {
  const memory = createRunMemory(RESERVED_LOW_BYTES + 2 * KERNEL_SCRATCH_BYTES + (1 << 20), true);
  const sets = [
    createNativeKernels(memory, RESERVED_LOW_BYTES, KERNEL_SCRATCH_BYTES),
    createWasmKernels(memory, RESERVED_LOW_BYTES + KERNEL_SCRATCH_BYTES, KERNEL_SCRATCH_BYTES),
  ];
  let top = RESERVED_LOW_BYTES + 2 * KERNEL_SCRATCH_BYTES;
  let seed = 12345;
  const view = (n: number, fill: boolean): Float32Array => {
    const v = new Float32Array(memory.buffer, top, n);
    top += Math.ceil((n * 4) / 64) * 64;
    // A fixed linear congruential sequence in [-1, 1): the check needs no seeded stream.
    if (fill) for (let i = 0; i < n; i++) v[i] = (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 31 - 1;
    return v;
  };
  const [x, w, b, dY, g] = [view(ROWS * IN, true), view(OUT * IN, true), view(OUT, true), view(ROWS * OUT, true), view(ROWS * IN, true)];
  const outputs = sets.map((k) => run(k, { x, w, b, dY, g }, view));
  // |terms| sums through the naive kernels on absolute values.
  const abs = (a: Float32Array) => a.map(Math.abs);
  const mag = {
    y: new Float32Array(ROWS * OUT),
    dX: new Float32Array(ROWS * IN),
    dW: new Float32Array(OUT * IN),
    db: new Float32Array(OUT),
  };
  naiveKernels.linearForward(abs(x), abs(w), abs(b), mag.y, ROWS, IN, OUT);
  naiveKernels.linearBackwardInput(abs(dY), abs(w), mag.dX, ROWS, IN, OUT, false);
  naiveKernels.linearBackwardWeight(abs(dY), abs(x), mag.dW, mag.db, ROWS, IN, OUT, 0, OUT);
  let worst = 0;
  for (const key of ['y', 'dX', 'dW', 'db'] as const) {
    const [a, c] = [outputs[0][key], outputs[1][key]];
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - c[i]) / (mag[key][i] + 1e-30));
  }
  let mismatches = 0;
  for (const key of ['relu', 'reluGrad', 'params'] as const) {
    const [a, c] = [outputs[0][key], outputs[1][key]];
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], c[i])) mismatches++;
  }
  return { ok: worst <= 1e-5 && mismatches === 0, worstProductError: worst, elementwiseMismatches: mismatches };
}

type Inputs = Record<'x' | 'w' | 'b' | 'dY' | 'g', Float32Array>;

/** The products of one layer, then ReLU and an SGD step on the shared inputs (not on this set's products). */
function run(k: Kernels, { x, w, b, dY, g }: Inputs, view: (n: number, fill: boolean) => Float32Array) {
  const y = view(ROWS * OUT, false);
  const dX = view(ROWS * IN, false);
  const dW = view(OUT * IN, false);
  const db = view(OUT, false);
  const relu = view(ROWS * IN, false);
  const reluGrad = view(ROWS * IN, false);
  const params = view(ROWS * IN, false);
  k.linearForward(x, w, b, y, ROWS, IN, OUT);
  k.linearBackwardInput(dY, w, dX, ROWS, IN, OUT, false);
  k.linearBackwardWeight(dY, x, dW, db, ROWS, IN, OUT, 0, OUT);
  k.activationForward({ code: 3, alpha: 0 }, x, relu, ROWS * IN);
  k.activationBackward({ code: 3, alpha: 0 }, x, relu, g, reluGrad, ROWS * IN);
  params.set(x);
  const sgd = { lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 1e-3, first: true, gradScale: 1, clipValue: Infinity };
  k.sgdStep(params, g, params, ROWS * IN, sgd);
  return { y, dX, dW, db, relu, reluGrad, params };
}

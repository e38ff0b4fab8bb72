/**
 * The `wasm` kernel set: SIMD WebAssembly built from ./assembly (AssemblyScript) by
 * scripts/build-wasm.mjs into ./generated/kernels-wasm.ts (base64, gitignored; run
 * `npm run build:wasm` first).
 *
 * compileKernelModule() decodes and compiles the module once per thread (cached; a compiled
 * WebAssembly.Module may also be posted to workers). createWasmKernels() instantiates it on one run
 * memory with this thread's private scratch region; call it once per thread and run memory. Every
 * Float32Array argument must be a view of that memory's buffer: the kernels receive byteOffsets, and
 * each call checks the buffer and the view's length (cheap comparisons) so a wrong view throws
 * instead of corrupting other tensors. Scalars pass through. The instance never allocates.
 *
 * Not here: choosing between naive and wasm (the engine does, with wasmSimdSupported()), and the
 * memory layout (memory/wasm-memory.ts).
 */
import { setFlagsFromString } from 'node:v8';
import { RESERVED_LOW_BYTES } from '../../memory/wasm-memory.js';
import { adamScalars, type AdamArgs, type AdamScalars } from '../../optim/adam.js';
import type { SgdArgs } from '../../optim/sgd.js';
import type { Kernels } from '../types.js';
import { KERNELS_WASM_BASE64 } from './generated/kernels-wasm.js';

/** The module's exports; pointers are byte offsets into the run memory, booleans are 0/1. */
interface KernelExports {
  set_scratch(ptr: number, bytes: number): void;
  linear_forward(x: number, w: number, b: number, y: number, rows: number, inDim: number, outDim: number): void;
  linear_backward_input(dY: number, w: number, dX: number, rows: number, inDim: number, outDim: number, accumulate: number): void;
  linear_backward_weight(
    dY: number,
    x: number,
    dW: number,
    db: number,
    rows: number,
    inDim: number,
    outDim: number,
    o0: number,
    o1: number,
  ): void;
  activation_forward(code: number, alpha: number, inp: number, out: number, n: number): void;
  activation_backward(code: number, alpha: number, inp: number, out: number, dOut: number, dInp: number, n: number): void;
  bn_stats(x: number, mean: number, variance: number, rows: number, width: number, f0: number, f1: number): void;
  bn_apply(x: number, mean: number, rstd: number, gamma: number, beta: number, xhat: number, y: number, rows: number, width: number): void;
  bn_backward_reduce(dY: number, xhat: number, dGamma: number, dBeta: number, rows: number, width: number, f0: number, f1: number): void;
  bn_backward_input(
    dY: number,
    xhat: number,
    gamma: number,
    rstd: number,
    dGamma: number,
    dBeta: number,
    dX: number,
    rows: number,
    width: number,
    batch: number,
  ): void;
  mul(a: number, b: number, out: number, n: number): void;
  add(a: number, b: number, out: number, n: number): void;
  add_penalty_grad(p: number, g: number, n: number, l1: number, l2: number): void;
  sum_squares(x: number, n: number): number;
  sgd_step(
    p: number,
    g: number,
    buf: number,
    n: number,
    lr: number,
    momentum: number,
    dampening: number,
    nesterov: number,
    weightDecay: number,
    first: number,
    gradScale: number,
    clipValue: number,
  ): void;
  adam_step(
    p: number,
    g: number,
    m: number,
    v: number,
    n: number,
    beta1: number,
    beta2: number,
    eps: number,
    weightDecay: number,
    decoupled: number,
    stepSize: number,
    bc2Sqrt: number,
    decay: number,
    gradScale: number,
    clipValue: number,
  ): void;
}

/** Smallest scratch region the GEMM edge panels accept (they fall back to scalar code beyond it). */
export const MIN_KERNEL_SCRATCH_BYTES = 4096;

let compiled: WebAssembly.Module | undefined;

function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/**
 * The compiled kernel module, decoded and compiled on first use in this thread. V8's dynamic
 * tiering first runs wasm in its baseline compiler (Liftoff) and tiers a function up only after
 * enough calls; our kernels are few long calls, so they could stay in Liftoff at about 2/3 of
 * their speed (measured: 26-31 instead of 40 GFLOP/s). So the optimizing compiler is used from the
 * start. V8 flags are per process: this also affects any other wasm compiled afterwards.
 */
export function compileKernelModule(): WebAssembly.Module {
  if (!compiled) {
    setFlagsFromString('--no-liftoff');
    compiled = new WebAssembly.Module(decodeBase64(KERNELS_WASM_BASE64));
  }
  return compiled;
}

// A module with a shared memory (threads) and one v128.const (SIMD): validates only where both exist.
// Sections: header, type () -> v128, function, memory (shared, 1..1 pages), code (v128.const 0).
const SIMD_THREADS_PROBE = Uint8Array.from(
  ('0061736d01000000' + '0105016000017b' + '03020100' + '050401030101' + '0a16011400fd0c' + '00'.repeat(16) + '0b').match(/../g) ?? [],
  (h) => parseInt(h, 16),
);

/** Whether this runtime has WebAssembly SIMD and shared memories (else use the naive kernels). */
export function wasmSimdSupported(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_THREADS_PROBE);
  } catch {
    return false;
  }
}

/**
 * Kernels running in `memory`, using [scratchByteOffset, scratchByteOffset + scratchBytes) as this
 * thread's private scratch (no other thread may use it while these kernels run).
 */
export function createWasmKernels(memory: WebAssembly.Memory, scratchByteOffset: number, scratchBytes: number): Kernels {
  const buffer = memory.buffer;
  // The module imports a shared memory; a non-shared one would fail to link with a vaguer error.
  if (!(buffer instanceof SharedArrayBuffer))
    throw new TypeError('wasm kernels: the run memory must be shared (createRunMemory(bytes, true))');
  if (scratchByteOffset % 64 !== 0 || scratchByteOffset < RESERVED_LOW_BYTES || scratchBytes < MIN_KERNEL_SCRATCH_BYTES) {
    throw new RangeError(
      `wasm kernels: bad scratch region ${scratchByteOffset} + ${scratchBytes} (64-byte aligned, above ${RESERVED_LOW_BYTES}, at least ${MIN_KERNEL_SCRATCH_BYTES} bytes)`,
    );
  }
  if (scratchByteOffset + scratchBytes > buffer.byteLength) throw new RangeError('wasm kernels: scratch region outside the memory');
  const instance = new WebAssembly.Instance(compileKernelModule(), { env: { memory } });
  const k = instance.exports as unknown as KernelExports;
  const scalars: AdamScalars = { stepSize: 0, bc2Sqrt: 0, decay: 0 };
  k.set_scratch(scratchByteOffset, scratchBytes);

  /** The byteOffset of a view of `buffer` holding at least n elements. */
  const at = (a: Float32Array, n: number): number => {
    if (a.buffer !== buffer || a.length < n) throw new RangeError(viewError(a, n, buffer));
    return a.byteOffset;
  };

  return {
    name: 'wasm',
    linearForward(x, w, b, y, rows, inDim, outDim) {
      k.linear_forward(at(x, rows * inDim), at(w, outDim * inDim), at(b, outDim), at(y, rows * outDim), rows, inDim, outDim);
    },
    linearBackwardInput(dY, w, dX, rows, inDim, outDim, accumulate) {
      k.linear_backward_input(at(dY, rows * outDim), at(w, outDim * inDim), at(dX, rows * inDim), rows, inDim, outDim, accumulate ? 1 : 0);
    },
    linearBackwardWeight(dY, x, dW, db, rows, inDim, outDim, o0, o1) {
      if (!(0 <= o0 && o0 <= o1 && o1 <= outDim))
        throw new RangeError(`linearBackwardWeight: bad feature range [${o0}, ${o1}) of ${outDim}`);
      k.linear_backward_weight(
        at(dY, rows * outDim),
        at(x, rows * inDim),
        at(dW, outDim * inDim),
        at(db, outDim),
        rows,
        inDim,
        outDim,
        o0,
        o1,
      );
    },
    activationForward(code, alpha, inp, out, n) {
      k.activation_forward(code, alpha, at(inp, n), at(out, n), n);
    },
    activationBackward(code, alpha, inp, out, dOut, dInp, n) {
      k.activation_backward(code, alpha, at(inp, n), at(out, n), at(dOut, n), at(dInp, n), n);
    },
    bnStats(x, mean, variance, rows, width, f0, f1) {
      if (!(0 <= f0 && f0 <= f1 && f1 <= width)) throw new RangeError(`bnStats: bad feature range [${f0}, ${f1}) of ${width}`);
      k.bn_stats(at(x, rows * width), at(mean, width), at(variance, width), rows, width, f0, f1);
    },
    bnApply(x, mean, rstd, gamma, beta, xhat, y, rows, width) {
      const n = rows * width;
      k.bn_apply(at(x, n), at(mean, width), at(rstd, width), at(gamma, width), at(beta, width), at(xhat, n), at(y, n), rows, width);
    },
    bnBackwardReduce(dY, xhat, dGamma, dBeta, rows, width, f0, f1) {
      if (!(0 <= f0 && f0 <= f1 && f1 <= width)) throw new RangeError(`bnBackwardReduce: bad feature range [${f0}, ${f1}) of ${width}`);
      const n = rows * width;
      k.bn_backward_reduce(at(dY, n), at(xhat, n), at(dGamma, width), at(dBeta, width), rows, width, f0, f1);
    },
    bnBackwardInput(dY, xhat, gamma, rstd, dGamma, dBeta, dX, rows, width, batch) {
      const n = rows * width;
      k.bn_backward_input(
        at(dY, n),
        at(xhat, n),
        at(gamma, width),
        at(rstd, width),
        at(dGamma, width),
        at(dBeta, width),
        at(dX, n),
        rows,
        width,
        batch,
      );
    },
    mul(a, b, out, n) {
      k.mul(at(a, n), at(b, n), at(out, n), n);
    },
    add(a, b, out, n) {
      k.add(at(a, n), at(b, n), at(out, n), n);
    },
    addPenaltyGrad(p, g, n, l1, l2) {
      k.add_penalty_grad(at(p, n), at(g, n), n, l1, l2);
    },
    sumSquares(x, n) {
      return k.sum_squares(at(x, n), n);
    },
    sgdStep(p, g, buf, n, a: SgdArgs) {
      // buf is only touched with momentum; the reference passes it regardless.
      const bp = a.momentum !== 0 ? at(buf, n) : at(p, n);
      k.sgd_step(
        at(p, n),
        at(g, n),
        bp,
        n,
        a.lr,
        a.momentum,
        a.dampening,
        a.nesterov ? 1 : 0,
        a.weightDecay,
        a.first ? 1 : 0,
        a.gradScale,
        a.clipValue,
      );
    },
    adamStep(p, g, m, v, n, a: AdamArgs) {
      // The reference's scalar expressions (shared with the naive set), so both use identical values.
      const { stepSize, bc2Sqrt, decay } = adamScalars(a, scalars);
      k.adam_step(
        at(p, n),
        at(g, n),
        at(m, n),
        at(v, n),
        n,
        a.beta1,
        a.beta2,
        a.eps,
        a.weightDecay,
        a.decoupled ? 1 : 0,
        stepSize,
        bc2Sqrt,
        decay,
        a.gradScale,
        a.clipValue,
      );
    },
  };
}

function viewError(a: Float32Array, n: number, buffer: ArrayBufferLike): string {
  if (a.buffer !== buffer) return 'wasm kernels: a tensor is not a view of the run memory these kernels were created for';
  return `wasm kernels: a tensor view has ${a.length} elements, the call needs ${n}`;
}

/**
 * Helpers for test/kernels-fast.test.ts: a seeded generator, bit comparison, ulp distance to a
 * float64 reference, float64 activation references (the naive definitions, except where their
 * double arithmetic cancels), and a cross-thread check: two worker_threads, each with its own kernel instance and scratch on the same
 * shared memory, computing at the same time. The worker entry is bundled with esbuild at test time.
 */
import { Worker } from 'node:worker_threads';
import type { ActivationName } from '../../src/engine/config/types.js';
import { ACTIVATION_FUNCTIONS } from '../../src/engine/math/activations.js';
import { erf } from '../../src/engine/math/erf.js';
import type { Kernels } from '../../src/engine/kernels/types.js';
import { RESERVED_LOW_BYTES } from '../../src/engine/memory/wasm-memory.js';
import { bundleWorker } from './bundle-worker.js';

/** mulberry32: deterministic test data. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Same float32 value: equal bits, or both NaN (NaN payloads may differ). */
export function isSame(a: number, b: number): boolean {
  return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
}

export function bits(a: Float32Array): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, a.length);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** |got - ref| in units of the float32 spacing at |ref| (0 when both are NaN or the same infinity). */
export function ulpDiff(got: number, ref: number): number {
  if (Number.isNaN(ref) || Number.isNaN(got)) return Number.isNaN(ref) && Number.isNaN(got) ? 0 : Infinity;
  f32[0] = Math.abs(ref);
  if (!Number.isFinite(f32[0]) || !Number.isFinite(got)) return Math.fround(ref) === got ? 0 : Infinity;
  const exponent = u32[0] >>> 23;
  const ulp = exponent === 0 ? 2 ** -149 : 2 ** (exponent - 127 - 23);
  return Math.abs(got - ref) / ulp;
}

const C = 0.044715;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * Phi(x) = erfc(-x / sqrt 2) / 2 for x < 0 without the cancellation of 1 + erf: for |x| >= 2.9 the
 * continued fraction erfc(z) = exp(-z^2)/sqrt(pi) / (z + (1/2)/(z + 1/(z + (3/2)/(z + ...)))),
 * with exp(-x^2/2) formed from x directly.
 */
function normalCdfNegative(x: number): number {
  if (x > -2.9) return 0.5 * (1 + erf(x * Math.SQRT1_2));
  const z = -x * Math.SQRT1_2;
  let t = z;
  for (let n = 80; n >= 1; n--) t = z + n / 2 / t;
  return (0.5 * Math.exp(-0.5 * x * x)) / Math.sqrt(Math.PI) / t;
}

/**
 * [f(x), f'(x)] in float64; y is the stored forward output the derivative may use. The naive
 * definitions, except where their double arithmetic cancels: gelu for x < 0 (1 + erf) and gelu_tanh
 * (1 + tanh u), which lose all digits below about x = -8 and -5.
 */
export function activationRef(name: ActivationName, x: number, y: number, alpha: number): [number, number] {
  if (name === 'gelu_tanh') {
    const u = SQRT_2_OVER_PI * (x + C * x * x * x);
    const e = Math.exp(-2 * Math.abs(u));
    const s = x >= 0 ? 1 / (1 + e) : e / (1 + e);
    const d = s + ((2 * x * e) / ((1 + e) * (1 + e))) * SQRT_2_OVER_PI * (1 + 3 * C * x * x);
    return [x * s, d];
  }
  if (name === 'gelu' && x < 0) {
    const cdf = normalCdfNegative(x);
    return [x * cdf, cdf + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x)];
  }
  const f = ACTIVATION_FUNCTIONS[name];
  return [f.forward(x, alpha), f.derivative(x, y, alpha)];
}

const WORKER_SOURCE = `
import { parentPort, workerData } from 'node:worker_threads';
import { createWasmKernels } from './src/engine/kernels/wasm/index.js';
import { createNativeKernels } from './src/engine/kernels/native/kernels.js';
const { set, variant, memory, scratch, scratchBytes, syncOffset, jobs, iterations } = workerData;
const k = set === 'native' ? createNativeKernels(memory, scratch, scratchBytes) : createWasmKernels(memory, scratch, scratchBytes, variant);
const v = (o, n) => new Float32Array(memory.buffer, o, n);
const sync = new Int32Array(memory.buffer, syncOffset, 1);
Atomics.add(sync, 0, 1);
while (Atomics.load(sync, 0) < 2) Atomics.wait(sync, 0, 1, 5);
let mismatches = 0;
for (let it = 0; it < iterations; it++) {
  for (const j of jobs) {
    const { rows, inDim, outDim } = j;
    k.linearForward(v(j.x, rows * inDim), v(j.w, outDim * inDim), v(j.b, outDim), v(j.y, rows * outDim), rows, inDim, outDim);
    k.linearBackwardInput(v(j.dY, rows * outDim), v(j.w, outDim * inDim), v(j.dX, rows * inDim), rows, inDim, outDim, false);
    k.linearBackwardWeight(v(j.dY, rows * outDim), v(j.x, rows * inDim), v(j.dW, outDim * inDim), v(j.db, outDim), rows, inDim, outDim, 0, outDim);
    k.activationForward({ code: 6, alpha: 0 }, v(j.y, rows * outDim), v(j.y, rows * outDim), rows * outDim);
    for (const [got, want, n] of [[j.y, j.yExp, rows * outDim], [j.dX, j.dXExp, rows * inDim], [j.dW, j.dWExp, outDim * inDim]]) {
      const a = new Uint32Array(memory.buffer, got, n);
      const b = new Uint32Array(memory.buffer, want, n);
      for (let i = 0; i < n; i++) if (a[i] !== b[i]) mismatches++;
    }
  }
}
parentPort.postMessage(mismatches);
`;

interface Job {
  rows: number;
  inDim: number;
  outDim: number;
  [buffer: string]: number;
}

/**
 * Lays out two jobs per thread above `heapStart`, computes the expected results with `main`, then
 * runs two workers (scratch regions 1 and 2) concurrently; resolves with their mismatch counts.
 */
export async function runTwoThreads(
  memory: WebAssembly.Memory,
  heapStart: number,
  scratchBytes: number,
  main: Kernels,
  variant: 'simd128' | 'relaxed-simd' = 'simd128',
): Promise<{ mismatches: number }[]> {
  const bundle = await bundleWorker(WORKER_SOURCE);
  try {
    const outfile = bundle.file;
    let top = heapStart;
    const take = (n: number) => {
      const o = Math.ceil(top / 64) * 64;
      top = o + n * 4;
      return o;
    };
    const syncOffset = take(16);
    new Int32Array(memory.buffer, syncOffset, 1)[0] = 0;
    const random = rng(99);
    const view = (o: number, n: number) => new Float32Array(memory.buffer, o, n);
    const makeJob = (rows: number, inDim: number, outDim: number): Job => {
      const j: Job = { rows, inDim, outDim };
      const sizes: Record<string, number> = { x: rows * inDim, w: outDim * inDim, b: outDim, dY: rows * outDim };
      for (const [name, n] of Object.entries(sizes)) {
        j[name] = take(n);
        view(j[name], n).forEach((_, i, a) => (a[i] = random() * 2 - 1));
      }
      for (const [name, n] of Object.entries({ y: rows * outDim, dX: rows * inDim, dW: outDim * inDim, db: outDim })) {
        j[name] = take(n);
        j[`${name}Exp`] = take(n);
      }
      const e = (name: string, n: number) => view(j[`${name}Exp`], n);
      main.linearForward(view(j.x, rows * inDim), view(j.w, outDim * inDim), view(j.b, outDim), e('y', rows * outDim), rows, inDim, outDim);
      main.activationForward({ code: 6, alpha: 0 }, e('y', rows * outDim), e('y', rows * outDim), rows * outDim);
      main.linearBackwardInput(view(j.dY, rows * outDim), view(j.w, outDim * inDim), e('dX', rows * inDim), rows, inDim, outDim, false);
      main.linearBackwardWeight(
        view(j.dY, rows * outDim),
        view(j.x, rows * inDim),
        e('dW', outDim * inDim),
        e('db', outDim),
        rows,
        inDim,
        outDim,
        0,
        outDim,
      );
      return j;
    };
    const threads = [0, 1].map((t) => ({
      set: main.name,
      variant,
      memory,
      scratch: RESERVED_LOW_BYTES + (t + 1) * scratchBytes,
      scratchBytes,
      syncOffset,
      iterations: 20,
      jobs: [makeJob(37 + t, 19, 23), makeJob(29, 784, 10 + t)],
    }));
    return await Promise.all(
      threads.map(
        (workerData) =>
          new Promise<{ mismatches: number }>((resolve, reject) => {
            const worker = new Worker(outfile, { workerData });
            worker.once('message', (mismatches: number) => resolve({ mismatches }));
            worker.once('error', reject);
            worker.once('exit', (code) => (code !== 0 ? reject(new Error(`worker exited with ${code}`)) : undefined));
          }),
      ),
    );
  } finally {
    bundle.dispose();
  }
}

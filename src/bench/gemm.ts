/**
 * Single-thread throughput of the three linear-layer products for each available kernel set:
 *   forward  y = x * W^T   (m = rows, n = out, k = in)
 *   dX       dX = dY * W   (m = rows, n = in,  k = out)
 *   dW       dW = dY^T * x (m = out,  n = in,  k = rows)
 * at 512x512x512 and at the reference MLP's layers (784 -> 512 -> 512 -> 10) with batch 128, plus
 * the 16-row calls a batch of 128 split into the default 8 chunks makes. Flops are 2*m*n*k.
 * Each entry reports the best of several trials timed in process CPU time (see measure). Runs in
 * the calling thread (Node: it reads process.cpuUsage); needs the generated wasm module
 * (`npm run build:wasm`).
 */
import { availableKernelSets, createKernels, createRunMemory, runLayoutStart, type KernelSetName } from '../engine/index.js';
import { benchStream } from './random.js';

export interface GemmResult {
  /** Kernel set and product, e.g. "wasm forward". */
  name: string;
  set: string;
  product: Product;
  /** The layer call: rows x in -> out. */
  layer: [number, number, number];
  m: number;
  n: number;
  k: number;
  gflops: number;
}

export type Product = 'forward' | 'dX' | 'dW';

/** [rows, inDim, outDim] of one linear layer call (also measured on OpenBLAS, peers/blas-gemm.ts). */
export const GEMM_LAYERS: [number, number, number][] = [
  [512, 512, 512],
  [128, 784, 512],
  [128, 512, 512],
  [128, 512, 10],
  [16, 784, 512],
  [16, 512, 512],
  [16, 512, 10],
];

const TRIALS = 7;
const TRIAL_MS = 40;
const WARMUP_MS = 100;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Milliseconds of CPU time this process has used (user + system). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Best GFLOP/s of `run` over TRIALS trials of at least TRIAL_MS each (after warm-up calls that
 * also let V8 tier the kernels up). Timed in process CPU time: equal to wall time on an idle
 * machine, and not inflated by time slices lost to other processes on a shared one.
 */
async function measure(run: () => void, flops: number): Promise<number> {
  const w0 = cpuMs();
  for (let calls = 0; calls < 3 || cpuMs() - w0 < WARMUP_MS; calls++) run();
  let reps = 1;
  for (;;) {
    const t0 = cpuMs();
    for (let i = 0; i < reps; i++) run();
    if (cpuMs() - t0 >= TRIAL_MS) break;
    reps *= 2;
  }
  let best = 0;
  for (let t = 0; t < TRIALS; t++) {
    await yieldToEventLoop();
    const t0 = cpuMs();
    for (let i = 0; i < reps; i++) run();
    best = Math.max(best, (flops * reps) / ((cpuMs() - t0) * 1e6));
  }
  return best;
}

export async function benchGemm(sets: KernelSetName[] = availableKernelSets()): Promise<GemmResult[]> {
  const maxFloats = Math.max(...GEMM_LAYERS.map(([r, i, o]) => 2 * r * i + 2 * r * o + 2 * o * i + 2 * o));
  // One thread's kernel scratch (team index 0), then the operands.
  const heap = runLayoutStart(1);
  const memory = createRunMemory(heap + maxFloats * 4 + 16 * 64, true);
  const kernelSets = sets.map((name) => createKernels(name, memory, 0));
  const results: GemmResult[] = [];
  for (const [layer, [rows, inDim, outDim]] of GEMM_LAYERS.entries()) {
    let top = heap;
    let operand = 0;
    // Uniform in [-1, 1), a stream per (layer, operand).
    const view = (n: number) => {
      const v = new Float32Array(memory.buffer, top, n);
      top = Math.ceil((top + n * 4) / 64) * 64;
      const rng = benchStream(layer, operand++);
      for (let i = 0; i < n; i++) v[i] = rng.uniform(-1, 1);
      return v;
    };
    const [x, w, b, y, dY, dX, dW, db] = [
      rows * inDim,
      outDim * inDim,
      outDim,
      rows * outDim,
      rows * outDim,
      rows * inDim,
      outDim * inDim,
      outDim,
    ].map(view);
    const shapes: Record<Product, [number, number, number]> = {
      forward: [rows, outDim, inDim],
      dX: [rows, inDim, outDim],
      dW: [outDim, inDim, rows],
    };
    for (const kernels of kernelSets) {
      const runs: Record<Product, () => void> = {
        forward: () => kernels.linearForward(x, w, b, y, rows, inDim, outDim),
        dX: () => kernels.linearBackwardInput(dY, w, dX, rows, inDim, outDim, false),
        dW: () => kernels.linearBackwardWeight(dY, x, dW, db, rows, inDim, outDim, 0, outDim),
      };
      for (const product of ['forward', 'dX', 'dW'] as const) {
        const [m, n, k] = shapes[product];
        const gflops = await measure(runs[product], 2 * m * n * k);
        results.push({ name: `${kernels.name} ${product}`, set: kernels.name, product, layer: [rows, inDim, outDim], m, n, k, gflops });
      }
    }
  }
  return results;
}

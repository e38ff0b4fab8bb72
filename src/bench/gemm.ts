/**
 * Single-thread throughput of the three linear-layer products for each available kernel set:
 *   forward  y = x * W^T   (m = rows, n = out, k = in)
 *   dX       dX = dY * W   (m = rows, n = in,  k = out)
 *   dW       dW = dY^T * x (m = out,  n = in,  k = rows)
 * at 512x512x512 and at the reference MLP's layers (784 -> 512 -> 512 -> 10) with batch 128, plus
 * 16-row calls (what two workers make of a batch of 32; a batch of 128 was 8 such chunks before its
 * chunks grew to 64 rows). Flops are 2*m*n*k.
 * Timed in process CPU time, in trials of at least TRIAL_MS: the kernel sets and the optional peer
 * (OpenBLAS in a child process, peers/blas-gemm.ts) take turns trial by trial, in ABBA order
 * (paired.ts), so each set's ratio to the peer is the median of adjacent pairs and the host's
 * drift in speed cancels in it. Each entry reports the median and the best trial. Runs in the
 * calling thread (Node: it reads process.cpuUsage); needs the generated wasm module
 * (`npm run build:wasm`).
 */
import { availableKernelSets, createKernels, createRunMemory, runLayoutStart, type KernelSetName } from '../engine/index.js';
import type { GemmPeer, Product } from './peers/blas-gemm.js';
import { abbaOrder, median, pairedRatio, type PairedRatio } from './paired.js';
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
  /** Median of the trials. */
  gflops: number;
  gflopsBest: number;
  trials: number;
  /** This set's GFLOP/s over the peer's, trial pair by trial pair (null for the peer, or without one). */
  vsPeer: PairedRatio | null;
}

export type { Product };

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

/** Milliseconds of CPU time this process has used (user + system). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Warm-up calls (at least 3 and WARMUP_MS, which also let V8 tier the wasm kernels up), then the
 * calls per trial that take at least TRIAL_MS. Timed in process CPU time: equal to wall time on an
 * idle machine, and not inflated by time slices lost to other processes on a shared one.
 */
function calibrate(run: () => void): number {
  const w0 = cpuMs();
  for (let calls = 0; calls < 3 || cpuMs() - w0 < WARMUP_MS; calls++) run();
  let reps = 1;
  for (;;) {
    const t0 = cpuMs();
    for (let i = 0; i < reps; i++) run();
    if (cpuMs() - t0 >= TRIAL_MS) return reps;
    reps *= 2;
  }
}

/** CPU seconds of `reps` calls. */
function trial(run: () => void, reps: number): number {
  const t0 = cpuMs();
  for (let i = 0; i < reps; i++) run();
  return (cpuMs() - t0) / 1000;
}

/** A set or the peer, as the trial loop sees it. */
interface Contender {
  name: string;
  calibrate(product: Product): Promise<number>;
  trial(product: Product, reps: number): Promise<number>;
}

export async function benchGemm(sets: KernelSetName[] = availableKernelSets(), peer: GemmPeer | null = null): Promise<GemmResult[]> {
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
    const contenders: Contender[] = kernelSets.map((kernels) => {
      const runs: Record<Product, () => void> = {
        forward: () => kernels.linearForward(x, w, b, y, rows, inDim, outDim),
        dX: () => kernels.linearBackwardInput(dY, w, dX, rows, inDim, outDim, false),
        dW: () => kernels.linearBackwardWeight(dY, x, dW, db, rows, inDim, outDim, 0, outDim),
      };
      return {
        name: kernels.name,
        calibrate: (product) => Promise.resolve(calibrate(runs[product])),
        // Through the event loop between trials, as the peer's answer goes.
        trial: async (product, reps) => {
          await new Promise<void>((resolve) => setImmediate(resolve));
          return trial(runs[product], reps);
        },
      };
    });
    if (peer) {
      await peer.shape(rows, inDim, outDim);
      contenders.push({
        name: peer.name,
        calibrate: (product) => peer.calibrate(product, WARMUP_MS, TRIAL_MS),
        trial: (product, reps) => peer.trial(product, reps),
      });
    }
    for (const product of ['forward', 'dX', 'dW'] as const) {
      const [m, n, k] = shapes[product];
      const flops = 2 * m * n * k;
      const reps: number[] = [];
      for (const c of contenders) reps.push(await c.calibrate(product));
      const gflops: number[][] = contenders.map(() => []);
      for (const { contender } of abbaOrder(contenders.length, TRIALS)) {
        const seconds = await contenders[contender].trial(product, reps[contender]);
        gflops[contender].push((flops * reps[contender]) / (seconds * 1e9));
      }
      const peerGflops = peer ? gflops[contenders.length - 1] : null;
      for (const [i, c] of contenders.entries()) {
        const isPeer = peer !== null && i === contenders.length - 1;
        results.push({
          name: `${c.name} ${product}`,
          set: c.name,
          product,
          layer: [rows, inDim, outDim],
          m,
          n,
          k,
          gflops: median(gflops[i]),
          gflopsBest: Math.max(...gflops[i]),
          trials: gflops[i].length,
          vsPeer: peerGflops && !isPeer ? pairedRatio(gflops[i], peerGflops) : null,
        });
      }
    }
  }
  return results;
}

/**
 * The native addon on the run's shared memory, from worker_threads, without copies: the
 * foundation the native kernel set stands on. A run memory (shared WebAssembly.Memory) is given to
 * two workers; each loads the addon, binds it to the memory and, through C, reads what the main
 * thread wrote with a Float32Array and writes where the main thread reads; all three threads see
 * one address for the memory (C never holds a copy), and it stays the same for the memory's life.
 * A kernel run in a worker (mul, linearForward) writes results the main thread's views read.
 */
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNativeAddon, NATIVE_ABI } from '../src/engine/kernels/native/addon.js';
import { createNativeKernels, nativeIsa, nativeSupported } from '../src/engine/kernels/native/kernels.js';
import { createRunMemory, KERNEL_SCRATCH_BYTES, RESERVED_LOW_BYTES } from '../src/engine/memory/wasm-memory.js';
import { bundleWorker } from './helpers/bundle-worker.js';

const WORKER = `
import { parentPort, workerData } from 'node:worker_threads';
import { loadNativeAddon } from './src/engine/kernels/native/addon.js';
import { createNativeKernels } from './src/engine/kernels/native/kernels.js';
const { memory, t, scratch, scratchBytes, syncOffset, readAt, writeAt, a, b, out, n } = workerData;
const { addon } = loadNativeAddon();
const raw = addon.create(new Float32Array(memory.buffer), scratch, scratchBytes, new Float64Array(new SharedArrayBuffer(128)));
const sync = new Int32Array(memory.buffer, syncOffset, 4);
// Wait for the main thread's write (sync[0] = 1), then read it through C and answer through C.
while (Atomics.load(sync, 0) === 0) Atomics.wait(sync, 0, 0, 50);
const seen = raw.probe(readAt, 0);
raw.probe(writeAt, 1000 + t);
// A real kernel on views of the shared memory.
const k = createNativeKernels(memory, scratch, scratchBytes);
const v = (o, len) => new Float32Array(memory.buffer, o, len);
k.mul(v(a, n), v(b, n), v(out, n), n);
Atomics.add(sync, 1, 1);
Atomics.notify(sync, 1);
parentPort.postMessage({ seen, address: raw.address(), isa: addon.isa });
`;

const available = nativeSupported();
/** A float block (16 doubles over its own SharedArrayBuffer) for raw instances. */
const floatBlock = () => new Float64Array(new SharedArrayBuffer(16 * 8));

describe.skipIf(!available && process.env.CI === undefined)('native addon on shared memory', () => {
  let worker: { file: string; dispose(): void };
  beforeAll(async () => {
    worker = await bundleWorker(WORKER);
  });
  afterAll(() => worker?.dispose());

  it('loads, with a CPU path, built from these sources', () => {
    expect(loadNativeAddon().reason).toBeNull();
    expect(loadNativeAddon().addon!.abi).toBe(NATIVE_ABI);
    expect(['avx512', 'avx2', 'neon', 'portable']).toContain(nativeIsa());
  });

  it('reads and writes the memory other threads see, in place, at one stable address', async () => {
    const memory = createRunMemory(8 << 20, true);
    const buf = memory.buffer;
    const heap = RESERVED_LOW_BYTES + 3 * KERNEL_SCRATCH_BYTES;
    const main = loadNativeAddon().addon!.create(new Float32Array(buf), RESERVED_LOW_BYTES, KERNEL_SCRATCH_BYTES, floatBlock());
    const address = main.address();
    const sync = new Int32Array(buf, heap, 4);
    const cells = new Float32Array(buf, heap + 64, 16);
    const n = 1001;
    const a = heap + 4096;
    const b = a + 4096 * 2;
    const outs = [b + 4096 * 2, b + 4096 * 4];
    const va = new Float32Array(buf, a, n);
    const vb = new Float32Array(buf, b, n);
    for (let i = 0; i < n; i++) [va[i], vb[i]] = [i * 0.37 - 3, (i % 7) - 2.25];
    const replies = [0, 1].map(
      (t) =>
        new Promise<{ seen: number; address: number; isa: string }>((resolve, reject) => {
          const w = new Worker(worker.file, {
            workerData: {
              memory,
              t,
              scratch: RESERVED_LOW_BYTES + (t + 1) * KERNEL_SCRATCH_BYTES,
              scratchBytes: KERNEL_SCRATCH_BYTES,
              syncOffset: heap,
              readAt: cells.byteOffset + 4 * t,
              writeAt: cells.byteOffset + 4 * (8 + t),
              a,
              b,
              out: outs[t],
              n,
            },
          });
          w.once('message', resolve);
          w.once('error', reject);
        }),
    );
    // Written by JavaScript after the workers bound the memory: C must see these, not a snapshot.
    cells[0] = 42.5;
    cells[1] = -7.25;
    Atomics.store(sync, 0, 1);
    Atomics.notify(sync, 0);
    const got = await Promise.all(replies);
    expect(got.map((r) => r.seen)).toEqual([42.5, -7.25]);
    // Written by C in the workers, read here through the main thread's own view.
    expect([cells[8], cells[9]]).toEqual([1000, 1001]);
    // One address in every thread: the SharedArrayBuffer's memory itself, never a copy.
    expect(got.map((r) => r.address)).toEqual([address, address]);
    expect(got.map((r) => r.isa)).toEqual([nativeIsa(), nativeIsa()]);
    // The kernel's output is in the shared memory, exact (f32 products).
    for (const o of outs) {
      const out = new Float32Array(buf, o, n);
      for (let i = 0; i < n; i++) if (out[i] !== Math.fround(va[i] * vb[i])) expect.fail(`mul element ${i}: ${out[i]}`);
    }
    // The address does not move while the memory lives (no growth, no relocation).
    expect(main.address()).toBe(address);
    main.probe(cells.byteOffset + 60, 3.5);
    expect(cells[15]).toBe(3.5);
  });

  it('rejects views of other memories and tensors outside the memory', () => {
    const memory = createRunMemory(4 << 20, true);
    const k = createNativeKernels(memory, RESERVED_LOW_BYTES, KERNEL_SCRATCH_BYTES);
    expect(k.name).toBe('native');
    expect(() => k.mul(new Float32Array(4), new Float32Array(4), new Float32Array(4), 4)).toThrow(/not a view/);
    const v = new Float32Array(memory.buffer, RESERVED_LOW_BYTES, 3);
    expect(() => k.mul(v, v, v, 4)).toThrow(/needs 4/);
    expect(() => createNativeKernels(createRunMemory(4 << 20, false), RESERVED_LOW_BYTES, KERNEL_SCRATCH_BYTES)).toThrow(/must be shared/);
    const raw = loadNativeAddon().addon!.create(new Float32Array(memory.buffer), RESERVED_LOW_BYTES, KERNEL_SCRATCH_BYTES, floatBlock());
    expect(() => raw.probe(memory.buffer.byteLength, 1)).toThrow(/outside the run memory/);
    expect(() => raw.mul(0, 0, memory.buffer.byteLength - 8, 3)).toThrow(/outside the run memory/);
  });

  it("checks each binding's arguments before any kernel runs", () => {
    const memory = createRunMemory(4 << 20, true);
    const floats = floatBlock();
    const raw = loadNativeAddon().addon!.create(new Float32Array(memory.buffer), RESERVED_LOW_BYTES, KERNEL_SCRATCH_BYTES, floats);
    const end = memory.buffer.byteLength;
    // Calls that TypeScript would refuse, as a caller without types could make them.
    const untyped = raw as unknown as Record<string, (...args: unknown[]) => unknown>;
    expect(() => untyped.mul(0, 0)).toThrow(/too few arguments/);
    expect(() => raw.mul(end - 16, end - 16, end - 16, 2.5)).toThrow(/non-negative integer/);
    expect(() => untyped.mul(end - 16, end - 16, end - 16, 'x')).toThrow(/expected a number/);
    const addon = loadNativeAddon().addon! as unknown as Record<string, (...args: unknown[]) => unknown>;
    expect(() => addon.create(new Float32Array(memory.buffer), RESERVED_LOW_BYTES, KERNEL_SCRATCH_BYTES)).toThrow(/create\(/);
    expect(() => addon.create(new Float32Array(memory.buffer), RESERVED_LOW_BYTES, KERNEL_SCRATCH_BYTES, new Float64Array(15))).toThrow(
      /float block/,
    );
    // sumSquares writes its double to an 8-aligned offset inside the memory.
    expect(() => raw.sumSquares(end - 16, 4, end - 4)).toThrow(/result lies outside/);
    expect(() => raw.sumSquares(end - 16, 4, end - 20)).toThrow(/result lies outside/);
    // linearForward(x, w, b, y, rows, inDim, outDim): y needs rows x outDim = 6 floats, 5 fit.
    expect(() => raw.linearForward(end - 64, end - 64, end - 64, end - 20, 2, 1, 3)).toThrow(/outside the run memory/);
    raw.linearForward(end - 64, end - 64, end - 64, end - 24, 2, 1, 3);
    // Feature ranges [o0, o1) within outDim: linearBackwardWeight, bnStats, bnBackwardReduce.
    expect(() => raw.linearBackwardWeight(end - 64, end - 64, end - 64, end - 64, 1, 1, 2, 1, 3)).toThrow(/bad feature range/);
    expect(() => raw.linearBackwardWeight(end - 64, end - 64, end - 64, end - 64, 1, 1, 2, 2, 1)).toThrow(/bad feature range/);
    expect(() => raw.bnStats(end - 64, end - 64, end - 64, 1, 2, 0, 3)).toThrow(/bad feature range/);
    expect(() => raw.bnBackwardReduce(end - 64, end - 64, end - 64, end - 64, 1, 2, 0, 3)).toThrow(/bad feature range/);
    // SGD reads its momentum buffer only with a momentum: without one an empty region will do.
    // Its floats (lr, momentum, dampening, weightDecay, gradScale, clipValue) are in the float
    // block, in argument order; their arguments are placeholders.
    const sgd = (momentum: number) => {
      floats.set([0.1, momentum, 0, 0, 1, 0]);
      raw.sgdStep(end - 32, end - 16, end, 4, 0, 0, 0, 0, 0, 1, 0, 0);
    };
    expect(() => sgd(0.9)).toThrow(/outside the run memory/);
    sgd(0);
  });

  it('takes float arguments from the float block, and writes results where it is told', () => {
    const memory = createRunMemory(4 << 20, true);
    const floats = floatBlock();
    const raw = loadNativeAddon().addon!.create(new Float32Array(memory.buffer), RESERVED_LOW_BYTES, KERNEL_SCRATCH_BYTES, floats);
    const at = RESERVED_LOW_BYTES + KERNEL_SCRATCH_BYTES;
    const p = new Float32Array(memory.buffer, at, 4);
    const g = new Float32Array(memory.buffer, at + 64, 4);
    p.set([2, -1, 0, 0.5]);
    g.set([0, 0, 0, 0]);
    // g += 2 * l2 * p + l1 * sign(p) with l1 = 0.25, l2 = 0.5 (the block), not the arguments' 7 and 9.
    floats.set([0.25, 0.5]);
    raw.addPenaltyGrad(at, at + 64, 4, 7, 9);
    expect([...g]).toEqual([2.25, -1.25, 0, 0.75]);
    // 2^2 + 1^2 + 0 + 0.5^2 = 5.25, as a double at the given offset.
    const out = new Float64Array(memory.buffer, at + 128, 1);
    raw.sumSquares(at, 4, at + 128);
    expect(out[0]).toBe(5.25);
  });
});

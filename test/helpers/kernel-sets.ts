/**
 * Every kernel set this process can run, for tests that must hold on all of them: `naive`, `wasm`,
 * and `native` (its addon must be built in CI: a missing addon fails there instead of skipping).
 * `stagedKernels(set)` lets tests call the wasm and native sets with ordinary Float32Arrays: each
 * call copies its array arguments into a run memory of its own (the same array twice gives the
 * same view), runs the kernel there and copies every array back.
 */
import { availableKernelSets, createKernels } from '../../src/engine/kernels/select.js';
import type { KernelSetName, Kernels } from '../../src/engine/kernels/types.js';
import { createRunMemory, KERNEL_SCRATCH_BYTES, RESERVED_LOW_BYTES } from '../../src/engine/memory/wasm-memory.js';

/** The sets to test: all that run here; in CI all three must. */
export function testKernelSetNames(): KernelSetName[] {
  const sets = availableKernelSets();
  if (process.env.CI !== undefined && !sets.includes('native')) {
    throw new Error('CI must test the native kernels, but the addon did not load (npm run build:native)');
  }
  return sets;
}

const STAGE_BYTES = 16 << 20;

export function stagedKernels(set: KernelSetName): Kernels {
  const memory = createRunMemory(RESERVED_LOW_BYTES + KERNEL_SCRATCH_BYTES + STAGE_BYTES, true);
  const kernels = createKernels(set, memory, 0);
  if (set === 'naive') return kernels;
  const heap = RESERVED_LOW_BYTES + KERNEL_SCRATCH_BYTES;
  return new Proxy(kernels, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        let top = heap;
        const staged = new Map<Float32Array, Float32Array>();
        const mapped = args.map((a) => {
          if (!(a instanceof Float32Array)) return a;
          let v = staged.get(a);
          if (!v) {
            if (top + a.byteLength > heap + STAGE_BYTES) throw new Error('stagedKernels: arguments too large');
            v = new Float32Array(memory.buffer, top, a.length);
            v.set(a);
            top = Math.ceil((top + a.byteLength) / 64) * 64;
            staged.set(a, v);
          }
          return v;
        });
        const result = (value as (...a: unknown[]) => unknown).apply(target, mapped);
        for (const [original, view] of staged) original.set(view);
        return result;
      };
    },
  });
}

/**
 * Chooses and builds a kernel set for a run memory. `wasm` (SIMD WebAssembly) is the default
 * where the runtime supports 128-bit SIMD; `naive` is the reference and the fallback. Thread t of
 * a run's team uses the t-th kernel scratch region of the run memory. Any thread.
 */
import { KERNEL_SCRATCH_BYTES, RESERVED_LOW_BYTES } from '../memory/wasm-memory.js';
import { naiveKernels } from './naive.js';
import type { KernelFactory, KernelSetName, Kernels } from './types.js';
import { createWasmKernels, wasmSimdSupported } from './wasm/index.js';

export function availableKernelSets(): KernelSetName[] {
  return wasmSimdSupported() ? ['naive', 'wasm'] : ['naive'];
}

/** The set that will actually run when `requested` is asked for (wasm falls back to naive). */
export function effectiveKernelSet(requested: KernelSetName | undefined): KernelSetName {
  const wanted = requested ?? 'wasm';
  return wanted === 'wasm' && !wasmSimdSupported() ? 'naive' : wanted;
}

/** The set `requested` (or its fallback) on `memory`, for thread `teamIndex` of the run's team. */
export function createKernels(requested: KernelSetName, memory: WebAssembly.Memory, teamIndex: number): Kernels {
  if (effectiveKernelSet(requested) === 'naive') return naiveKernels;
  return createWasmKernels(memory, RESERVED_LOW_BYTES + teamIndex * KERNEL_SCRATCH_BYTES, KERNEL_SCRATCH_BYTES);
}

/** For a run trained or evaluated by the calling thread alone (team index 0); default `wasm`. */
export function kernelFactory(requested: KernelSetName = 'wasm'): KernelFactory {
  return (memory) => createKernels(requested, memory, 0);
}

/**
 * Chooses and builds a kernel set for a run memory. `native` (C through Node-API, per-CPU
 * instruction sets) is the default where its addon loads; then `wasm` (SIMD WebAssembly) where the
 * runtime has 128-bit SIMD; `naive` is the reference and the last fallback. A requested set that
 * cannot run here falls back the same way, and kernelSetNotice() gives the one line that says so.
 * Thread t of a run's team uses the t-th kernel scratch region of the run memory. Any thread.
 */
import { KERNEL_SCRATCH_BYTES, RESERVED_LOW_BYTES } from '../memory/wasm-memory.js';
import { naiveKernels } from './naive.js';
import { createNativeKernels, nativeIsa, nativeSupported, nativeUnavailableReason } from './native/kernels.js';
import type { KernelFactory, KernelSetName, Kernels } from './types.js';
import { createWasmKernels, wasmSimdSupported, wasmVariant } from './wasm/index.js';

/** The sets that can run in this process, reference first. */
export function availableKernelSets(): KernelSetName[] {
  const sets: KernelSetName[] = ['naive'];
  if (wasmSimdSupported()) sets.push('wasm');
  if (nativeSupported()) sets.push('native');
  return sets;
}

/** The set that will actually run when `requested` is asked for (native -> wasm -> naive). */
export function effectiveKernelSet(requested: KernelSetName | undefined): KernelSetName {
  const wanted = requested ?? 'native';
  if (wanted === 'native' && nativeSupported()) return 'native';
  if (wanted !== 'naive' && wasmSimdSupported()) return 'wasm';
  return 'naive';
}

/**
 * The path a set runs on: native's CPU path ("avx512", "avx2", "neon", "portable"), wasm's build
 * ("relaxed-simd" or "simd128"), null for naive.
 */
export function kernelPath(set: KernelSetName): string | null {
  if (set === 'native') return nativeIsa();
  return set === 'wasm' ? wasmVariant() : null;
}

/** One line for the user when `requested` (default: native) cannot run and another set is used; else null. */
export function kernelSetNotice(requested: KernelSetName | undefined): string | null {
  const wanted = requested ?? 'native';
  const used = effectiveKernelSet(requested);
  if (used === wanted) return null;
  const why = wanted === 'native' ? nativeUnavailableReason() : 'this runtime has no WebAssembly SIMD';
  return `${wanted} kernels unavailable (${why}); using the ${used} kernels`;
}

/** "native (avx512)", "wasm", "naive": the set and path, for reports. */
export function describeKernelSet(set: KernelSetName): string {
  const p = kernelPath(set);
  return p ? `${set} (${p})` : set;
}

/** The set `requested` (or its fallback) on `memory`, for thread `teamIndex` of the run's team. */
export function createKernels(requested: KernelSetName, memory: WebAssembly.Memory, teamIndex: number): Kernels {
  const set = effectiveKernelSet(requested);
  if (set === 'naive') return naiveKernels;
  const scratch = RESERVED_LOW_BYTES + teamIndex * KERNEL_SCRATCH_BYTES;
  if (set === 'native') return createNativeKernels(memory, scratch, KERNEL_SCRATCH_BYTES);
  return createWasmKernels(memory, scratch, KERNEL_SCRATCH_BYTES);
}

/** For a run trained or evaluated by the calling thread alone (team index 0); default `native` (or its fallback). */
export function kernelFactory(requested: KernelSetName = 'native'): KernelFactory {
  return (memory) => createKernels(requested, memory, 0);
}

/**
 * The `native` kernel set: C through Node-API (native/src, loaded by ./addon.ts), with the linear
 * products dispatched at run time to the best instruction set of this CPU (AVX-512F, AVX2+FMA,
 * NEON, portable C; chosen once per process, reported by nativeIsa()).
 *
 * createNativeKernels() binds the addon to one run memory and this thread's scratch region; call
 * it once per thread and run memory. Every Float32Array argument must be a view of that memory's
 * buffer (checked by view-offsets.ts) and reaches C as a byte offset through the flat ABI
 * (contract.ts, bindFlatKernels), so the kernels work in
 * place on the shared memory other threads see; float arguments go through the instance's float
 * block, not as JavaScript values (a double would be boxed per call). The instance never allocates.
 *
 * Determinism: partition invariant like every set (kernels/types.ts). The products accumulate
 * each element with fused multiply-adds in ascending k on the FMA paths (AVX-512, AVX2 and NEON
 * give the same bits), with separate multiply and add on the portable path; everything else is the
 * naive set's double-precision arithmetic, bit for bit except the transcendental activations
 * (C library functions) and the order of sumSquares' partial sums.
 */
import { RESERVED_LOW_BYTES } from '../../memory/wasm-memory.js';
import { FLOAT_BLOCK_SLOTS } from '../contract.js';
import { bindFlatKernels } from '../flat-abi.generated.js';
import { viewOffsets } from '../view-offsets.js';
import type { Kernels } from '../types.js';
import { loadNativeAddon } from './addon.js';

/** Whether the native set can run in this process (the addon loads and found a CPU path). */
export function nativeSupported(): boolean {
  return loadNativeAddon().addon !== null;
}

/** Why the native set cannot run here, or null when it can. */
export function nativeUnavailableReason(): string | null {
  return loadNativeAddon().reason;
}

/** The instruction-set path of the linear products ("avx512", "avx2", "neon", "portable"), or null. */
export function nativeIsa(): string | null {
  return loadNativeAddon().addon?.isa ?? null;
}

/** The paths this CPU supports, best first (for reports); empty without the addon. */
export function nativeSupportedPaths(): string[] {
  return loadNativeAddon().addon?.supportedPaths.split(',') ?? [];
}

/**
 * Kernels running in `memory`, using [scratchByteOffset, + scratchBytes) as this thread's private
 * scratch for packed operands (no other thread may use it while these kernels run).
 */
export function createNativeKernels(memory: WebAssembly.Memory, scratchByteOffset: number, scratchBytes: number): Kernels {
  const { addon, reason } = loadNativeAddon();
  if (!addon) throw new Error(`native kernels unavailable: ${reason}`);
  const buffer = memory.buffer;
  if (!(buffer instanceof SharedArrayBuffer))
    throw new TypeError('native kernels: the run memory must be shared (createRunMemory(bytes, true))');
  if (scratchByteOffset % 64 !== 0 || scratchByteOffset < RESERVED_LOW_BYTES || scratchByteOffset + scratchBytes > buffer.byteLength) {
    throw new RangeError(`native kernels: bad scratch region ${scratchByteOffset} + ${scratchBytes}`);
  }
  // Its own SharedArrayBuffer: the addon keeps the block's address, and shared memory never moves.
  const floats = new Float64Array(new SharedArrayBuffer(FLOAT_BLOCK_SLOTS * 8));
  const flat = addon.create(new Float32Array(buffer), scratchByteOffset, scratchBytes, floats);
  return bindFlatKernels('native', flat, viewOffsets('native', buffer), floats);
}

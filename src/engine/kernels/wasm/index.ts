/**
 * The `wasm` kernel set: SIMD WebAssembly built from ./assembly (AssemblyScript) by
 * scripts/build-wasm.mjs into ./generated/kernels-wasm.ts (base64, gitignored; run
 * `npm run build:wasm` first).
 *
 * compileKernelModule() decodes and compiles the module once per thread (cached; a compiled
 * WebAssembly.Module may also be posted to workers). createWasmKernels() instantiates it on one run
 * memory with this thread's private scratch region; call it once per thread and run memory. The
 * module exports the kernels in the flat ABI (kernels/contract.ts), bound by the generated
 * bindFlatKernels: every Float32Array argument must be a view of that memory's buffer, checked per
 * call (buffer and length, cheap comparisons) so a wrong view throws instead of corrupting other
 * tensors, and reaches the kernel as its byteOffset. The instance never allocates.
 *
 * Not here: choosing between naive and wasm (the engine does, with wasmSimdSupported()), and the
 * memory layout (memory/wasm-memory.ts).
 */
import { setFlagsFromString } from 'node:v8';
import { RESERVED_LOW_BYTES } from '../../memory/wasm-memory.js';
import { KERNEL_CONTRACT, flatExportName } from '../contract.js';
import { bindFlatKernels, type FlatKernels } from '../flat-abi.generated.js';
import type { Kernels } from '../types.js';
import { KERNELS_WASM_BASE64 } from './generated/kernels-wasm.js';

/** The module's own export besides the kernels: where this thread's scratch region is. */
interface ScratchExport {
  set_scratch(ptr: number, bytes: number): void;
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
  (instance.exports as unknown as ScratchExport).set_scratch(scratchByteOffset, scratchBytes);
  // The module's snake_case exports under the contract's names (once per instance, not per call).
  const flat = Object.fromEntries(KERNEL_CONTRACT.map((k) => [k.name, instance.exports[flatExportName(k.name)]])) as unknown as FlatKernels;

  /** The byteOffset of a view of `buffer` holding at least n elements. */
  const at = (a: Float32Array, n: number): number => {
    if (a.buffer !== buffer || a.length < n) throw new RangeError(viewError(a, n, buffer));
    return a.byteOffset;
  };
  return bindFlatKernels('wasm', flat, at);
}

function viewError(a: Float32Array, n: number, buffer: ArrayBufferLike): string {
  if (a.buffer !== buffer) return 'wasm kernels: a tensor is not a view of the run memory these kernels were created for';
  return `wasm kernels: a tensor view has ${a.length} elements, the call needs ${n}`;
}

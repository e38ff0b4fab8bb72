/**
 * The `wasm` kernel set: SIMD WebAssembly built from ./assembly (AssemblyScript) by
 * scripts/build-wasm.mjs into ./generated/kernels-wasm.ts (base64, gitignored; run
 * `npm run build:wasm` first), in two builds: with relaxed SIMD (the products fuse multiply and add
 * on CPUs with FMA; used where the runtime supports it, see wasmVariant) and plain 128-bit SIMD
 * (the same bits on every platform). Each is deterministic and partition invariant on its own.
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
import { FLOAT_BLOCK_SLOTS, KERNEL_CONTRACT, flatExportName } from '../contract.js';
import { bindFlatKernels, type FlatKernels } from '../flat-abi.generated.js';
import type { Kernels } from '../types.js';
import { viewOffsets } from '../view-offsets.js';
import { KERNELS_WASM_BASE64, KERNELS_WASM_RELAXED_BASE64 } from './generated/kernels-wasm.js';

/** The module's own export besides the kernels: where this thread's scratch region is. */
interface ScratchExport {
  set_scratch(ptr: number, bytes: number): void;
  set_float_block(ptr: number): void;
}

/** Bytes of the float block (assembly/floats.ts) at the start of a thread's scratch region. */
export const FLOAT_BLOCK_BYTES = 8 * FLOAT_BLOCK_SLOTS;

/** Smallest scratch region the GEMM edge panels accept (they fall back to scalar code beyond it). */
export const MIN_KERNEL_SCRATCH_BYTES = 4096;

/** The two builds of the module: plain 128-bit SIMD, or with relaxed SIMD's fused multiply-add. */
export type WasmVariant = 'simd128' | 'relaxed-simd';

const compiled = new Map<WasmVariant, WebAssembly.Module>();

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
export function compileKernelModule(variant: WasmVariant = wasmVariant()): WebAssembly.Module {
  let module = compiled.get(variant);
  if (!module) {
    setFlagsFromString('--no-liftoff');
    module = new WebAssembly.Module(decodeBase64(variant === 'relaxed-simd' ? KERNELS_WASM_RELAXED_BASE64 : KERNELS_WASM_BASE64));
    compiled.set(variant, module);
  }
  return module;
}

// A module with one function using f32x4.relaxed_madd: validates only where relaxed SIMD is on.
// Sections: header, type () -> v128, function, code (relaxed_madd of three v128.const 0).
const RELAXED_PROBE = Uint8Array.from(
  (
    '0061736d01000000' +
    '0105016000017b' +
    '03020100' +
    '0a3d013b00' +
    'fd0c' +
    '00'.repeat(16) +
    'fd0c' +
    '00'.repeat(16) +
    'fd0c' +
    '00'.repeat(16) +
    'fd8502' +
    '0b'
  ).match(/../g) ?? [],
  (h) => parseInt(h, 16),
);

let relaxed: boolean | undefined;

/**
 * Whether this runtime runs relaxed SIMD: Electron's V8 does by default; Node 20's V8 (11.3) needs
 * --experimental-wasm-relaxed-simd, set here (process-wide) only when the probe fails without it.
 * ABLATE_WASM_RELAXED=0 turns the relaxed build off (to measure the plain one, or for results
 * that must be the same bits on every platform).
 */
export function wasmRelaxedSupported(): boolean {
  if (relaxed === undefined) {
    relaxed = false;
    if (process.env.ABLATE_WASM_RELAXED !== '0' && wasmSimdSupported()) {
      relaxed = WebAssembly.validate(RELAXED_PROBE);
      if (!relaxed) {
        setFlagsFromString('--experimental-wasm-relaxed-simd');
        relaxed = WebAssembly.validate(RELAXED_PROBE);
      }
    }
  }
  return relaxed;
}

/** The build the wasm set uses in this process: relaxed SIMD where supported, else plain. */
export function wasmVariant(): WasmVariant {
  return wasmRelaxedSupported() ? 'relaxed-simd' : 'simd128';
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
export function createWasmKernels(
  memory: WebAssembly.Memory,
  scratchByteOffset: number,
  scratchBytes: number,
  variant: WasmVariant = wasmVariant(),
): Kernels {
  const buffer = memory.buffer;
  // The module imports a shared memory; a non-shared one would fail to link with a vaguer error.
  if (!(buffer instanceof SharedArrayBuffer))
    throw new TypeError('wasm kernels: the run memory must be shared (createRunMemory(bytes, true))');
  const leastBytes = FLOAT_BLOCK_BYTES + MIN_KERNEL_SCRATCH_BYTES;
  if (scratchByteOffset % 64 !== 0 || scratchByteOffset < RESERVED_LOW_BYTES || scratchBytes < leastBytes) {
    throw new RangeError(
      `wasm kernels: bad scratch region ${scratchByteOffset} + ${scratchBytes} (64-byte aligned, above ${RESERVED_LOW_BYTES}, at least ${leastBytes} bytes)`,
    );
  }
  if (scratchByteOffset + scratchBytes > buffer.byteLength) throw new RangeError('wasm kernels: scratch region outside the memory');
  const instance = new WebAssembly.Instance(compileKernelModule(variant), { env: { memory } });
  // The float block first, then the products' scratch (64-byte aligned: the block is 128 bytes).
  const exports = instance.exports as unknown as ScratchExport;
  exports.set_float_block(scratchByteOffset);
  exports.set_scratch(scratchByteOffset + FLOAT_BLOCK_BYTES, scratchBytes - FLOAT_BLOCK_BYTES);
  // The module's snake_case exports under the contract's names (once per instance, not per call).
  const flat = Object.fromEntries(KERNEL_CONTRACT.map((k) => [k.name, instance.exports[flatExportName(k.name)]])) as unknown as FlatKernels;
  // Floats go through the float block, as for the native set (assembly/floats.ts says why).
  return bindFlatKernels('wasm', flat, viewOffsets('wasm', buffer), new Float64Array(buffer, scratchByteOffset, FLOAT_BLOCK_SLOTS));
}

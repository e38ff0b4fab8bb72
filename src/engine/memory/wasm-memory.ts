/**
 * Run memory backing: one WebAssembly.Memory per run (shared when several threads train it), so
 * TypeScript views and the SIMD kernels see the same bytes without copies.
 *
 * Layout convention inside a run memory:
 *   [0, RESERVED_LOW_BYTES)           the wasm kernel module's own static data (never used by us)
 *   per-thread kernel scratch         KERNEL_SCRATCH_BYTES for each thread of the run's team
 *   the run layout                    parameters, gradients, optimizer state, activations, sync
 */

export const WASM_PAGE = 65536;
export const RESERVED_LOW_BYTES = 65536;
/** Per-thread scratch for the wasm kernels (GEMM packing panels). */
export const KERNEL_SCRATCH_BYTES = 1 << 20;
/** wasm32 addresses at most 4 GiB; V8 allows 65536 pages for shared memories. */
export const MAX_PAGES = 65536;
/** The most one run's memory can hold (4 GiB). */
export const MAX_RUN_MEMORY_BYTES = MAX_PAGES * WASM_PAGE;

export function createRunMemory(byteLength: number, shared: boolean): WebAssembly.Memory {
  const pages = Math.ceil(byteLength / WASM_PAGE);
  if (pages > MAX_PAGES) {
    throw new RangeError(
      `This run needs ${(byteLength / 2 ** 30).toFixed(2)} GiB of memory, more than WebAssembly's 4 GiB; use a smaller batch or model`,
    );
  }
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared });
}

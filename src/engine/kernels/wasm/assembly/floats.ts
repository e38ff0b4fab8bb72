/**
 * The instance's float block: FLOAT_BLOCK_SLOTS doubles in the run memory, inside the thread's
 * scratch (createWasmKernels), where the binding writes each call's float arguments in argument
 * order and passes 0 in their place, as for the native set (contract.ts). A kernel that takes
 * floats reads them from here. JavaScript passes a double into WebAssembly unboxed only where V8
 * knows which function it calls; a thread that trains a second run has a second instance (one per
 * run memory), its calls go through a site that has seen both, and there each double argument
 * was a new heap number (1.4 KB per step for the reference MLP's optimizer update).
 */
let floatBlock: usize = 0;

export function set_float_block(ptr: usize): void {
  floatBlock = ptr;
}

/** The i-th float argument of the current call. */
// @ts-ignore: decorator
@inline export function floatArg(i: i32): f64 {
  return load<f64>(floatBlock + (<usize>i << 3));
}

/**
 * The kernel contract: every hot loop of training, in interchangeable sets. `naive` is plain
 * TypeScript, the reference, its loops kept with the math they implement (layers/, losses/,
 * optim/; gathered in naive.ts); `wasm` is SIMD WebAssembly (wasm/); `native` is C through Node-API
 * with per-CPU instruction sets (native/, C in the repository's native/src). Each kernel's signature is
 * one row of contract.ts, from which the `Kernels` interface is generated (kernels.generated.ts).
 * Tensors are row-major Float32Array views; a compiled set requires every view to lie inside the
 * WebAssembly.Memory it was created for (it passes `byteOffset`s), and never allocates.
 *
 * Determinism contract (the worker pool's bitwise guarantee rests on it):
 *  - Same inputs, same kernel set (and, for native, the same CPU path) -> same bits.
 *  - Partition invariance: the value computed for one output element does not depend on how the
 *    caller splits rows (linearForward, linearBackwardInput, bnApply, bnBackwardInput, elementwise)
 *    or output features (linearForwardFeatures, linearBackwardWeight, bnStats, bnBackwardReduce)
 *    into calls; linearForwardFeatures gives each element the bits linearForward gives it. Every
 *    sum over the batch or the inner dimension runs in an order fixed by the element alone.
 * Row-range calls receive subarray views that start at the first row of the range.
 */
import type { Kernels } from './kernels.generated.js';

export type { Kernels } from './kernels.generated.js';
export type { AdamArgs } from '../optim/adam.js';
export type { AdagradArgs } from '../optim/adagrad.js';
export type { RmspropArgs } from '../optim/rmsprop.js';
export type { SgdArgs } from '../optim/sgd.js';
export type { KernelSetName } from './sets.js';

/**
 * Builds a kernel set on a run memory for the calling thread, as the first (or only) thread of
 * the run's team: it uses the first kernel scratch region (memory/wasm-memory.ts).
 */
export type KernelFactory = (memory: WebAssembly.Memory) => Kernels;

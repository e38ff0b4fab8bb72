/**
 * The kernel sets by name: `naive` (the reference, plain TypeScript), `wasm` (SIMD WebAssembly)
 * and `native` (C through Node-API, per-CPU instruction sets). A name is what a run records and
 * what the config's `execution.kernels` accepts (the vocabulary's list). Plain data, free of Node (part of portable.ts).
 */
import { valuesOf } from '../config/vocabulary/index.js';

export const KERNEL_SETS = valuesOf('execution.kernels');
export type KernelSetName = (typeof KERNEL_SETS)[number];

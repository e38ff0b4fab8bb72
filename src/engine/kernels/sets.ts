/**
 * The kernel sets by name: `naive` (the reference, plain TypeScript) and `wasm` (SIMD
 * WebAssembly). A name is what a run records and what the config's `execution.kernels` accepts.
 * Plain data, free of Node (part of portable.ts).
 */
export type KernelSetName = 'naive' | 'wasm';
export const KERNEL_SETS: readonly KernelSetName[] = ['naive', 'wasm'];

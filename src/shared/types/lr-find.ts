/**
 * What the learning-rate range test of an experiment returns (`ablate lr-find`, the Design tab's
 * "Find a learning rate"): per variant, the engine's curve, stop and suggestion
 * (src/engine/train/lr-range.ts). Plain JSON.
 */
import type { KernelSetName, LrRangeResult } from '../../engine/portable.js';

export type { LrRangeOptions, LrRangePoint, LrRangeResult, LrRule } from '../../engine/portable.js';

export interface LrFindVariant {
  variantId: string;
  label: string;
  result: LrRangeResult;
}

export interface LrFindResult {
  /** The seed every variant's test ran with (the experiment's first). */
  seed: number;
  kernels: KernelSetName;
  /** Rows of the training split the batches come from (the first variant's; data factors may give others their own). */
  trainRows: number;
  variants: LrFindVariant[];
}

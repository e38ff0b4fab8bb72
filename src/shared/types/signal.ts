/**
 * Signal propagation at initialization as the Design tab receives it (src/services/experiments/
 * signal.ts computes it): per variant of the design, the per-layer variances of the forward
 * signal and of the back-propagated gradient on the variant's first training batch, with a
 * one-line reading. Plain JSON.
 */
import type { SignalAtInit } from '../../engine/portable.js';

export interface SignalReading {
  /** std(dLoss/dz at hidden.0) / std(dLoss/dz at the output); 0 when a hidden layer's gradient is exactly 0; null when undefined. */
  gradientRatio: number | null;
  /** The sentence the UI shows. */
  text: string;
}

export interface VariantSignal extends SignalAtInit {
  variantId: string;
  label: string;
  /** The seed whose initial weights and first batch were used (the variant's first). */
  seed: number;
  reading: SignalReading;
}

export interface DesignSignal {
  /** The dataset's name and train split size (the batch is drawn from it). */
  dataset: string;
  trainRows: number;
  /** Measured variants (at most the first 24). */
  variants: VariantSignal[];
  totalVariants: number;
}

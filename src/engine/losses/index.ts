/**
 * The loss registry: the model head decides the loss (softmax -> cross-entropy, sigmoid -> BCE
 * with logits, linear -> MSE). One call computes per-row losses, per-row correctness and (in
 * training) the gradient of the batch-mean loss with respect to the logits.
 */
import type { Head } from '../config/types.js';
import { bceWithLogits } from './bce.js';
import { softmaxCrossEntropy } from './cross-entropy.js';
import { meanSquaredError } from './mse.js';

export type LossName = 'cross_entropy' | 'bce_with_logits' | 'mse';

export const LOSS_OF_HEAD: Record<Head, LossName> = {
  softmax: 'cross_entropy',
  sigmoid: 'bce_with_logits',
  linear: 'mse',
};

export interface LossTargets {
  labels: Int32Array | null; // class indices (rows)
  values: Float32Array | null; // float targets (rows, outputs)
}

export function computeLoss(
  head: Head,
  logits: Float32Array,
  targets: LossTargets,
  dLogits: Float32Array | null,
  rowLoss: Float64Array,
  rowCorrect: Float64Array,
  rows: number,
  outputs: number,
  batch: number,
): void {
  if (head === 'softmax') {
    softmaxCrossEntropy(logits, targets.labels!, dLogits, rowLoss, rowCorrect, rows, outputs, batch);
  } else if (head === 'sigmoid') {
    bceWithLogits(logits, (targets.values ?? targets.labels)!, dLogits, rowLoss, rowCorrect, rows, outputs, batch);
  } else {
    meanSquaredError(logits, targets.values!, dLogits, rowLoss, rowCorrect, rows, outputs, batch);
  }
}

/**
 * Confusion matrices of a classification run: counts[true class][predicted class] over an
 * evaluation split, read from the eval-mode logits of each batch while they are intact (the step
 * program's eval observer). The predicted class is the one the loss scores as correct, so the
 * diagonal over the total is exactly the split's recorded accuracy:
 *   softmax head: argmax of the logits, the first maximum winning (losses/cross-entropy.ts);
 *   sigmoid head with one output and 0/1 labels: class 1 when the logit is > 0 (losses/bce.ts).
 * A sigmoid head with several outputs (multi-label targets) and a linear head have no single
 * predicted class: no matrix. Leader thread only; plain data out.
 */
import type { Head } from '../config/types.js';

export type { ConfusionMatrices } from './outcome.js';

/** Number of classes a confusion matrix has for this head, or null when it has none. */
export function confusionClasses(head: Head, outputs: number): number | null {
  if (head === 'softmax') return outputs;
  if (head === 'sigmoid' && outputs === 1) return 2;
  return null;
}

/** The class a head predicts from one row of logits (same rule as the loss's correctness). */
export function predictedClass(head: Head, logits: ArrayLike<number>, offset: number, outputs: number): number {
  if (head === 'sigmoid') return logits[offset] > 0 ? 1 : 0;
  let max = -Infinity;
  let arg = 0;
  for (let c = 0; c < outputs; c++) {
    const v = logits[offset + c];
    if (v > max) {
      max = v;
      arg = c;
    }
  }
  return arg;
}

export class ConfusionCounter {
  private readonly counts: Float64Array;

  constructor(
    readonly head: Head,
    readonly classes: number,
    private readonly outputs: number,
  ) {
    this.counts = new Float64Array(classes * classes);
  }

  /** Adds rows [0, rows) of a batch: logits (rows, outputs) and their labels. */
  add(logits: Float32Array, labels: Int32Array, rows: number): void {
    const k = this.classes;
    for (let r = 0; r < rows; r++) {
      const truth = labels[r];
      // Labels were checked against the class names when the data was loaded.
      if (truth < 0 || truth >= k) throw new Error(`confusion: label ${truth} outside 0..${k - 1}`);
      this.counts[truth * k + predictedClass(this.head, logits, r * this.outputs, this.outputs)] += 1;
    }
  }

  matrix(): number[][] {
    const k = this.classes;
    return Array.from({ length: k }, (_, i) => Array.from(this.counts.subarray(i * k, (i + 1) * k)));
  }
}

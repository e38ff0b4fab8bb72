/**
 * Early stopping with Keras 3 semantics (keras.callbacks.EarlyStopping), as a pure state machine
 * so every worker of a run reaches the same decision from the same numbers:
 *  - epochs before startFromEpoch (or without the monitored value) are ignored;
 *  - improvement: loss-like `current < best - |minDelta|`, accuracy-like `current > best + |minDelta|`;
 *  - `wait` increments every considered epoch and resets on improvement; stop when
 *    `wait >= patience` and epoch > 0;
 *  - restoreBestWeights keeps the weights of the best epoch (the first considered epoch's weights
 *    when nothing improved) and restores them when training ends, stopped early or not.
 */
import type { ResolvedEarlyStopping } from '../config/defaults.js';

export interface EarlyStoppingDecision {
  /** Save the current weights as the best ones. */
  snapshot: boolean;
  /** Stop training after this epoch. */
  stop: boolean;
}

export class EarlyStopping {
  readonly maximize: boolean;
  best: number;
  bestEpoch = -1;
  wait = 0;
  stoppedEpoch = -1;
  hasSnapshot = false;

  constructor(readonly config: ResolvedEarlyStopping) {
    this.maximize = config.monitor.endsWith('accuracy');
    this.best = this.maximize ? -Infinity : Infinity;
  }

  private isImprovement(current: number, reference: number): boolean {
    const d = Math.abs(this.config.minDelta);
    return this.maximize ? current - d > reference : current + d < reference;
  }

  /** Call after every epoch (0-based) with the monitored value, or undefined when unavailable. */
  onEpochEnd(epoch: number, current: number | undefined): EarlyStoppingDecision {
    if (current === undefined || epoch < this.config.startFromEpoch) return { snapshot: false, stop: false };
    let snapshot = false;
    if (this.config.restoreBestWeights && !this.hasSnapshot) {
      snapshot = true;
      this.hasSnapshot = true;
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      this.wait = 0;
      return { snapshot: this.config.restoreBestWeights, stop: false };
    }
    if (this.wait >= this.config.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      return { snapshot, stop: true };
    }
    return { snapshot, stop: false };
  }

  /** Whether the best weights should be restored when training ends. */
  get shouldRestore(): boolean {
    return this.config.restoreBestWeights && this.hasSnapshot;
  }
}

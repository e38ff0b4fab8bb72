/**
 * Learning-rate schedules, stepped once per epoch (PyTorch lr_scheduler semantics):
 *  constant; step: lr * gamma^floor(epoch / stepSize) (StepLR);
 *  cosine: etaMin + (lr - etaMin) * (1 + cos(pi * epoch / tMax)) / 2 (CosineAnnealingLR closed form,
 *  tMax defaults to the number of epochs); plateau: ReduceLROnPlateau in 'min' mode with relative
 *  threshold. Defaults are PyTorch's, from the config vocabulary (SCHEDULE_DEFAULTS).
 * A pure state machine: every worker of a run computes the same rates.
 */
import { SCHEDULE_DEFAULTS as S } from '../config/defaults.js';
import type { ScheduleConfig } from '../config/types.js';

export class LrSchedule {
  private lr: number;
  private best = Infinity;
  private badEpochs = 0;
  private cooldownLeft = 0;

  constructor(
    private readonly config: ScheduleConfig,
    private readonly baseLr: number,
    private readonly epochs: number,
  ) {
    this.lr = baseLr;
  }

  /** The learning rate to use during `epoch` (0-based). */
  rateForEpoch(epoch: number): number {
    const c = this.config;
    switch (c.name) {
      case 'constant':
        return this.baseLr;
      case 'step':
        return this.baseLr * Math.pow(c.gamma ?? S.gamma, Math.floor(epoch / c.stepSize));
      case 'cosine': {
        const tMax = c.tMax ?? this.epochs;
        const etaMin = c.etaMin ?? S.etaMin;
        return etaMin + ((this.baseLr - etaMin) * (1 + Math.cos((Math.PI * epoch) / tMax))) / 2;
      }
      case 'plateau':
        return this.lr;
    }
  }

  /** Which metric the plateau schedule watches (undefined for the others). */
  get monitor(): 'val_loss' | 'train_loss' | undefined {
    return this.config.name === 'plateau' ? (this.config.monitor ?? S.monitor) : undefined;
  }

  /** Feed the monitored value at the end of an epoch (plateau only). */
  onEpochEnd(metric: number | undefined): void {
    const c = this.config;
    if (c.name !== 'plateau' || metric === undefined) return;
    const threshold = c.threshold ?? S.threshold;
    if (metric < this.best * (1 - threshold)) {
      this.best = metric;
      this.badEpochs = 0;
    } else {
      this.badEpochs += 1;
    }
    if (this.cooldownLeft > 0) {
      this.cooldownLeft -= 1;
      this.badEpochs = 0;
    }
    if (this.badEpochs > (c.patience ?? S.patience)) {
      const next = Math.max(this.lr * (c.factor ?? S.factor), c.minLr ?? S.minLr);
      if (this.lr - next > 1e-8) this.lr = next;
      this.cooldownLeft = c.cooldown ?? S.cooldown;
      this.badEpochs = 0;
    }
  }
}

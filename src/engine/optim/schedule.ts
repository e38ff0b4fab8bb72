/**
 * Learning-rate schedules, stepped once per epoch (PyTorch lr_scheduler semantics):
 *  constant; step: lr * gamma^floor(epoch / stepSize) (StepLR);
 *  cosine: etaMin + (lr - etaMin) * (1 + cos(pi * epoch / tMax)) / 2 (CosineAnnealingLR closed form,
 *  tMax defaults to the epochs after warmup); plateau: ReduceLROnPlateau in 'min' mode with relative
 *  threshold; exponential: lr * gamma^epoch (ExponentialLR); onecycle: OneCycleLR's two cosine
 *  phases with total_steps = epochs (oneCycleRate).
 *  Warmup (train.warmup, W epochs): SequentialLR([LinearLR(startFactor, W), schedule], [W]), so
 *  epoch e < W uses lr * (startFactor + (1 - startFactor) * e / W) and the schedule then runs on
 *  e - W (LinearLR's recursive product equals this closed form to rounding). Validation keeps
 *  warmup away from plateau and onecycle. Defaults are PyTorch's, from the config vocabulary
 *  (SCHEDULE_DEFAULTS).
 * A pure state machine: every worker of a run computes the same rates.
 */
import { SCHEDULE_DEFAULTS as S } from '../config/defaults.js';
import type { ScheduleConfig, WarmupConfig } from '../config/types.js';

/**
 * torch.optim.lr_scheduler.OneCycleLR (1.13, anneal_strategy 'cos', three_phase False) at step
 * `step` of `total`: phase 1 from maxLr / divFactor to maxLr over steps [0, pctStart * total - 1],
 * phase 2 from maxLr to maxLr / divFactor / finalDivFactor over the rest, each
 * end + (start - end) / 2 * (cos(pi * pct) + 1).
 */
export function oneCycleRate(
  maxLr: number,
  step: number,
  total: number,
  pctStart: number,
  divFactor: number,
  finalDivFactor: number,
): number {
  const initial = maxLr / divFactor;
  const min = initial / finalDivFactor;
  const end1 = pctStart * total - 1;
  const [start, from, to, end] = step <= end1 ? [0, initial, maxLr, end1] : [end1, maxLr, min, total - 1];
  const pct = (step - start) / (end - start);
  return to + ((from - to) / 2) * (Math.cos(Math.PI * pct) + 1);
}

export class LrSchedule {
  private lr: number;
  private best = Infinity;
  private badEpochs = 0;
  private cooldownLeft = 0;

  private readonly warmupEpochs: number;

  constructor(
    private readonly config: ScheduleConfig,
    private readonly baseLr: number,
    private readonly epochs: number,
    private readonly warmup: WarmupConfig | null = null,
  ) {
    this.lr = baseLr;
    this.warmupEpochs = warmup?.epochs ?? 0;
  }

  /** The learning rate to use during `epoch` (0-based). */
  rateForEpoch(epoch: number): number {
    const w = this.warmupEpochs;
    if (epoch < w) {
      const f = this.warmup!.startFactor ?? S.warmupStartFactor;
      return this.baseLr * (f + ((1 - f) * epoch) / w);
    }
    return this.scheduleRate(epoch - w);
  }

  /** The schedule's own rate at its epoch `epoch` (after any warmup). */
  private scheduleRate(epoch: number): number {
    const c = this.config;
    switch (c.name) {
      case 'constant':
        return this.baseLr;
      case 'step':
        return this.baseLr * Math.pow(c.gamma ?? S.gamma, Math.floor(epoch / c.stepSize));
      case 'exponential':
        return this.baseLr * Math.pow(c.gamma, epoch);
      case 'onecycle':
        return oneCycleRate(
          this.baseLr,
          epoch,
          this.epochs,
          c.pctStart ?? S.pctStart,
          c.divFactor ?? S.divFactor,
          c.finalDivFactor ?? S.finalDivFactor,
        );
      case 'cosine': {
        const tMax = c.tMax ?? this.epochs - this.warmupEpochs;
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

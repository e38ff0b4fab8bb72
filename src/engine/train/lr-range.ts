/**
 * The learning-rate range test's arithmetic (Smith 2017, "Cyclical learning rates", section 3.3):
 * the rate schedule, the smoothed loss, the explosion rule and the suggested rate. Pure; the
 * training that feeds it is lr-finder.ts.
 *
 *   rate       lr_i = start * (end / start)^(i / (steps - 1)), i = 0 .. steps - 1 (exponential ramp)
 *   smoothed   s_i = a_i / (1 - beta^(i+1)), a_i = beta a_(i-1) + (1 - beta) loss_i, a_(-1) = 0
 *              (exponential moving average with bias correction, beta = 0.98 by default)
 *   explosion  the test stops at the first step whose loss is not finite, or whose smoothed loss
 *              exceeds `factor` (default 4) x the lowest smoothed loss so far
 *   minimum    the lowest smoothed loss, leaving out the first 10% of the steps (fewer when fewer
 *              than 3 points would remain): there the average holds too few batches to compare
 *   suggestion "minimum/10": the rate of the lowest smoothed loss divided by 10 (a rate safely
 *              below the one where the loss stops improving)
 *   steepest   also reported, not suggested: the rate where the smoothed loss falls fastest per
 *              unit of log rate, s'(ln lr) by central differences, at the points after the
 *              left-out ones and before the minimum (null when there is none or the loss never
 *              falls there). On noisy mini-batch losses it often lands on noise, hence not the rule.
 */

export interface LrRangeOptions {
  /** First rate (> 0). */
  start: number;
  /** Last rate (> start). */
  end: number;
  /** Steps from start to end (>= 5). */
  steps: number;
  /** Stop when the smoothed loss exceeds factor x its lowest value (> 1). */
  factor: number;
  /** Smoothing of the loss (0 <= beta < 1). */
  beta: number;
}

export const LR_RANGE_DEFAULTS: LrRangeOptions = { start: 1e-7, end: 10, steps: 100, factor: 4, beta: 0.98 };

export interface LrRangePoint {
  step: number;
  lr: number;
  /** Mean loss of the step's batch, before its update. */
  loss: number;
  /** Bias-corrected exponential moving average of the losses so far. */
  smoothed: number;
}

export type LrRule = 'minimum/10';

export interface LrRangeResult {
  options: LrRangeOptions;
  points: LrRangePoint[];
  /** The step the loss exploded at (its point is the last one), or null when the ramp ended first. */
  explodedAtStep: number | null;
  /** The rate of that step. */
  explosionLr: number | null;
  stopReason: string;
  /** Rate and smoothed loss of the lowest smoothed loss. */
  minimum: { lr: number; smoothed: number } | null;
  /** The lowest smoothed loss's rate / 10. */
  minOverTen: number | null;
  /** The rate of steepest descent of the smoothed loss before its minimum (reported, not suggested). */
  steepest: number | null;
  suggestion: { lr: number; rule: LrRule } | null;
}

export function lrAt(o: Pick<LrRangeOptions, 'start' | 'end' | 'steps'>, i: number): number {
  return o.start * Math.pow(o.end / o.start, i / (o.steps - 1));
}

/** Feeds the losses step by step; `add` returns false once the test must stop. */
export class LrRangeTracker {
  readonly points: LrRangePoint[] = [];
  explodedAtStep: number | null = null;
  stopReason = '';
  private avg = 0;
  private best = Infinity;

  constructor(readonly options: LrRangeOptions) {}

  /** `gradientBad`: the step's gradient was NaN or infinite (the loss may still be finite). */
  add(lr: number, loss: number, gradientBad = false): boolean {
    const i = this.points.length;
    const { beta, factor } = this.options;
    if (!Number.isFinite(loss) || gradientBad) {
      this.points.push({ step: i + 1, lr, loss, smoothed: NaN });
      this.explodedAtStep = i + 1;
      const what = Number.isFinite(loss) ? 'the gradient' : 'the loss';
      this.stopReason = `${what} became NaN or infinite at step ${i + 1}`;
      return false;
    }
    this.avg = beta * this.avg + (1 - beta) * loss;
    const smoothed = this.avg / (1 - Math.pow(beta, i + 1));
    this.points.push({ step: i + 1, lr, loss, smoothed });
    if (smoothed > factor * this.best) {
      this.explodedAtStep = i + 1;
      this.stopReason = `the smoothed loss exceeded ${factor} x its lowest value at step ${i + 1}`;
      return false;
    }
    this.best = Math.min(this.best, smoothed);
    if (i + 1 === this.options.steps)
      this.stopReason = `reached the last rate after ${this.options.steps} steps without the loss exploding`;
    return true;
  }

  result(): LrRangeResult {
    const pts = this.points.filter((p) => Number.isFinite(p.smoothed));
    const skip = Math.min(Math.floor(this.options.steps / 10), Math.max(0, pts.length - 3));
    let m = -1;
    for (let i = skip; i < pts.length; i++) if (m < 0 || pts[i].smoothed < pts[m].smoothed) m = i;
    const minimum = m >= 0 ? { lr: pts[m].lr, smoothed: pts[m].smoothed } : null;
    const minOverTen = minimum ? minimum.lr / 10 : null;
    let steepest: number | null = null;
    let slope = 0;
    // Central differences need a neighbour on each side: points max(1, skip) .. m-1.
    for (let i = Math.max(1, skip); i < Math.min(m, pts.length - 1); i++) {
      const g = (pts[i + 1].smoothed - pts[i - 1].smoothed) / (Math.log(pts[i + 1].lr) - Math.log(pts[i - 1].lr));
      if (g < slope) {
        slope = g;
        steepest = pts[i].lr;
      }
    }
    const suggestion = minOverTen !== null ? { lr: minOverTen, rule: 'minimum/10' as const } : null;
    const exploded = this.explodedAtStep !== null ? this.points[this.explodedAtStep - 1] : null;
    return {
      options: this.options,
      points: this.points,
      explodedAtStep: this.explodedAtStep,
      explosionLr: exploded ? exploded.lr : null,
      stopReason: this.stopReason || `stopped after ${this.points.length} steps`,
      minimum,
      minOverTen,
      steepest,
      suggestion,
    };
  }
}

/** Checks options a person typed; returns the problems, each naming its field. */
export function lrRangeProblems(o: LrRangeOptions): string[] {
  const out: string[] = [];
  if (!(Number.isFinite(o.start) && o.start > 0)) out.push(`start must be a number above 0, got ${o.start}`);
  if (!(Number.isFinite(o.end) && o.end > o.start)) out.push(`end must be a number above start (${o.start}), got ${o.end}`);
  if (!(Number.isInteger(o.steps) && o.steps >= 5 && o.steps <= 100_000))
    out.push(`steps must be a whole number from 5 to 100000, got ${o.steps}`);
  if (!(Number.isFinite(o.factor) && o.factor > 1)) out.push(`factor must be a number above 1, got ${o.factor}`);
  if (!(Number.isFinite(o.beta) && o.beta >= 0 && o.beta < 1)) out.push(`beta must be a number in [0, 1), got ${o.beta}`);
  return out;
}

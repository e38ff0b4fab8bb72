/**
 * Summaries of a run's validation curve, one number per run, so the results table can give them
 * an interval over seeds and a paired difference like any final metric (docs/experiments.md,
 * "Curve summaries"):
 *
 *  - curve.valLossArea, curve.valAccuracyArea: the area under the validation curve over the
 *    epochs the run trained (trapezoid rule, epochs 1..E), divided by its span E - 1: the curve's
 *    mean height, so runs of different lengths compare and an accuracy's area stays in [0, 1]
 *    (with E = 1, the one value). An early-stopped run averages over the epochs it trained.
 *  - curve.epochsToTarget: the first epoch (from 1) whose validation metric reaches the target
 *    (accuracy >= target, or loss <= target without accuracy). A run that never reaches it has no
 *    value; `CurveTarget.reached` counts, per variant, the runs that did (the mean over those is
 *    optimistic when some did not: read it beside the count).
 *  - curve.epochsToBest: the epoch (from 1) of the run's best epoch (the one early stopping
 *    monitors, else the lowest validation loss), from its summary.
 *
 * The default target is a rule, not a magic number: for accuracy, 90% of the highest of the
 * variants' mean best validation accuracies, rounded down to a percent (what the best variant
 * gets to; a variant that never learns never reaches it, and the counts say so); for loss, 110%
 * of the lowest of the variants' mean lowest validation losses, rounded up to 3 significant
 * digits. A caller may give its own. Pure.
 */
import type { CurveTarget } from '../../shared/types/views.js';
import type { EpochRecord } from './epochs.js';
import type { RunSummary } from './types.js';

export const CURVE_SUMMARY_METRICS = ['curve.valLossArea', 'curve.valAccuracyArea', 'curve.epochsToTarget', 'curve.epochsToBest'] as const;

/** A healthy run's summary and its epoch records. */
export interface RunCurve {
  summary: Pick<RunSummary, 'variantId' | 'seed' | 'bestEpoch'>;
  epochs: readonly EpochRecord[];
}

type Point = { x: number; y: number };

/** Mean height of a curve under the trapezoid rule: area / (last x - first x); the value itself for one point; null for none or a non-finite point. */
export function areaPerEpoch(points: readonly Point[]): number | null {
  if (points.length === 0 || points.some((p) => !Number.isFinite(p.y))) return null;
  if (points.length === 1) return points[0].y;
  let area = 0;
  for (let i = 1; i < points.length; i++) area += ((points[i].x - points[i - 1].x) * (points[i].y + points[i - 1].y)) / 2;
  return area / (points[points.length - 1].x - points[0].x);
}

/** The first x at which the curve reaches `target` (>= when higher is better, else <=); null when it never does. */
export function firstReaching(points: readonly Point[], target: number, higherIsBetter: boolean): number | null {
  for (const p of points) if (higherIsBetter ? p.y >= target : p.y <= target) return p.x;
  return null;
}

/** A run's validation curve of `metric`, x the epoch from 1, one point per epoch (the last record wins), sorted. */
export function validationCurve(epochs: readonly EpochRecord[], metric: 'valLoss' | 'valAccuracy'): Point[] {
  const byEpoch = new Map<number, number>();
  for (const e of epochs) {
    const y = e[metric];
    if (typeof y === 'number') byEpoch.set(e.epoch + 1, y);
  }
  return [...byEpoch.entries()].sort(([a], [b]) => a - b).map(([x, y]) => ({ x, y }));
}

/** The default target of curve.epochsToTarget (see the header), or null when no run has a validation curve. */
export function defaultTarget(runs: readonly RunCurve[]): Pick<CurveTarget, 'metric' | 'value' | 'rule'> | null {
  const metric = runs.some((r) => validationCurve(r.epochs, 'valAccuracy').length > 0) ? 'valAccuracy' : 'valLoss';
  const higher = metric === 'valAccuracy';
  const bests = new Map<string, number[]>();
  for (const r of runs) {
    const ys = validationCurve(r.epochs, metric)
      .map((p) => p.y)
      .filter(Number.isFinite);
    if (ys.length === 0) continue;
    const list = bests.get(r.summary.variantId) ?? [];
    list.push(higher ? Math.max(...ys) : Math.min(...ys));
    bests.set(r.summary.variantId, list);
  }
  if (bests.size === 0) return null;
  const means = [...bests.values()].map((v) => v.reduce((a, b) => a + b, 0) / v.length);
  if (higher) {
    const value = Math.floor(0.9 * Math.max(...means) * 100 + 1e-9) / 100;
    return { metric, value, rule: "90% of the best variant's mean best validation accuracy, rounded down to a percent" };
  }
  return {
    metric,
    value: ceilSignificant(1.1 * Math.min(...means), 3),
    rule: "110% of the best variant's mean lowest validation loss, rounded up to 3 significant digits",
  };
}

function ceilSignificant(v: number, digits: number): number {
  if (!(v > 0)) return v;
  const step = 10 ** (Math.floor(Math.log10(v)) - digits + 1);
  return Number((Math.ceil(v / step - 1e-9) * step).toPrecision(digits));
}

/**
 * Every curve summary of every run: metric -> variant id -> seed -> value (runs without the
 * metric absent), and the target used with the runs per variant that reached it.
 */
export function curveSummaryValues(
  runs: readonly RunCurve[],
  target: Pick<CurveTarget, 'metric' | 'value' | 'rule'> | null = defaultTarget(runs),
): { values: Map<string, Map<string, Map<number, number>>>; target: CurveTarget | null } {
  const values = new Map<string, Map<string, Map<number, number>>>(CURVE_SUMMARY_METRICS.map((m) => [m, new Map()]));
  const put = (metric: string, r: RunCurve, v: number | null) => {
    if (v === null || !Number.isFinite(v)) return;
    const byVariant = values.get(metric)!;
    const bySeed = byVariant.get(r.summary.variantId) ?? new Map<number, number>();
    if (bySeed.has(r.summary.seed))
      throw new Error(`curve summaries: two runs of variant ${r.summary.variantId} have seed ${r.summary.seed}`);
    bySeed.set(r.summary.seed, v);
    byVariant.set(r.summary.variantId, bySeed);
  };
  const reached: CurveTarget['reached'] = {};
  for (const r of runs) {
    put('curve.valLossArea', r, areaPerEpoch(validationCurve(r.epochs, 'valLoss')));
    put('curve.valAccuracyArea', r, areaPerEpoch(validationCurve(r.epochs, 'valAccuracy')));
    put('curve.epochsToBest', r, r.summary.bestEpoch === null ? null : r.summary.bestEpoch + 1);
    if (!target) continue;
    const curve = validationCurve(r.epochs, target.metric);
    if (curve.length === 0) continue;
    const at = firstReaching(curve, target.value, target.metric === 'valAccuracy');
    const count = reached[r.summary.variantId] ?? { reached: 0, runs: 0 };
    count.runs++;
    if (at !== null) count.reached++;
    reached[r.summary.variantId] = count;
    put('curve.epochsToTarget', r, at);
  }
  for (const [metric, byVariant] of values) if (byVariant.size === 0) values.delete(metric);
  return { values, target: target ? { ...target, reached } : null };
}

/**
 * Successive halving's stop rule inside a run (the rung decisions of a search's `halving`,
 * src/services/experiments/search/halving.ts, which computes the bars before the run starts from
 * finished runs only). After `epochs` epochs of a rung, the run goes on only when its rung value
 * (the monitored epoch metric, or its best so far) is at least as good as the rung's bar; else it
 * ends as "pruned" after that epoch. Every thread of a team takes the same decision from the same
 * epoch metrics, so the stop and the weights kept are the same bits on any team size. Pure.
 */
import type { EpochMetrics } from './outcome.js';

export const HALVING_METRICS = ['trainLoss', 'trainAccuracy', 'valLoss', 'valAccuracy'] as const;
export type HalvingMetric = (typeof HALVING_METRICS)[number];

export interface HalvingRule {
  metric: HalvingMetric;
  /** Compare the best value so far (true) or the rung epoch's own value (false). */
  best: boolean;
  goal: 'min' | 'max';
  /** Rungs in increasing order of epochs; a null bar lets every run through (nothing to compare with). */
  rungs: Array<{ epochs: number; bar: number | null }>;
}

/** The rung value after the epochs of `history` (null when the metric is missing). */
export function rungValue(rule: Pick<HalvingRule, 'metric' | 'best' | 'goal'>, history: readonly EpochMetrics[]): number | null {
  const values = history.map((m) => m[rule.metric]).filter((v): v is number => typeof v === 'number');
  if (values.length === 0 || values.length !== history.length) return null;
  if (!rule.best) return values[values.length - 1];
  // NaN never counts as best; a run whose every value is NaN has NaN.
  const finite = values.filter((v) => !Number.isNaN(v));
  if (finite.length === 0) return NaN;
  return rule.goal === 'min' ? Math.min(...finite) : Math.max(...finite);
}

/** Whether a value passes a bar: at least as good (ties pass); NaN never passes. */
export function passes(goal: 'min' | 'max', value: number, bar: number): boolean {
  return goal === 'min' ? value <= bar : value >= bar;
}

/**
 * The decision after an epoch: null to go on, else why the run stops (it is at a rung with a bar
 * and its value does not pass).
 */
export function halvingStop(
  rule: HalvingRule,
  history: readonly EpochMetrics[],
): { epochs: number; value: number | null; bar: number } | null {
  const rung = rule.rungs.find((r) => r.epochs === history.length);
  if (!rung || rung.bar === null) return null;
  const value = rungValue(rule, history);
  if (value !== null && passes(rule.goal, value, rung.bar)) return null;
  return { epochs: rung.epochs, value, bar: rung.bar };
}

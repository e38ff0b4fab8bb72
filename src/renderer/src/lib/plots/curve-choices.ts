/**
 * The learning-curve choices in words and defaults: the x axis's title, whether a metric starts on
 * a log scale (norms and ratios do; losses, accuracies and fractions do not) and the scale the
 * user chose for each metric's plot, and the variant filter's matching. Pure.
 */
import type { XAxis } from './run-records.js';

export const X_AXIS_TITLES: Record<XAxis, string> = { step: 'Step', epoch: 'Epoch', time: 'Training time (s)' };

/** The y scale a metric starts on when the user has not chosen one. */
export function defaultLogY(metric: string): boolean {
  if (!metric.startsWith('diag:')) return false;
  const measure = metric.split(':')[1];
  return measure !== 'dead' && measure !== 'zeroFraction';
}

/** The user's y-scale choice per plot (by metric id); a metric without one is on its default. */
export type ScaleChoices = Readonly<Record<string, boolean>>;

/** Whether the plot of `metric` is on a log scale: the user's choice for it, else its default. */
export function logYOf(choices: ScaleChoices, metric: string): boolean {
  return Object.hasOwn(choices, metric) ? choices[metric] : defaultLogY(metric);
}

/** The choices with `metric`'s plot set to log or linear; the other plots keep theirs. */
export function chooseScale(choices: ScaleChoices, metric: string, log: boolean): ScaleChoices {
  return { ...choices, [metric]: log };
}

/** Case-insensitive: every word of the filter appears in the label ("relu l2" matches "relu · l2"). */
export function matchesFilter(label: string, filter: string): boolean {
  const text = label.toLowerCase();
  return filter
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => text.includes(w));
}

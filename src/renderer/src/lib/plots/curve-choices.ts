/**
 * The learning-curve choices in words and defaults: the x axis's title, whether a metric starts on
 * a log scale (norms and ratios do; losses, accuracies and fractions do not), and the variant
 * filter's matching. Pure.
 */
import type { XAxis } from './run-records.js';

export const X_AXIS_TITLES: Record<XAxis, string> = { step: 'Step', epoch: 'Epoch', time: 'Training time (s)' };

/** The y scale a metric starts on when the user has not chosen one. */
export function defaultLogY(metric: string): boolean {
  if (!metric.startsWith('diag:')) return false;
  const measure = metric.split(':')[1];
  return measure !== 'dead' && measure !== 'zeroFraction';
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

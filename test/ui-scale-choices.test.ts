/**
 * Issue 18: the log-scale choice reset when the metric changed. Each plot (metric) keeps its own
 * y-scale choice; a metric the user never set starts on its default (log for norms and ratios,
 * linear for losses, accuracies and fractions).
 */
import { describe, expect, it } from 'vitest';
import { chooseScale, logYOf, type ScaleChoices } from '../src/renderer/src/lib/plots/curve-choices.js';

describe('y-scale choices per plot', () => {
  it('keep each metric its own scale across metric changes', () => {
    let choices: ScaleChoices = {};
    expect(logYOf(choices, 'loss')).toBe(false);
    expect(logYOf(choices, 'diag:gradNorm:0')).toBe(true);
    expect(logYOf(choices, 'diag:dead:1')).toBe(false);

    choices = chooseScale(choices, 'loss', true); // loss on log...
    expect(logYOf(choices, 'accuracy')).toBe(false); // ...accuracy keeps its linear default
    choices = chooseScale(choices, 'diag:gradNorm:0', false); // the gradient norm on linear
    expect(logYOf(choices, 'loss')).toBe(true); // back to loss: still log
    expect(logYOf(choices, 'diag:gradNorm:0')).toBe(false);
    expect(logYOf(choices, 'diag:gradNorm:1')).toBe(true); // another layer's plot: its default
    choices = chooseScale(choices, 'loss', false);
    expect(logYOf(choices, 'loss')).toBe(false);
    expect(logYOf(choices, 'diag:gradNorm:0')).toBe(false);
  });
});

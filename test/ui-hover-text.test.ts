/**
 * Hover text of a mean curve, made once per line and options: the small multiples and the overlay
 * draw the same lines, and rebuilt figures (a highlight) reuse them.
 */
import { describe, expect, it } from 'vitest';
import { bandHoverText } from '../src/renderer/src/lib/plots/hover.js';
import type { PreparedLine } from '../src/renderer/src/lib/plots/curves.js';

const line = (): PreparedLine => ({
  x: [1, 2],
  raw: [0.412, 0.5],
  mean: [0.412, 0.5],
  lower: [0.391, 0.5],
  upper: [0.433, 0.5],
  n: [4, 1],
});

describe('band hover text', () => {
  it('says mean, interval and n per point, and why a one-seed point has no interval', () => {
    expect(bandHoverText(line(), { percent: false, smoothed: false })).toEqual([
      'mean 0.412 · 95% CI 0.391–0.433 · n = 4',
      'mean 0.5 · n = 1 (no interval from one seed)',
    ]);
    expect(bandHoverText(line(), { percent: true, smoothed: true })[0]).toBe('smoothed mean 41.2% · 95% CI 39.1%–43.3% · n = 4');
  });

  it('makes the texts of a line once per options', () => {
    const l = line();
    const a = bandHoverText(l, { percent: false, smoothed: false });
    expect(bandHoverText(l, { percent: false, smoothed: false })).toBe(a);
    const b = bandHoverText(l, { percent: true, smoothed: false });
    expect(b).not.toBe(a);
    expect(b[0]).toBe('mean 41.2% · 95% CI 39.1%–43.3% · n = 4');
    // Another line with equal values is another line.
    expect(bandHoverText(line(), { percent: false, smoothed: false })).not.toBe(a);
  });
});

import { describe, expect, it } from 'vitest';
import { downsample, lttbIndices } from '../src/renderer/src/lib/lttb.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('LTTB downsampling', () => {
  it('keeps every point when the series is no longer than the threshold', () => {
    expect(lttbIndices([0, 1, 2], [1, 2, 3], 10)).toEqual([0, 1, 2]);
    expect(lttbIndices(range(5), range(5), 5)).toEqual(range(5));
  });

  it('returns exactly `threshold` increasing indices, always keeping the first and last point', () => {
    const x = range(10_000);
    const y = x.map((v) => Math.sin(v / 50) + 0.1 * Math.cos(v * 1.7));
    const idx = lttbIndices(x, y, 500);
    expect(idx).toHaveLength(500);
    expect(idx[0]).toBe(0);
    expect(idx[idx.length - 1]).toBe(9999);
    for (let i = 1; i < idx.length; i++) expect(idx[i]).toBeGreaterThan(idx[i - 1]);
  });

  it('keeps a lone spike that uniform striding would drop', () => {
    const x = range(1000);
    const y = x.map((v) => (v === 503 ? 100 : 0));
    const idx = lttbIndices(x, y, 20);
    expect(idx).toContain(503);
  });

  it('never picks a non-finite value when the bucket has a finite one', () => {
    const x = range(100);
    const y = x.map((v) => (v % 2 === 0 ? NaN : v));
    const idx = lttbIndices(x, y, 10);
    for (const i of idx.slice(1, -1)) expect(Number.isFinite(y[i])).toBe(true);
  });

  it('thins several series on the same indices (a band stays aligned with its mean)', () => {
    const x = range(300);
    const mean = x.map((v) => Math.exp(-v / 80));
    const lower = mean.map((v) => v - 0.1);
    const out = downsample(x, [mean, lower], 30);
    expect(out.x).toHaveLength(30);
    out.ys[1].forEach((v, i) => expect(v).toBeCloseTo(out.ys[0][i] - 0.1, 12));
  });

  it('leaves the raw arrays untouched', () => {
    const x = range(200);
    const y = x.map((v) => v * v);
    const copy = y.slice();
    downsample(x, [y], 10);
    expect(y).toEqual(copy);
  });
});

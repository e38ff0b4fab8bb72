import { describe, expect, it } from 'vitest';
import { ema } from '../src/renderer/src/lib/smoothing.js';

describe('EMA smoothing', () => {
  it('is the identity at weight 0 and returns a copy', () => {
    const raw = [3, 1, 2];
    const out = ema(raw, 0);
    expect(out).toEqual(raw);
    expect(out).not.toBe(raw);
  });

  it('is debiased: a constant series stays constant from the first point', () => {
    expect(ema([2, 2, 2, 2], 0.9).every((v) => Math.abs(v - 2) < 1e-12)).toBe(true);
  });

  it('damps noise and keeps the length', () => {
    const raw = Array.from({ length: 200 }, (_, i) => 1 + (i % 2 === 0 ? 0.5 : -0.5));
    const out = ema(raw, 0.9);
    expect(out).toHaveLength(200);
    const tail = out.slice(100);
    expect(Math.max(...tail) - Math.min(...tail)).toBeLessThan(0.2);
  });

  it('passes non-finite values through without poisoning later points', () => {
    const out = ema([1, NaN, 1, Infinity, 1], 0.5);
    expect(out[1]).toBeNaN();
    expect(out[3]).toBe(Infinity);
    expect(out[4]).toBeCloseTo(1, 12);
  });
});

/**
 * Summary statistics of a block of activations or weights: mean, standard deviation (population),
 * fraction of exact zeros, fixed-bin histograms, saturation fractions. Pure functions over
 * Float32Array prefixes, float64 accumulation; any thread.
 */
import type { ActivationName } from '../config/types.js';
import type { Histogram, ValueStats } from './types.js';

export function valueStats(x: Float32Array, n: number): ValueStats {
  if (n === 0) return { mean: 0, std: 0, zeroFraction: 0 };
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    sum += v;
    if (v === 0) zeros++;
  }
  const mean = sum / n;
  let q = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - mean;
    q += d * d;
  }
  return { mean, std: Math.sqrt(q / n), zeroFraction: zeros / n };
}

/** `bins` equal bins over [lo, hi]; values below lo or above hi are counted in the end bins, NaN is skipped. */
export function histogram(x: Float32Array, n: number, bins: number, lo: number, hi: number): Histogram {
  const counts = new Array<number>(bins).fill(0);
  const scale = bins / (hi - lo);
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v !== v) continue;
    let b = Math.floor((v - lo) * scale);
    if (b < 0) b = 0;
    else if (b >= bins) b = bins - 1;
    counts[b]++;
  }
  return { lo, hi, counts };
}

/**
 * Histogram of weights or gradients, whose scale is unknown in advance: `bins` (rounded up to even)
 * equal bins over [-R, R] with R the smallest power of two >= max |x|, so nothing lands outside.
 * Powers of two with an even bin count make the bins of two such histograms nest (each bin of the
 * narrower range lies inside one bin of the wider), so overlays can merge them exactly. Non-finite
 * entries are skipped; all zeros give lo = hi = 0 with every count in bin bins/2 (the one at 0).
 */
export function scaledHistogram(x: Float32Array, bins: number): Histogram {
  const even = bins + (bins % 2);
  let max = 0;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]);
    if (a > max && a !== Infinity) max = a;
  }
  if (max === 0) {
    const counts = new Array<number>(even).fill(0);
    for (let i = 0; i < x.length; i++) if (x[i] === 0) counts[even / 2]++;
    return { lo: 0, hi: 0, counts };
  }
  const r = 2 ** Math.ceil(Math.log2(max));
  const finite = x.filter((v) => Number.isFinite(v));
  return histogram(finite, finite.length, even, -r, r);
}

/** Fraction of outputs in the flat tails of sigmoid (< 0.01 or > 0.99) or tanh (|a| > 0.99); null otherwise. */
export function saturation(activation: ActivationName, a: Float32Array, n: number): number | null {
  if (activation !== 'sigmoid' && activation !== 'tanh') return null;
  if (n === 0) return 0;
  let s = 0;
  if (activation === 'sigmoid') for (let i = 0; i < n; i++) s += a[i] < 0.01 || a[i] > 0.99 ? 1 : 0;
  else for (let i = 0; i < n; i++) s += Math.abs(a[i]) > 0.99 ? 1 : 0;
  return s / n;
}

export function frobenius(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/** ||a - b|| for equal-length arrays. */
export function distance(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    s += d * d;
  }
  return Math.sqrt(s);
}

export function meanOf(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return x.length ? s / x.length : 0;
}

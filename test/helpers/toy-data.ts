/**
 * Small deterministic datasets for engine tests (independent of the data layer): a 2-D spiral
 * with K arms, and a random regression problem. Uses the engine's seeded streams.
 */
import { stream } from '../../src/engine/rng/stream.js';
import type { TrainingData } from '../../src/engine/train/setup.js';

export function spiral(nPerClass: number, classes: number, seed: number, noise = 0.2): { x: Float32Array; y: Int32Array } {
  const rng = stream(seed, 99);
  const n = nPerClass * classes;
  const x = new Float32Array(new SharedArrayBuffer(n * 8));
  const y = new Int32Array(new SharedArrayBuffer(n * 4));
  for (let k = 0; k < classes; k++) {
    for (let i = 0; i < nPerClass; i++) {
      const r = i / nPerClass;
      const t = k * 4 + 4 * r + rng.normal() * noise;
      const j = k * nPerClass + i;
      x[2 * j] = r * Math.sin(t);
      x[2 * j + 1] = r * Math.cos(t);
      y[j] = k;
    }
  }
  return { x, y };
}

/** Splits rows by a seeded shuffle into train/validation/test index arrays. */
export function splitIndices(
  n: number,
  seed: number,
  valFrac: number,
  testFrac: number,
): { train: Int32Array; validation: Int32Array; test: Int32Array } {
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  stream(seed, 98).shuffle(idx);
  const nVal = Math.round(n * valFrac);
  const nTest = Math.round(n * testFrac);
  return { validation: idx.slice(0, nVal), test: idx.slice(nVal, nVal + nTest), train: idx.slice(nVal + nTest) };
}

export function classData(x: Float32Array, y: Int32Array, d: number, seed = 1, valFrac = 0.2, testFrac = 0): TrainingData {
  return { features: x, d, labels: y, values: null, width: 1, ...splitIndices(y.length, seed, valFrac, testFrac) };
}

export function regressionData(n: number, d: number, width: number, seed: number): TrainingData {
  const rng = stream(seed, 97);
  const x = new Float32Array(new SharedArrayBuffer(n * d * 4));
  const v = new Float32Array(new SharedArrayBuffer(n * width * 4));
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  for (let i = 0; i < n; i++) for (let o = 0; o < width; o++) v[i * width + o] = Math.sin(x[i * d] * (o + 1)) + 0.1 * rng.normal();
  return { features: x, d, labels: null, values: v, width, ...splitIndices(n, seed, 0.2, 0) };
}

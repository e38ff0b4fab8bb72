/**
 * Splits and preprocessing: stratified class balance, seeded determinism, partitions; statistics
 * equal to a direct computation on the training rows only (validation and test rows never
 * influence them); the float32 arithmetic contract shared with the ONNX export.
 */
import { describe, expect, it } from 'vitest';
import { makeSynthetic, prepare, sharedFloat32, sharedInt32, type Dataset } from '../src/engine/data/index.js';
import { DataError } from '../src/engine/errors.js';

/** 1,000 rows, 3 features (one constant), classes 70% / 20% / 10% in a scrambled order. */
function imbalanced(): Dataset {
  const n = 1000;
  const features = sharedFloat32(n * 3);
  const labels = sharedInt32(n);
  for (let i = 0; i < n; i++) {
    const j = (i * 379) % n; // a permutation of 0..999
    labels[i] = j < 700 ? 0 : j < 900 ? 1 : 2;
    features[i * 3] = Math.fround(Math.sin(i) * 10 + labels[i]);
    features[i * 3 + 1] = Math.fround((i % 17) * 0.25 - 1);
    features[i * 3 + 2] = 4.5;
  }
  return {
    name: 'imbalanced',
    n,
    d: 3,
    features,
    featureNames: ['a', 'b', 'const'],
    targets: { kind: 'class', labels, classNames: ['big', 'mid', 'small'] },
    provenance: 'test',
  };
}

const counts = (ds: Dataset, idx: Int32Array): number[] => {
  if (ds.targets.kind !== 'class') throw new Error('classes expected');
  const c = new Array(ds.targets.classNames.length).fill(0);
  for (const i of idx) c[ds.targets.labels[i]]++;
  return c;
};

describe('splits', () => {
  it('stratified: every split keeps the class proportions exactly', () => {
    const ds = imbalanced();
    const p = prepare(ds, { validation: 0.1, test: 0.2, seed: 5 });
    expect(p.stratified).toBe(true);
    expect(counts(ds, p.splits.test)).toEqual([140, 40, 20]);
    expect(counts(ds, p.splits.validation)).toEqual([70, 20, 10]);
    expect(counts(ds, p.splits.train)).toEqual([490, 140, 70]);
  });

  it('is a sorted partition of the rows, the same for a seed and different across seeds', () => {
    const ds = imbalanced();
    const a = prepare(ds, { seed: 1 }).splits;
    const all = [...a.train, ...a.validation, ...a.test].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    for (const part of [a.train, a.validation, a.test]) expect(Array.from(part)).toEqual([...part].sort((x, y) => x - y));
    const again = prepare(ds, { seed: 1 }).splits;
    expect(Array.from(again.test)).toEqual(Array.from(a.test));
    const other = prepare(ds, { seed: 2 }).splits;
    expect(Array.from(other.test)).not.toEqual(Array.from(a.test));
  });

  it('plain (stratify: false) takes round(n * fraction) rows', () => {
    const ds = imbalanced();
    const p = prepare(ds, { validation: 0.15, test: 0.05, stratify: false, seed: 3 });
    expect(p.stratified).toBe(false);
    expect([p.splits.train.length, p.splits.validation.length, p.splits.test.length]).toEqual([800, 150, 50]);
  });

  it('keeps at least one training row per class, even for tiny classes', () => {
    const ds = imbalanced();
    if (ds.targets.kind !== 'class') throw new Error();
    ds.targets.labels.fill(0);
    ds.targets.labels[7] = 1; // class 1 has a single row
    const p = prepare(ds, { validation: 0.3, test: 0.3, seed: 0 });
    expect(counts(ds, p.splits.train)[1]).toBe(1);
  });

  it('regression targets split plainly; asking to stratify them is a DataError', () => {
    const ds = makeSynthetic({ kind: 'sine', n: 100, noise: 0, seed: 1 });
    expect(prepare(ds, {}).stratified).toBe(false);
    expect(() => prepare(ds, { stratify: true })).toThrow(DataError);
    expect(() => prepare(ds, { stratify: true })).toThrow(/split\.stratify needs class targets/);
  });

  it('too few rows for the split is a DataError', () => {
    const ds = makeSynthetic({ kind: 'sine', n: 2, noise: 0, seed: 1 });
    expect(() => prepare(ds, { validation: 0.5, test: 0.4 })).toThrow(/2 rows are too few for this split/);
  });
});

describe('preprocessing, fitted on the training rows only', () => {
  it('standardize: mean and population std of the training rows (float64), constant features only shifted', () => {
    const ds = imbalanced();
    const p = prepare(ds, { seed: 4 }, 'standardize');
    if (p.preprocess.kind !== 'standardize') throw new Error();
    const train = p.splits.train;
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (const i of train) s += ds.features[i * 3 + j];
      const mean = s / train.length;
      let q = 0;
      for (const i of train) q += (ds.features[i * 3 + j] - mean) ** 2;
      expect(p.preprocess.mean[j]).toBeCloseTo(mean, 12);
      expect(p.preprocess.std[j]).toBeCloseTo(Math.sqrt(q / train.length), 12);
    }
    expect(p.preprocess.rows).toBe(train.length);
    expect([p.preprocess.std[2], p.preprocess.scale[2], p.preprocess.shift[2]]).toEqual([0, 1, 4.5]);
    // The float32 contract: x' = f32(f32(x - shift) / scale), what ONNX Sub then Div computes.
    for (const i of [0, 1, 500, 999]) {
      for (let j = 0; j < 3; j++) {
        const x = ds.features[i * 3 + j];
        expect(p.features[i * 3 + j]).toBe(Math.fround(Math.fround(x - p.preprocess.shift[j]) / p.preprocess.scale[j]));
      }
    }
    // Standardized training rows have mean ~0 and std ~1.
    let m = 0;
    for (const i of train) m += p.features[i * 3];
    expect(m / train.length).toBeCloseTo(0, 5);
    expect(p.features.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(p.features).not.toBe(ds.features);
  });

  it('validation and test rows do not influence the statistics', () => {
    const ds = imbalanced();
    const before = prepare(ds, { seed: 9 }, 'standardize');
    for (const i of [...before.splits.test, ...before.splits.validation]) ds.features[i * 3] = 1e6;
    const after = prepare(ds, { seed: 9 }, 'standardize');
    expect(after.preprocess).toEqual(before.preprocess);
    const s01 = prepare(ds, { seed: 9 }, 'scale01');
    if (s01.preprocess.kind !== 'scale01') throw new Error();
    expect(s01.preprocess.max[0]).toBeLessThan(100);
    expect(s01.features[before.splits.test[0] * 3]).toBeGreaterThan(1000); // not clipped
  });

  it('scale01: per-feature min/max of the training rows, training values in [0, 1]', () => {
    const ds = imbalanced();
    const p = prepare(ds, { seed: 2 }, 'scale01');
    if (p.preprocess.kind !== 'scale01') throw new Error();
    expect(p.preprocess.fittedOn).toBe('train');
    for (let j = 0; j < 2; j++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (const i of p.splits.train) {
        lo = Math.min(lo, ds.features[i * 3 + j]);
        hi = Math.max(hi, ds.features[i * 3 + j]);
        expect(p.features[i * 3 + j]).toBeGreaterThanOrEqual(0);
        expect(p.features[i * 3 + j]).toBeLessThanOrEqual(1);
      }
      expect([p.preprocess.min[j], p.preprocess.max[j]]).toEqual([lo, hi]);
    }
    expect(p.preprocess.scale[2]).toBe(1); // constant feature
  });

  it('statistics are plain JSON and "none" shares the dataset matrix', () => {
    const ds = imbalanced();
    const p = prepare(ds, { seed: 2 }, 'standardize');
    expect(JSON.parse(JSON.stringify(p.preprocess))).toEqual(p.preprocess);
    const none = prepare(ds, { seed: 2 }, 'none');
    expect(none.preprocess).toEqual({ kind: 'none' });
    expect(none.features).toBe(ds.features);
    expect(none.split).toEqual({ validation: 0.1, test: 0.1, seed: 2 });
  });
});

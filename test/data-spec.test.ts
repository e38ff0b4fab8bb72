/**
 * DataSpec validation: defaults are filled so a saved spec reproduces, and every mistake is
 * reported at once with its field path and the allowed values (one ConfigError).
 */
import { describe, expect, it } from 'vitest';
import { validateDataSpec } from '../src/engine/data/index.js';
import { ConfigError } from '../src/engine/errors.js';

function issues(spec: unknown, path?: string): string[] {
  try {
    validateDataSpec(spec, path);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected a ConfigError');
}

describe('validateDataSpec fills defaults', () => {
  it('mnist: split 0.1/0.1 with seed 0, no preprocessing (pixels are already / 255)', () => {
    expect(validateDataSpec({ source: 'mnist' })).toEqual({
      source: 'mnist',
      split: { validation: 0.1, test: 0.1, seed: 0 },
      preprocess: 'none',
    });
  });

  it('synthetic: noise 0.1, seed 0, 2 classes for classification kinds only', () => {
    expect(validateDataSpec({ source: 'synthetic', kind: 'spiral', n: 1000 })).toMatchObject({ noise: 0.1, seed: 0, classes: 2 });
    const reg = validateDataSpec({ source: 'synthetic', kind: 'friedman1', n: 500, noise: 1 });
    expect(reg).toMatchObject({ kind: 'friedman1', noise: 1, seed: 0 });
    expect(reg).not.toHaveProperty('classes');
  });

  it('csv: last column as target, auto task and header, missing values are errors, one-hot, standardize', () => {
    const spec = validateDataSpec({ source: 'csv', path: 'iris.csv', split: { test: 0.2, stratify: true, seed: 7 } });
    expect(spec).toEqual({
      source: 'csv',
      path: 'iris.csv',
      target: -1,
      task: 'auto',
      missing: 'error',
      categorical: 'onehot',
      header: 'auto',
      split: { validation: 0.1, test: 0.2, stratify: true, seed: 7 },
      preprocess: 'standardize',
    });
  });

  it('is idempotent: a resolved spec validates to itself', () => {
    for (const spec of [
      { source: 'mnist' },
      { source: 'synthetic', kind: 'circles', n: 100, split: { stratify: false } },
      { source: 'synthetic', kind: 'plane', n: 100 },
      { source: 'idx', images: 'a', labels: 'b', classNames: ['x', 'y'] },
      { source: 'csv', path: 'p.csv', target: 'y', delimiter: ';' },
    ]) {
      const once = validateDataSpec(spec);
      expect(validateDataSpec(once)).toEqual(once);
    }
  });

  it('the brief examples validate unchanged', () => {
    expect(() => validateDataSpec({ source: 'synthetic', kind: 'spiral', n: 1000, noise: 0.1, classes: 3, seed: 1 })).not.toThrow();
    expect(() => validateDataSpec({ source: 'idx', images: 'a.gz', labels: 'b.gz' })).not.toThrow();
    expect(() =>
      validateDataSpec({
        source: 'csv',
        path: 'x.csv',
        target: 'species',
        task: 'auto',
        missing: 'error',
        categorical: 'onehot',
        header: 'auto',
      }),
    ).not.toThrow();
  });
});

describe('validateDataSpec reports every mistake with its path and the allowed values', () => {
  it('a non-object and a missing source', () => {
    expect(issues(42)).toEqual(['data: must be an object, got 42']);
    expect(issues({})).toEqual(['data.source: must be one of "mnist", "synthetic", "idx", "csv", got nothing']);
  });

  it('synthetic: kind, n, noise, seed and a typo, all at once', () => {
    expect(issues({ source: 'synthetic', kind: 'moons', n: 1.5, noise: -1, seed: -3, nosie: 0.2 })).toEqual([
      'data.nosie: is not a known field; allowed: source, split, preprocess, trainSize, kind, n, noise, classes, seed',
      'data.kind: must be one of "circles", "xor", "gaussians", "spiral", "sine", "plane", "friedman1", got "moons"',
      'data.n: must be a whole number, got 1.5',
      'data.noise: must be a number at least 0 and at most 100, got -1',
      'data.seed: must be a whole number at least 0 and at most 4294967295, got -3',
    ]);
  });

  it('classes: xor has exactly 2, regression kinds take none, at most 100', () => {
    expect(issues({ source: 'synthetic', kind: 'xor', n: 100, classes: 3 })).toEqual(['data.classes: xor has exactly 2 classes, got 3']);
    expect(issues({ source: 'synthetic', kind: 'sine', n: 100, classes: 2 })).toEqual([
      'data.classes: only classification kinds (circles, xor, gaussians, spiral) take classes; sine is a regression set',
    ]);
    expect(issues({ source: 'synthetic', kind: 'gaussians', n: 100, classes: 101 })).toEqual([
      'data.classes: must be a whole number at least 2 and at most 100, got 101',
    ]);
    expect(issues({ source: 'synthetic', kind: 'spiral', n: 3, classes: 4 })).toEqual([
      'data.n: must be at least the number of classes (4), got 3',
    ]);
  });

  it('split and preprocess', () => {
    expect(issues({ source: 'mnist', split: { validation: 0.5, test: 0.5, stratify: 'yes', folds: 5 }, preprocess: 'zscore' })).toEqual([
      'data.split.folds: is not a known field; allowed: validation, test, stratify, seed',
      'data.split: validation + test must leave rows for training (below 1), got 0.5 + 0.5',
      'data.split.stratify: must be true or false, got "yes"',
      'data.preprocess: must be one of "none", "scale01", "standardize", got "zscore"',
    ]);
  });

  it('idx and csv fields', () => {
    expect(issues({ source: 'idx', images: '', classNames: ['a', 'a'] })).toEqual([
      'data.images: must be a non-empty string, got ""',
      'data.labels: must be a non-empty string, got nothing',
      'data.classNames[1]: repeats the name "a"; class names must be distinct',
    ]);
    expect(
      issues({
        source: 'csv',
        path: 'x.csv',
        target: 1.5,
        task: 'ranking',
        missing: 'mean',
        categorical: 'ordinal',
        header: 'yes',
        delimiter: '::',
      }),
    ).toEqual([
      'data.target: must be a column name or a whole-number column index (0-based; -1 is the last column), got 1.5',
      'data.task: must be one of "auto", "classification", "regression", got "ranking"',
      'data.missing: must be one of "error", "drop", got "mean"',
      'data.categorical: must be one of "onehot", "error", got "ordinal"',
      'data.header: must be "auto", true or false, got "yes"',
      'data.delimiter: must be one of ",", ";", "\\t", "|", " ", got "::"',
    ]);
  });

  it('uses the caller path prefix', () => {
    expect(issues({ source: 'synthetic', kind: 'xor' }, 'experiment.data')).toEqual([
      'experiment.data.n: must be a finite number, got nothing',
    ]);
  });
});

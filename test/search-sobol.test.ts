/**
 * The Sobol points of search.method "sobol" against PyTorch's and SciPy's (recorded by
 * scripts/record-sobol-reference.py, which checks the two agree), and against the published first
 * points of the sequence written out by hand.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SOBOL_MAX_DIMENSIONS, sobolPoint } from '../src/services/experiments/search/sobol.js';

const reference = JSON.parse(readFileSync(new URL('./fixtures/sobol-reference.json', import.meta.url), 'utf8')) as {
  dimensions: number;
  first: number[][];
  laterStart: number;
  later: number[][];
};

describe('Sobol sequence (Joe-Kuo direction numbers)', () => {
  it('starts with the published points', () => {
    // Dimension 1 is van der Corput's; dimension 2 (s=1, m=1) and 3 (s=2, a=1, m=1,3) as in Joe & Kuo's paper.
    const expected = [
      [0, 0, 0],
      [0.5, 0.5, 0.5],
      [0.75, 0.25, 0.25],
      [0.25, 0.75, 0.75],
      [0.375, 0.375, 0.625],
      [0.875, 0.875, 0.125],
      [0.625, 0.125, 0.875],
      [0.125, 0.625, 0.375],
    ];
    expected.forEach((point, i) => expect(sobolPoint(i, 3)).toEqual(point));
  });

  it('equals PyTorch and SciPy on the first 256 points in 32 dimensions', () => {
    expect(SOBOL_MAX_DIMENSIONS).toBe(reference.dimensions);
    reference.first.forEach((point, i) => expect(sobolPoint(i, reference.dimensions)).toEqual(point));
  });

  it('computes a later point on its own (no state), equal to the references', () => {
    reference.later.forEach((point, k) => expect(sobolPoint(reference.laterStart + k, reference.dimensions)).toEqual(point));
  });

  it('refuses what it does not have', () => {
    expect(() => sobolPoint(0, SOBOL_MAX_DIMENSIONS + 1)).toThrow(/dimensions must be 1 to 32/);
    expect(() => sobolPoint(-1, 2)).toThrow(/index/);
  });
});

import { describe, expect, it } from 'vitest';
import type { Variant } from '../src/shared/api.js';
import { axisSuffix, cellDomain, factorKeys, smallMultiplesGrid, valueLabel } from '../src/renderer/src/lib/grid.js';

const variant = (factors: Record<string, unknown>): Variant => ({
  id: Object.entries(factors)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(','),
  label: Object.values(factors).map(String).join(' · '),
  factors,
});

describe('small-multiples grid', () => {
  it('puts the first factor on rows and the second on columns', () => {
    const vs = ['sigmoid', 'relu', 'elu'].flatMap((a) => ['none', 'dropout-0.2'].map((r) => variant({ activation: a, regularizer: r })));
    const g = smallMultiplesGrid(vs);
    expect(g.rows).toBe(3);
    expect(g.cols).toBe(2);
    expect(g.rowLabels).toEqual(['sigmoid', 'relu', 'elu']);
    expect(g.colLabels).toEqual(['none', 'dropout-0.2']);
    const cell = g.cells.find((c) => c.variantId === 'activation=elu,regularizer=dropout-0.2');
    expect(cell).toMatchObject({ row: 2, col: 1 });
  });

  it('folds a third factor into the columns', () => {
    const vs = ['a', 'b'].flatMap((x) => ['1', '2'].flatMap((y) => ['p', 'q'].map((z) => variant({ x, y, z }))));
    const g = smallMultiplesGrid(vs);
    expect(g.rows).toBe(2);
    expect(g.cols).toBe(4);
    expect(g.colLabels).toContain('2 · q');
  });

  it('wraps one factor into rows of at most four (five fit on one row)', () => {
    const five = ['none', 'l2', 'dropout', 'bn', 'es'].map((r) => variant({ regularizer: r }));
    expect(smallMultiplesGrid(five)).toMatchObject({ rows: 1, cols: 5, rowLabels: null });
    const seven = Array.from({ length: 7 }, (_, i) => variant({ width: i }));
    const g = smallMultiplesGrid(seven);
    expect(g).toMatchObject({ rows: 2, cols: 4 });
    expect(g.cells[6]).toMatchObject({ row: 1, col: 2 });
  });

  it('handles no variants and the base-only experiment', () => {
    expect(smallMultiplesGrid([]).rows).toBe(0);
    expect(smallMultiplesGrid([{ id: 'base', label: 'base', factors: {} }])).toMatchObject({ rows: 1, cols: 1 });
  });

  it('names axes row-major and lays out cells inside the paper', () => {
    expect(axisSuffix(0, 0, 3)).toBe('');
    expect(axisSuffix(1, 2, 3)).toBe('6');
    const d = cellDomain(1, 1, 2, 2);
    expect(d.x[0]).toBeGreaterThan(0.5);
    expect(d.y[1]).toBeLessThan(0.5);
    expect(cellDomain(0, 0, 1, 1)).toEqual({ x: [0, 1], y: [0, 1] });
  });

  it('labels values and collects keys in first-seen order', () => {
    expect(valueLabel(0.2)).toBe('0.2');
    expect(valueLabel({ kind: 'norm' })).toBe('{"kind":"norm"}');
    expect(factorKeys([variant({ b: 1 }), variant({ b: 2, a: 1 })])).toEqual(['b', 'a']);
  });
});

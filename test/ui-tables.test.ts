import { describe, expect, it } from 'vitest';
import type { Comparison, VariantResult } from '../src/shared/api.js';
import { latexEscape, resultsCsv, resultsTextTable, sortResults, toLatex, toMarkdown } from '../src/renderer/src/lib/tables.js';
import { excludesZero } from '../src/renderer/src/lib/stats.js';

const iv = (mean: number, half: number | null, n = 3) => ({
  mean,
  sd: half,
  lower: half === null ? null : mean - half,
  upper: half === null ? null : mean + half,
  n,
});

const row = (id: string, loss: number, acc: number, diff: VariantResult['vsBaseline']): VariantResult => ({
  variantId: id,
  label: id,
  metrics: { 'final.valLoss': iv(loss, 0.01), 'best.valAccuracy': iv(acc, 0.005) },
  vsBaseline: diff,
  statuses: { completed: 3 },
});

const cmp: Comparison = {
  baseline: 'sigmoid',
  metrics: ['final.valLoss', 'best.valAccuracy'],
  variants: [
    row('sigmoid', 0.4, 0.9, null),
    row('relu', 0.2, 0.97, { 'final.valLoss': { ...iv(-0.2, 0.03), p: 0.001 }, 'best.valAccuracy': { ...iv(0.07, 0.01), p: 0.002 } }),
    row('elu, "fast"', 0.39, 0.91, { 'final.valLoss': { ...iv(-0.01, 0.05), p: 0.6 }, 'best.valAccuracy': { ...iv(0.01, 0.02), p: 0.4 } }),
  ],
  curves: {},
};

describe('results table', () => {
  it('sorts by a metric in either direction and by label', () => {
    expect(sortResults(cmp.variants, 'final.valLoss', 'asc').map((r) => r.variantId)).toEqual(['relu', 'elu, "fast"', 'sigmoid']);
    expect(sortResults(cmp.variants, 'best.valAccuracy', 'desc')[0].variantId).toBe('relu');
    expect(sortResults(cmp.variants, 'label', 'asc')[0].variantId).toBe('elu, "fast"');
  });

  it('puts rows without the metric last whatever the direction', () => {
    const missing = { ...row('x', 0, 0, null), metrics: {} };
    expect(sortResults([missing, ...cmp.variants], 'final.valLoss', 'desc').at(-1)?.variantId).toBe('x');
    expect(sortResults([missing, ...cmp.variants], 'final.valLoss', 'asc').at(-1)?.variantId).toBe('x');
  });

  it('emphasizes only differences whose interval excludes zero', () => {
    expect(excludesZero({ lower: -0.23, upper: -0.17 })).toBe(true);
    expect(excludesZero({ lower: -0.06, upper: 0.04 })).toBe(false);
    expect(excludesZero({ lower: null, upper: null })).toBe(false);
    const t = resultsTextTable(cmp, cmp.metrics);
    expect(t.headers[0]).toBe('Variant');
    expect(t.rows[0][0]).toBe('sigmoid (baseline)');
    expect(t.emphasis.has('1:3')).toBe(true);
    expect(t.emphasis.has('2:3')).toBe(false);
  });

  it('writes CSV with raw numbers and quotes fields that need it', () => {
    const csv = resultsCsv(cmp, cmp.metrics);
    const lines = csv.trim().split('\n');
    expect(lines[0]).toContain('final.valLoss_mean');
    expect(lines[2].startsWith('relu,relu,no,0.2,')).toBe(true);
    expect(lines[3].startsWith('"elu, ""fast""","elu, ""fast"""')).toBe(true);
    expect(lines[1]).toContain(',yes,');
  });

  it('writes Markdown with bold significant cells', () => {
    const md = toMarkdown(resultsTextTable(cmp, cmp.metrics));
    const lines = md.trim().split('\n');
    expect(lines[1]).toMatch(/^\| :--- \|( ---: \|)+$/);
    expect(lines[3]).toContain('**');
    expect(lines[4]).not.toContain('**');
  });

  it('writes a booktabs LaTeX table with escaped text', () => {
    const tex = toLatex(resultsTextTable(cmp, cmp.metrics), 'Mean [95% CI] over 3 seeds');
    expect(tex).toContain('\\toprule');
    expect(tex).toContain('\\textbf{');
    expect(tex).toContain('95\\% CI');
    expect(latexEscape('a_b & 50%')).toBe('a\\_b \\& 50\\%');
    expect(latexEscape('−0.2')).toBe('$-$0.2');
  });
});

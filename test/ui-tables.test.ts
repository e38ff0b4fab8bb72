import { describe, expect, it } from 'vitest';
import type { Comparison, VariantResult } from '../src/shared/api.js';
import {
  fmtCell,
  fmtDiffCell,
  latexEscape,
  resultsCsv,
  resultsTextTable,
  sortResults,
  toLatex,
  toMarkdown,
} from '../src/renderer/src/lib/tables.js';
import { seedAdvice } from '../src/renderer/src/lib/advice.js';
import { excludesZero } from '../src/renderer/src/lib/stats.js';

const iv = (mean: number, half: number | null, n = 3) => ({
  mean,
  sd: half,
  lower: half === null ? null : mean - half,
  upper: half === null ? null : mean + half,
  n,
  method: half === null ? null : ('t' as const),
});
const diff = (mean: number, half: number, p: number) => ({ ...iv(mean, half), p, pHolm: null, dz: null, seedsFor80: null });

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
    row('relu', 0.2, 0.97, { 'final.valLoss': diff(-0.2, 0.03, 0.001), 'best.valAccuracy': diff(0.07, 0.01, 0.002) }),
    row('elu, "fast"', 0.39, 0.91, { 'final.valLoss': diff(-0.01, 0.05, 0.6), 'best.valAccuracy': diff(0.01, 0.02, 0.4) }),
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

describe('results cells: n, few seeds, Holm and effect size', () => {
  it('prints n in every cell and flags fewer than 3 seeds', () => {
    expect(fmtCell('final.valLoss', iv(0.4, 0.01, 3))).toBe('0.4 [0.39, 0.41], n = 3');
    expect(fmtCell('best.valAccuracy', iv(0.9, 0.01, 2))).toBe('90.0% [89.0%, 91.0%], n = 2 (few seeds)');
    expect(fmtCell('best.valAccuracy', undefined)).toBe('—');
  });

  it('prints the raw and the Holm-adjusted p-value and d_z beside a difference', () => {
    const d = { ...diff(-0.2, 0.03, 0.0004), pHolm: 0.0012, dz: -4.2 };
    expect(fmtDiffCell('final.valLoss', d)).toBe('−0.2 [−0.23, −0.17], p = <0.001, Holm p = 0.001, d_z = −4.2');
  });

  it('puts n, method, Holm p, d_z and the advised seeds in the CSV', () => {
    const head = resultsCsv(cmp, ['final.valLoss']).split('\n')[0].split(',');
    expect(head).toEqual([
      'variant_id',
      'label',
      'baseline',
      'final.valLoss_mean',
      'final.valLoss_lower',
      'final.valLoss_upper',
      'final.valLoss_n',
      'final.valLoss_method',
      'diff_final.valLoss_mean',
      'diff_final.valLoss_lower',
      'diff_final.valLoss_upper',
      'diff_final.valLoss_n',
      'diff_final.valLoss_test',
      'diff_final.valLoss_n_baseline',
      'diff_final.valLoss_df',
      'diff_final.valLoss_p',
      'diff_final.valLoss_p_holm',
      'diff_final.valLoss_dz',
      'diff_final.valLoss_seeds_for_80',
    ]);
  });
});

describe('copies say why a cell has no figure, and which differences are unpaired', () => {
  // sigmoid is the baseline; relu is paired; far shares no seed with the baseline (Welch, 4 vs 3
  // seeds); lone ran one seed and has no accuracy.
  const welch = {
    ...diff(0.124, 0.09, 0.0172),
    lower: 0.0331,
    upper: 0.2152,
    test: 'welch' as const,
    n: 4,
    nBaseline: 3,
    df: 4.974153914100945,
    pHolm: 0.0344,
  };
  const noted: Comparison = {
    ...cmp,
    variants: [
      cmp.variants[0],
      cmp.variants[1],
      { ...row('far', 0.52, 0.9, { 'final.valLoss': welch, 'best.valAccuracy': null }), metrics: { 'final.valLoss': iv(0.52, 0.05, 4) } },
      {
        ...row('lone', 0.45, 0.9, {
          'final.valLoss': { ...diff(0.05, 0, 0), lower: null, upper: null, p: null, n: 1 },
          'best.valAccuracy': null,
        }),
        metrics: { 'final.valLoss': iv(0.45, null, 1) },
      },
    ],
  };
  const t = resultsTextTable(noted, noted.metrics);

  it('letters every empty or bare cell once per reason, in order of appearance', () => {
    expect(t.notes).toEqual([
      { mark: 'a', text: 'the baseline: the differences are to this row' },
      { mark: 'b', text: 'no run of this variant that ended healthy has this metric' },
      {
        mark: 'c',
        text: "unpaired: no seed in common with the baseline, so the difference of the two means with Welch's t-interval and test (unequal variances, Welch–Satterthwaite degrees of freedom); n: this variant's seeds vs the baseline's",
      },
      { mark: 'd', text: 'one seed (n = 1): no standard deviation or interval' },
      { mark: 'e', text: 'one seed pair: no interval or test' },
    ]);
    // Columns: variant, 2 metrics, 2 differences.
    expect([t.marks.get('0:3'), t.marks.get('0:4'), t.marks.get('0:1')]).toEqual(['a', 'a', undefined]);
    expect([t.marks.get('2:3'), t.marks.get('2:2'), t.marks.get('2:4')]).toEqual(['c', 'b', 'b']);
    expect([t.marks.get('3:1'), t.marks.get('3:3')]).toEqual(['d', 'e']);
    expect(t.marks.has('1:3')).toBe(false);
    expect(t.rows[2][3]).toBe('+0.124 [+0.0331, +0.215], unpaired (Welch), n = 4 vs 3, df = 4.97, p = 0.017, Holm p = 0.034');
  });

  it('puts the letters in the Markdown cells and the legend under the table', () => {
    const md = toMarkdown(t).trim().split('\n');
    expect(md[2]).toMatch(/^\| sigmoid \(baseline\) \| .* \| — \(a\) \| — \(a\) \|$/);
    expect(md[4]).toContain('| **+0.124 [+0.0331, +0.215], unpaired (Welch), n = 4 vs 3, df = 4.97, p = 0.017, Holm p = 0.034** (c) |');
    expect(md[4]).toContain('| — (b) |');
    expect(md.slice(-5)).toEqual(t.notes.map((n) => `- (${n.mark}) ${n.text}`));
    expect(md[md.length - 6]).toBe('');
  });

  it('puts the letters as superscripts in LaTeX and the legend under the tabular', () => {
    const tex = toLatex(t, 'caption');
    expect(tex).toContain('---\\textsuperscript{a} & ---\\textsuperscript{a} \\\\');
    expect(tex).toContain('\\textsuperscript{d}~one seed (n = 1): no standard deviation or interval\\par');
    expect(tex).toContain('Welch--Satterthwaite');
    expect(tex.indexOf('\\end{tabular}')).toBeLessThan(tex.indexOf('\\textsuperscript{a}~the baseline'));
  });

  it('labels the unpaired difference in the CSV: test, seeds on each side, degrees of freedom', () => {
    const lines = resultsCsv(noted, ['final.valLoss']).trim().split('\n');
    const head = lines[0].split(',');
    const far = lines[3].split(',');
    const relu = lines[2].split(',');
    expect(far[head.indexOf('diff_final.valLoss_test')]).toBe('welch');
    expect(far[head.indexOf('diff_final.valLoss_n')]).toBe('4');
    expect(far[head.indexOf('diff_final.valLoss_n_baseline')]).toBe('3');
    expect(far[head.indexOf('diff_final.valLoss_df')]).toBe('4.974153914100945');
    expect(relu[head.indexOf('diff_final.valLoss_test')]).toBe('paired');
    expect(relu[head.indexOf('diff_final.valLoss_df')]).toBe('');
  });

  it("takes the caller's reason for an empty difference", () => {
    const why = resultsTextTable(noted, noted.metrics, noted.variants, (r, m) =>
      r.variantId === 'far' && m === 'best.valAccuracy' ? 'no seed in common' : null,
    );
    expect(why.notes.find((n) => n.mark === why.marks.get('2:4'))!.text).toBe('no seed in common');
  });
});

describe('seed-count advice', () => {
  // Paired differences with mean 0.05 and sd 0.1 over 3 seeds: d_z = 0.5, which statsmodels'
  // TTestPower solves to n = 33.37 for 80% power (test/fixtures/stats-reference.json): 34 seeds.
  const advised: Comparison = {
    ...cmp,
    variants: [
      cmp.variants[0],
      { ...cmp.variants[1], vsBaseline: { 'final.valLoss': { ...diff(0.05, 0.2, 0.5), sd: 0.1 } } },
      { ...cmp.variants[2], vsBaseline: { 'final.valLoss': { ...diff(0.05, 0.2, 0.5), sd: 0, n: 3 } } },
    ],
  };

  it('advises the seeds for the observed difference, or for a chosen one', () => {
    const [relu, elu] = seedAdvice(advised, 'final.valLoss', null);
    expect(relu).toMatchObject({ variantId: 'relu', delta: 0.05, sd: 0.1, pairs: 3, seeds: 34, reason: null });
    expect(elu.seeds).toBeNull();
    expect(elu.reason).toMatch(/no spread/);
    // d_z = 1.0 -> n = 9.94 -> 10 seeds.
    expect(seedAdvice(advised, 'final.valLoss', 0.1)[0].seeds).toBe(10);
  });

  it('gives no advice without two paired seeds', () => {
    const one = {
      ...advised,
      variants: [cmp.variants[0], { ...cmp.variants[1], vsBaseline: { 'final.valLoss': { ...diff(0.05, 0.2, 0.5), n: 1, sd: null } } }],
    };
    expect(seedAdvice(one, 'final.valLoss', null)[0].reason).toMatch(/at least 2 seeds/);
  });
});

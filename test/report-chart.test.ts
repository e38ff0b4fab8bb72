/**
 * The report's SVG line charts against coordinates worked out by hand: 560 x 320 canvas, plot
 * area x from 64 to 434 (the legend to its right) and y from 276 (bottom) to 30 (top); tick values
 * by the 1-2-5 rule.
 */
import { describe, expect, it } from 'vitest';
import { averageHistograms, averageSignal, fractions } from '../src/services/report/report-data.js';
import { densitySteps } from '../src/services/report/report-figures.js';
import { gradientRatioText, signalRatioText } from '../src/services/report/report-html.js';
import { lineChart, niceTicks } from '../src/services/report/svg-chart.js';

const points = (svg: string, tag: 'polyline' | 'polygon') =>
  [...svg.matchAll(new RegExp(`<${tag}[^>]* points="([^"]+)"`, 'g'))].map((m) => m[1]);

describe('nice ticks', () => {
  it('steps by 1, 2 or 5 times a power of ten inside the range', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(1, 8)).toEqual([2, 4, 6, 8]);
    expect(niceTicks(0.13, 0.47)).toEqual([0.2, 0.3, 0.4]);
    // 6 / 5 = 1.2 per tick rounds up to a step of 2.
    expect(niceTicks(-3, 3)).toEqual([-2, 0, 2]);
    expect(niceTicks(2, 2)).toEqual([2]);
  });
});

describe('line chart', () => {
  it('places the mean line and the band where the scales put them', () => {
    const svg = lineChart([{ label: 'a', color: '#0072B2', x: [1, 2, 3], y: [0, 0.5, 1], lower: [0, 0.25, 0.8], upper: [0.2, 0.75, 1] }], {
      title: 't',
      xLabel: 'epoch',
      yLabel: 'y',
    });
    // x: 1..3 onto 64..434 (185 per unit); y: 0..1 onto 276..30 (246 per unit).
    expect(points(svg, 'polyline')).toEqual(['64,276 249,153 434,30']);
    // Upper bound left to right, then lower bound right to left.
    expect(points(svg, 'polygon')).toEqual(['64,226.8 249,91.5 434,30 434,79.2 249,214.5 64,276']);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 560 320"/);
  });

  it('breaks the line at a non-finite point', () => {
    const svg = lineChart([{ label: 'a', color: '#000', x: [1, 2, 3, 4, 5], y: [1, 2, Number.NaN, 4, 5] }], {
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
    });
    expect(points(svg, 'polyline')).toHaveLength(2);
  });

  it('plots a log y axis with powers of ten and leaves out values <= 0', () => {
    const svg = lineChart([{ label: 'a', color: '#000', x: [1, 2, 3, 4], y: [1, 10, 100, 0] }], {
      title: 't',
      xLabel: 'x',
      yLabel: 'g',
      yLog: true,
    });
    // log10: 0, 1, 2 onto 276..30: 276, 153, 30; x 1..4 (ticks 1..4 by 0.5) onto 64..434: 64, 187.33, 310.67.
    expect(points(svg, 'polyline')).toEqual(['64,276 187.33,153 310.67,30']);
    for (const label of ['>1<', '>10<', '>100<']) expect(svg).toContain(label);
    expect(svg).toContain('g (log scale)');
  });

  it('keeps the legend outside the plot and shortens long names', () => {
    const svg = lineChart([{ label: 'regularizer=dropout-0.5', color: '#000', x: [1, 2], y: [1, 2] }], {
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
    });
    // Plot ends at 560 - 16 - 110 = 434; the key starts 8 further, its text 26 further; first row at 30 + 10.
    expect(svg).toContain('<text x="460" y="40"><title>regularizer=dropout-0.5</title>regularizer=drop…</text>');
  });

  it('escapes text and says when there is nothing to plot', () => {
    const svg = lineChart([{ label: 'a<b & "c"', color: '#000', x: [1, 2], y: [1, 2] }], { title: 'x', xLabel: 'x', yLabel: 'y' });
    expect(svg).toContain('a&lt;b &amp; &quot;c&quot;');
    expect(lineChart([], { title: 'empty', xLabel: 'x', yLabel: 'y' })).toContain('no data');
  });
});

describe('the signal-at-initialization words', () => {
  it('compares layer 1’s gradient norm with the output layer’s', () => {
    expect(gradientRatioText([0.002, 0.1, 1])).toBe('500x smaller');
    expect(gradientRatioText([3, 1.5])).toBe('2x larger');
    expect(gradientRatioText([1, 1])).toBe('1x larger');
    expect(gradientRatioText([0, 1])).toBe('zero: no gradient reaches layer 1'); // a zeros init
    expect(gradientRatioText([0, 0])).toBe('—');
    expect(gradientRatioText([1])).toBe('—');
  });
});

describe('the stored signal at initialization', () => {
  const layer = (name: string, gradVar: number, activationVar: number | null) => ({
    layer: 0,
    name,
    width: 4,
    preActivationVar: 1,
    activationVar,
    gradVar,
  });
  const record = (g0: number, gOut: number, a0: number) =>
    ({
      kind: 'signal',
      step: 0,
      epoch: 0,
      rows: 32,
      batch: 'first-training-batch',
      loss: 1,
      layers: [layer('hidden.0', g0, a0), layer('output', gOut, null)],
    }) as never;

  it('averages the variances over runs, and compares standard deviations', () => {
    // Runs with Var(dL/dz) 0.0001 and 0.0003 at layer 1 (mean 0.0002), 0.02 and 0.06 at the output (mean 0.04):
    // the standard deviation ratio is sqrt(0.0002 / 0.04) = 1 / sqrt(200) = 1 / 14.142...
    const avg = averageSignal([record(0.0001, 0.02, 0.5), record(0.0003, 0.06, 1.5)])!;
    expect(avg.gradVar[0]).toBeCloseTo(0.0002, 12);
    expect(avg.gradVar[1]).toBeCloseTo(0.04, 12);
    expect(avg.activationVar).toEqual([1, null]);
    expect(avg.runs).toBe(2);
    expect(signalRatioText(avg.gradVar)).toBe('14.1x smaller');
    expect(signalRatioText([4, 1])).toBe('2x larger');
    expect(signalRatioText([0, 1])).toBe('zero: no gradient reaches layer 1');
    expect(averageSignal([])).toBeNull();
  });
});

describe('activation distributions across variants', () => {
  const diag = (step: number, lo: number, hi: number, counts: number[]) =>
    ({ kind: 'diag', step, epoch: 0, gradNorm: 1, clipCoef: 1, layers: [{ histogram: { lo, hi, counts } }] }) as never;

  it('turns counts into a density over the bin edges', () => {
    // Counts 1 and 3 over [0, 2]: fractions 0.25 and 0.75, bins 1 wide.
    expect(fractions([1, 3])).toEqual([0.25, 0.75]);
    expect(densitySteps(0, 2, [0.25, 0.75])).toEqual({ x: [0, 1, 1, 2], y: [0.25, 0.25, 0.75, 0.75] });
    // Bins 0.5 wide: density is fraction / 0.5.
    expect(densitySteps(-1, 0, [0.5, 0.5]).y).toEqual([1, 1, 1, 1]);
    expect(fractions([0, 0])).toEqual([0, 0]);
  });

  it('averages the runs’ fractions bin by bin, leaving out runs with other bins', () => {
    const avg = averageHistograms([diag(40, 0, 1, [1, 3]), diag(40, 0, 1, [2, 2]), diag(40, -1, 1, [4, 0])], 0);
    // (0.25 + 0.5) / 2 and (0.75 + 0.5) / 2.
    expect(avg).toEqual({ step: 40, lo: 0, hi: 1, fraction: [0.375, 0.625], runs: 2 });
    expect(averageHistograms([diag(40, 0, 1, [1]), diag(41, 0, 1, [1])], 0)!.step).toBeNull();
    expect(averageHistograms([], 0)).toBeNull();
  });
});

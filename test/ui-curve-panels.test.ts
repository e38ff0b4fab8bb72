/**
 * The learning curves' small multiples as one plot per variant (curvePanels): every panel shows
 * the same x and y ranges, computed here by hand from the lines' values, and only its own
 * variant's traces; the ranges follow the zoom, the scale, the smoothing and the seeds choice.
 */
import { describe, expect, it } from 'vitest';
import type { Variant } from '../src/shared/api.js';
import { smallMultiplesGrid } from '../src/renderer/src/lib/grid.js';
import { overlayFigure, smallMultiplesFigure, type CurveSeries, type PreparedLine } from '../src/renderer/src/lib/plots/curves.js';
import { curvePanels } from '../src/renderer/src/lib/plots/curve-panels.js';
import { curveOptions } from './helpers/figure-inputs.js';

const line = (x: number[], mean: number[], halfWidth: number): PreparedLine => ({
  x,
  raw: mean.map((v) => v * 1.5),
  mean,
  lower: mean.map((v) => v - halfWidth),
  upper: mean.map((v) => v + halfWidth),
  n: x.map(() => 3),
});

const oneFactor: Variant[] = ['sigmoid', 'relu', 'tanh'].map((a) => ({ id: a, label: a, factors: { activation: a } }));

/** sigmoid: loss 1 → 2 over epochs 1..3 (band ±0.5); relu: 3 → 4 over epochs 1..2 (band ±0.5); tanh: no data yet. */
const series = new Map<string, CurveSeries>([
  [
    'sigmoid',
    {
      variantId: 'sigmoid',
      label: 'sigmoid',
      color: '#0072B2',
      dash: 'solid',
      lines: [
        { role: 'train', line: line([1, 2, 3], [1, 1.5, 2], 0.5) },
        { role: 'val', line: line([1, 2, 3], [1.2, 1.6, 2], 0.5) },
      ],
      seedLines: [{ seed: 1, role: 'val', x: [1, 2, 3], y: [1, 9, 2] }],
      markers: [{ kind: 'best', x: 3, text: 'best epoch 3' }],
    },
  ],
  [
    'relu',
    {
      variantId: 'relu',
      label: 'relu',
      color: '#E69F00',
      dash: 'solid',
      lines: [{ role: 'val', line: line([1, 2], [3, 4], 0.5) }],
    },
  ],
]);

const opts = curveOptions();

type Axis = { range?: number[]; type?: string; visible?: boolean; tickvals?: number[] };
const axes = (p: ReturnType<typeof curvePanels>, name: 'xaxis' | 'yaxis') => p.panels.map((q) => q.figure.layout[name] as Axis);
const close = (a: number[] | undefined, b: number[]) => {
  expect(a).toHaveLength(b.length);
  a!.forEach((v, i) => expect(v).toBeCloseTo(b[i], 9));
};

describe('curve panels: small multiples as one plot per variant', () => {
  const grid = smallMultiplesGrid(oneFactor);

  it('gives every panel with data the same ranges: x tight to the data, y padded 5% each side', () => {
    const p = curvePanels(grid, series, opts);
    // y: lowest band edge 1 - 0.5 = 0.5, highest 4 + 0.5 = 4.5; span 4, so 0.2 each side.
    close(p.yRange!, [0.3, 4.7]);
    // x: epochs 1 to 3, and 3% of 2 more at the right, where sigmoid's best-epoch marker sits.
    close(p.xRange!, [1, 3.06]);
    const [sx, rx] = axes(p, 'xaxis');
    const [sy, ry] = axes(p, 'yaxis');
    close(sx.range, [1, 3.06]);
    close(rx.range, [1, 3.06]);
    close(sy.range, [0.3, 4.7]);
    close(ry.range, [0.3, 4.7]);
    expect(sy).toMatchObject({ autorange: false });
  });

  it('draws only its own variant in each panel, as many traces as the one-figure version', () => {
    const p = curvePanels(grid, series, opts);
    expect(p.panels.map((q) => q.variantId)).toEqual(['sigmoid', 'relu', 'tanh']);
    for (const q of p.panels.slice(0, 2)) for (const tr of q.figure.data) expect(tr.meta).toBe(q.variantId);
    // sigmoid: band + mean for train and validation, and the best-epoch marker; relu: band + mean.
    expect(p.panels[0].figure.data).toHaveLength(5);
    expect(p.panels[1].figure.data).toHaveLength(2);
    const one = smallMultiplesFigure(grid, series, opts);
    const drawn = (d: Array<Record<string, unknown>>) => d.filter((tr) => Array.isArray(tr.x) && (tr.x as unknown[]).length > 0).length;
    expect(drawn(p.panels.flatMap((q) => q.figure.data))).toBe(drawn(one.data));
  });

  it('keeps the place of a variant without data, with a note and hidden axes', () => {
    const tanh = curvePanels(grid, series, opts).panels[2].figure;
    expect(tanh.layout.xaxis).toMatchObject({ visible: false });
    expect((tanh.layout.annotations as Array<{ text: string }>).map((a) => a.text)).toContain('no data yet');
    expect(tanh.data).toHaveLength(1);
  });

  it('titles each panel with its variant when cells wrap; headers instead on a two-factor grid', () => {
    const p = curvePanels(grid, series, opts);
    expect(p.rowLabels).toBeNull();
    expect((p.panels[1].figure.layout.annotations as Array<{ text: string }>)[0].text).toBe('<b>relu</b>');
    const two: Variant[] = ['sigmoid', 'relu'].flatMap((a) =>
      [8, 32].map((w) => ({ id: `${a},${w}`, label: `${a} · ${w}`, factors: { activation: a, width: w } })),
    );
    const q = curvePanels(smallMultiplesGrid(two), new Map(), opts);
    expect(q.rowLabels).toEqual(['sigmoid', 'relu']);
    expect(q.colLabels).toEqual(['width 8', 'width 32']);
    for (const panel of q.panels)
      expect((panel.figure.layout.annotations as Array<{ text: string }>).map((a) => a.text)).toEqual(['no data yet']);
  });

  it('writes train and validation at their line ends in the first panel that has both only', () => {
    const p = curvePanels(grid, series, opts);
    const texts = (i: number) => (p.panels[i].figure.layout.annotations as Array<{ text: string }>).map((a) => a.text);
    expect(texts(0)).toEqual(expect.arrayContaining(['train', 'validation']));
    expect(texts(1)).not.toContain('validation');
  });

  it('is tight to the lines at an edge without markers', () => {
    const bare = new Map([...series].map(([id, s]) => [id, { ...s, markers: [] }]));
    expect(curvePanels(grid, bare, opts).xRange).toEqual([1, 3]);
  });

  it("puts about four whole-number ticks on a panel's x axis (about six on the overlay's)", () => {
    const long = new Map([['relu', { ...series.get('relu')!, lines: [{ role: 'val' as const, line: line([0, 3000], [1, 0.5], 0.1) }] }]]);
    const p = curvePanels(grid, long, { ...opts, integerX: true });
    // 3000 / 4 = 750, rounded to a nice 1000; 3000 / 6 = 500.
    expect(p.panels[1].figure.layout.xaxis).toMatchObject({ tickmode: 'linear', dtick: 1000, tickformat: 'd' });
    expect(overlayFigure([...long.values()], { ...opts, integerX: true }).layout.xaxis).toMatchObject({ dtick: 500 });
  });

  it('follows the shared zoom of the x axis', () => {
    const p = curvePanels(grid, series, { ...opts, xRange: [1.5, 2.5] });
    for (const a of axes(p, 'xaxis').slice(0, 2)) expect(a.range).toEqual([1.5, 2.5]);
  });

  it('shares a log y range in decades, and the same log ticks', () => {
    const logSeries = new Map<string, CurveSeries>([
      ['sigmoid', { ...series.get('sigmoid')!, lines: [{ role: 'val', line: line([1, 2], [0.01, 0.1], 0) }] }],
      ['relu', { ...series.get('relu')!, lines: [{ role: 'val', line: line([1, 2], [0.1, 1], 0) }] }],
    ]);
    const p = curvePanels(grid, logSeries, { ...opts, logY: true });
    // 0.01 .. 1 is -2 .. 0 in decades; 5% of 2 decades each side.
    close(p.yRange!, [-2.1, 0.1]);
    const [a, b] = axes(p, 'yaxis');
    expect(a.type).toBe('log');
    expect(a.tickvals).toEqual(b.tickvals);
    expect(a.tickvals).toEqual(expect.arrayContaining([0.01, 0.1, 1]));
  });

  it('widens y to the seeds when each seed is drawn, and to the raw mean under smoothing', () => {
    // The bands are not drawn then: means from 1, the sigmoid seed up to 9; span 8, 0.4 each side.
    close(curvePanels(grid, series, { ...opts, seeds: true }).yRange!, [1 - 0.4, 9 + 0.4]);
    // Raw mean is 1.5x the mean: relu's 4 becomes 6; 0.5 .. 6, span 5.5.
    close(curvePanels(grid, series, { ...opts, smoothing: 0.5 }).yRange!, [0.5 - 0.275, 6 + 0.275]);
  });

  it("thins long lines to the panel's points, keeping both ends, with ranges from the full lines", () => {
    const n = 1000;
    const xs = Array.from({ length: n }, (_, i) => i + 1);
    // Loss 2 at step 1 falling to 0.1, with one spike of 5 at step 700 that the range must hold.
    const mean = xs.map((x) => (x === 700 ? 5 : 0.1 + 1.9 * Math.exp(-x / 100)));
    const long = new Map([['relu', { ...series.get('relu')!, lines: [{ role: 'val' as const, line: line(xs, mean, 0) }] }]]);
    const p = curvePanels(grid, long, opts, 210, 100);
    const mainTrace = p.panels[1].figure.data.find((tr) => tr.hovertemplate)!;
    const x = mainTrace.x as number[];
    expect(x.length).toBe(100);
    expect([x[0], x[x.length - 1]]).toEqual([1, 1000]);
    expect((mainTrace.text as string[]).length).toBe(100);
    // Full line: 0.1 + 1.9 e^-10 (about 0.1001) .. 5; span 4.9, 5% each side.
    const lo = 0.1 + 1.9 * Math.exp(-10);
    close(p.yRange!, [lo - 0.05 * (5 - lo), 5 + 0.05 * (5 - lo)]);
    // The overlay keeps every point.
    expect((overlayFigure([...long.values()], opts).data.find((tr) => tr.hovertemplate)!.x as number[]).length).toBe(n);
  });

  it('has no ranges before any data', () => {
    const p = curvePanels(grid, new Map(), opts);
    expect(p.xRange).toBeNull();
    expect(p.yRange).toBeNull();
    expect(p.panels).toHaveLength(3);
  });
});

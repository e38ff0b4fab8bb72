/**
 * Each Compare/plot defect of issue 18 that a figure builder can show, reproduced on the builder:
 * these failed before the fix. (Console errors, mode-bar buttons and the kept log scale are
 * checked in the browser: test/e2e/workbench.test.ts, test/ui-plotly-bundle.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import type { DecisionBoundary, RunDiagnostics, Variant } from '../src/shared/api.js';
import { smallMultiplesGrid } from '../src/renderer/src/lib/grid.js';
import { overlayFigure, prepareLine, smallMultiplesFigure, type CurveSeries } from '../src/renderer/src/lib/plots/curves.js';
import { placeLabels } from '../src/renderer/src/lib/plots/curve-labels.js';
import { medianMarkers } from '../src/renderer/src/lib/plots/curve-markers.js';
import { layerHeatmapFigure, layerLinesFigure } from '../src/renderer/src/lib/plots/layers.js';
import { boundaryFigure } from '../src/renderer/src/lib/plots/boundary.js';
import { DEFAULT_TOKENS } from '../src/renderer/src/lib/plots/theme.js';
import { byLayerStep, curveOptions as defaultCurveOptions, diagnostics } from './helpers/figure-inputs.js';
import { classColor, contrastRatio, variantColor, VARIANT_COLOR_COUNT } from '../src/renderer/src/lib/palette.js';

const variants = (n: number): Variant[] =>
  Array.from({ length: n }, (_, i) => ({ id: `v${i}`, label: `variant ${i}`, factors: { tag: `v${i}` } }));
const o = { tokens: DEFAULT_TOKENS.light, highlight: null, xRange: null, maxPoints: 300 };

function diag(steps: number[], grad: (layer: number, t: number) => number): RunDiagnostics {
  const layers = ['layer 1', 'layer 2', 'output'];
  const m = <T>(f: (l: number, t: number) => T) => byLayerStep(layers, steps, f);
  return diagnostics({
    layers,
    steps,
    gradNorm: m(grad),
    weightNorm: m(() => 1),
    updateRatio: m(() => 1e-3),
    zeroFraction: m(() => 0),
    saturation: m(() => null),
    histograms: m(() => [1, 1]),
  });
}

describe('gradient flow figures', () => {
  it('draw a single diagnostics record as markers (a one-point line draws nothing)', () => {
    const fig = layerLinesFigure(smallMultiplesGrid(variants(1)), new Map([['v0', diag([1], () => 0.5)]]), 'gradNorm', o);
    const traces = fig.data.filter((t) => t.name);
    expect(traces).toHaveLength(3);
    for (const t of traces) expect(String(t.mode)).toContain('markers');
  });

  it('say so when every gradient is exactly 0 (zero init) instead of drawing blank panels', () => {
    const fig = layerLinesFigure(smallMultiplesGrid(variants(1)), new Map([['v0', diag([1, 2, 3], () => 0)]]), 'gradNorm', o);
    expect(fig.data.filter((t) => t.name)).toHaveLength(0);
    expect(JSON.stringify(fig.layout.annotations)).toMatch(/every gradient norm is exactly 0/);
    const heat = layerHeatmapFigure(smallMultiplesGrid(variants(1)), new Map([['v0', diag([1, 2, 3], () => 0)]]), 'gradNorm', o);
    expect(JSON.stringify(heat.layout.annotations)).toMatch(/exactly 0/);
  });

  it('fix the y range to the data, so an earlier draw cannot leave a stale range that clips early layers', () => {
    const grid = smallMultiplesGrid(variants(2));
    // One cell still loading, the other with gradients from 1e-6 (early layers) to 1.
    const fig = layerLinesFigure(grid, new Map([['v1', diag([1, 2], (l) => 10 ** (-3 * (2 - l)))]]), 'gradNorm', o);
    const y = fig.layout.yaxis2 as { range: [number, number]; autorange: boolean };
    expect(y.autorange).toBe(false);
    expect(y.range[0]).toBeLessThanOrEqual(-6);
    expect(y.range[1]).toBeGreaterThanOrEqual(0);
  });

  it('carry a layer legend when exported', () => {
    const diags = new Map(variants(2).map((v) => [v.id, diag([1, 2], () => 0.1)]));
    const fig = layerLinesFigure(smallMultiplesGrid(variants(2)), diags, 'gradNorm', { ...o, legend: true });
    expect(fig.layout.showlegend).toBe(true);
    expect(fig.data.filter((t) => t.showlegend).map((t) => t.name)).toEqual(['layer 1', 'layer 2', 'output']);
  });

  it('hover heatmap cells in the theme text on its paper, at 4.5:1 or more in both themes', () => {
    for (const theme of ['light', 'dark'] as const) {
      const fig = layerHeatmapFigure(smallMultiplesGrid(variants(1)), new Map([['v0', diag([1, 2], () => 0.1)]]), 'gradNorm', {
        ...o,
        tokens: DEFAULT_TOKENS[theme],
      });
      const label = fig.data.find((t) => t.type === 'heatmap')?.hoverlabel as { bgcolor: string; font: { color: string } };
      expect(contrastRatio(label.font.color, label.bgcolor)).toBeGreaterThanOrEqual(4.5);
    }
  });
});

const band = (n: number, y: number) => ({
  x: Array.from({ length: n }, (_, i) => i),
  mean: Array.from({ length: n }, () => y),
  lower: Array.from({ length: n }, () => y * 0.9),
  upper: Array.from({ length: n }, () => y * 1.1),
  n: Array.from({ length: n }, () => 3),
});
const curveOptions = defaultCurveOptions();
const curve = (v: Variant, y: number): CurveSeries => ({
  variantId: v.id,
  label: v.label,
  color: '#0072B2',
  dash: 'solid',
  lines: [{ role: 'val', line: prepareLine(band(10, y), { logY: false, smoothing: 0, xOffset: 1, maxPoints: 100 }) }],
});

describe('learning curve figures', () => {
  it('tick integer epoch axes at whole numbers only', () => {
    const vs = variants(2);
    const fig = smallMultiplesFigure(smallMultiplesGrid(vs), new Map(vs.map((v) => [v.id, curve(v, 1)])), {
      ...curveOptions,
      integerX: true,
    });
    const x = fig.layout.xaxis as { dtick: number; tickformat: string };
    expect(Number.isInteger(x.dtick) && x.dtick >= 1).toBe(true);
    expect(x.tickformat).toBe('d');
  });

  it('fill no band but the highlighted one when five overlap (the tints mixed to brown-grey)', () => {
    const vs = variants(5);
    const fills = (highlight: string | null) =>
      overlayFigure(
        vs.map((v, i) => curve(v, 1 + i * 0.01)),
        { ...curveOptions, highlight },
      ).data.filter((t) => t.fill === 'toself');
    expect(fills(null)).toHaveLength(0);
    expect(fills('v2').map((t) => t.meta)).toEqual(['v2']);
  });

  it('keep end labels apart, leaving out those that cannot fit', () => {
    const vs = variants(30);
    const fig = overlayFigure(
      vs.map((v) => curve(v, 1)),
      curveOptions,
    );
    const ends = (fig.layout.annotations as Array<{ x: number; xanchor: string }>).filter((a) => a.x === 1 && a.xanchor === 'left');
    expect(ends.length).toBeGreaterThan(3);
    expect(ends.length).toBeLessThan(30);
    const all = placeLabels(
      Array.from({ length: 30 }, () => 0.5),
      0.1,
    )
      .filter((p): p is number => p !== null)
      .sort((a, b) => a - b);
    for (let i = 1; i < all.length; i++) expect(all[i] - all[i - 1]).toBeGreaterThanOrEqual(0.1 - 1e-9);
  });

  it('mark one best epoch per mean curve, the median over seeds, naming every seed', () => {
    const markers = medianMarkers(
      [
        { seed: 1, bestEpoch: 6, stoppedEpoch: null },
        { seed: 2, bestEpoch: 9, stoppedEpoch: null },
        { seed: 3, bestEpoch: 7, stoppedEpoch: null },
      ],
      (e) => e + 1,
    );
    expect(markers).toHaveLength(1);
    expect(markers[0]).toMatchObject({ kind: 'best', x: 8 });
    expect(markers[0].text).toContain('seed 1: 7, seed 2: 10, seed 3: 8');
  });
});

describe('decision boundaries', () => {
  const b: DecisionBoundary = {
    xs: [-0.8, 0.5, 1.8],
    ys: [-0.8, 0.5, 1.8],
    classes: [
      [0, 0, 1],
      [0, 1, 1],
      [1, 1, 1],
    ],
    confidence: [
      [0.9, 0.8, 0.7],
      [0.8, 0.6, 0.8],
      [0.7, 0.8, 0.9],
    ],
    points: { x: [0, 0.5, 1], y: [0, 1, 0.5], label: [0, 1, 1] },
  };
  const fig = boundaryFigure(smallMultiplesGrid(variants(2)), new Map(variants(2).map((v) => [v.id, b])), {
    tokens: DEFAULT_TOKENS.light,
    classNames: ['inner', 'outer'],
  });

  it("fit the axes to the data's extent, not the whole computed grid", () => {
    const x = fig.layout.xaxis as { range: [number, number] };
    expect(x.range[0]).toBeGreaterThan(-0.1);
    expect(x.range[1]).toBeLessThan(1.1);
  });

  it('color classes apart from the variants and name them in one legend', () => {
    const variantPalette = new Set(Array.from({ length: VARIANT_COLOR_COUNT }, (_, i) => variantColor(i, 'light').toLowerCase()));
    for (let c = 0; c < 6; c++) expect(variantPalette.has(classColor(c, 'light').toLowerCase())).toBe(false);
    expect(fig.layout.showlegend).toBe(true);
    expect(fig.data.filter((t) => t.showlegend).map((t) => t.name)).toEqual(['inner', 'outer']);
  });
});

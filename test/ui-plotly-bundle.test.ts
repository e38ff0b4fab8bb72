/**
 * The app ships plotly.js's core plus the trace modules that src/renderer/src/plot/plotly-bundle.ts
 * registers: every trace type a figure builder emits must be among them (else Plotly draws
 * nothing for it), and the interactive config offers no mode-bar button that talks to a network.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DecisionBoundary, RunDiagnostics, Variant } from '../src/shared/api.js';
import { smallMultiplesGrid } from '../src/renderer/src/lib/grid.js';
import { overlayFigure, prepareLine, smallMultiplesFigure, type CurveSeries } from '../src/renderer/src/lib/plots/curves.js';
import { curvePanels } from '../src/renderer/src/lib/plots/curve-panels.js';
import { histogramFigure, layerHeatmapFigure, layerLinesFigure, unitHeatmapFigure } from '../src/renderer/src/lib/plots/layers.js';
import { boundaryFigure } from '../src/renderer/src/lib/plots/boundary.js';
import { DEFAULT_TOKENS, INTERACTIVE_CONFIG, type Figure } from '../src/renderer/src/lib/plots/theme.js';
import { curveOptions as defaultCurveOptions } from './helpers/figure-inputs.js';

const source = readFileSync(new URL('../src/renderer/src/plot/plotly-bundle.ts', import.meta.url), 'utf8');
/** The core carries scatter; every other type is a registered `plotly.js/lib/<type>` import. */
const bundled = new Set([
  'scatter',
  ...[...source.matchAll(/from 'plotly\.js\/lib\/(\w+)'/g)].map((m) => m[1]).filter((t) => t !== 'core'),
]);

const variants: Variant[] = ['a', 'b'].map((v) => ({ id: v, label: v, factors: { activation: v } }));
const grid = smallMultiplesGrid(variants);
const t = DEFAULT_TOKENS.light;
const band = { x: [0, 1, 2], mean: [1, 0.5, 0.3], lower: [0.9, 0.4, 0.2], upper: [1.1, 0.6, 0.4], n: [3, 3, 3] };
const series: CurveSeries[] = variants.map((v) => ({
  variantId: v.id,
  label: v.label,
  color: '#0072B2',
  dash: 'solid',
  lines: [{ role: 'val', line: prepareLine(band, { logY: false, smoothing: 0, xOffset: 1, maxPoints: 100 }) }],
  markers: [
    { kind: 'best', x: 2, text: 'best epoch 2' },
    { kind: 'stopped', x: 3, text: 'stopped early after epoch 3' },
  ],
}));
const diag: RunDiagnostics = {
  runId: 'r',
  layers: ['layer 1', 'output'],
  steps: [0, 10],
  gradNorm: [
    [1, 2],
    [3, 4],
  ],
  weightNorm: [
    [1, 1],
    [1, 1],
  ],
  updateRatio: [
    [1e-3, 1e-3],
    [1e-3, 1e-3],
  ],
  zeroFraction: [
    [0.1, 0.2],
    [0, 0],
  ],
  saturation: [
    [null, null],
    [null, null],
  ],
  histograms: [
    [
      [1, 2, 1],
      [2, 1, 1],
    ],
    [],
  ],
  histogramRange: [-1, 1],
  weightHistograms: [],
  gradHistograms: [],
  projections: [],
  deadEpochs: [0],
  deadFraction: [[0.1], [0]],
  epochs: [],
  bestEpoch: null,
  stoppedEpoch: null,
};
const boundary: DecisionBoundary = {
  xs: [0, 1],
  ys: [0, 1],
  classes: [
    [0, 1],
    [1, 0],
  ],
  confidence: [
    [0.9, 0.8],
    [0.7, 0.6],
  ],
  points: { x: [0.2, 0.8], y: [0.3, 0.7], label: [0, 1] },
};

describe('the bundled plotly.js', () => {
  it('registers every trace type the figure builders emit', () => {
    const diags = new Map(variants.map((v) => [v.id, diag]));
    const o = { tokens: t, highlight: null, xRange: null, maxPoints: 100 };
    const curveOptions = defaultCurveOptions({ tokens: t });
    const figures: Figure[] = [
      smallMultiplesFigure(grid, new Map(series.map((s) => [s.variantId, s])), curveOptions),
      ...curvePanels(grid, new Map(series.map((s) => [s.variantId, s])), curveOptions).panels.map((p) => p.figure),
      overlayFigure(series, curveOptions),
      layerLinesFigure(grid, diags, 'gradNorm', o),
      layerHeatmapFigure(grid, diags, 'gradNorm', o),
      unitHeatmapFigure(grid, diags, 'sparsity', o),
      histogramFigure(grid, diags, 0, o),
      boundaryFigure(grid, new Map(variants.map((v) => [v.id, boundary])), { tokens: t, classNames: ['x', 'y'] }),
    ];
    const used = new Set(figures.flatMap((f) => f.data.map((tr) => String(tr.type))));
    expect([...used].sort()).toEqual(['heatmap', 'scatter']);
    for (const type of used) expect(bundled.has(type), `${type} is not registered in plotly-bundle.ts`).toBe(true);
  });

  it('offers no mode-bar button that sends the figure anywhere', () => {
    expect(INTERACTIVE_CONFIG).toMatchObject({ showSendToCloud: false, displaylogo: false, plotlyServerURL: '' });
    expect(INTERACTIVE_CONFIG.modeBarButtonsToRemove).toContain('sendChartToCloud');
  });
});

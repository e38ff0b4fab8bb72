import { describe, expect, it } from 'vitest';
import type { RunDiagnostics, Variant } from '../src/shared/api.js';
import { smallMultiplesGrid } from '../src/renderer/src/lib/grid.js';
import {
  overlayFigure,
  prepareLine,
  smallMultiplesFigure,
  type BandLike,
  spreadLabels,
  type CurveSeries,
} from '../src/renderer/src/lib/plots/curves.js';
import { layerHeatmapFigure, layerLinesFigure, unitHeatmapFigure } from '../src/renderer/src/lib/plots/layers.js';
import { captionText, withCaption, wrapText } from '../src/renderer/src/lib/plots/caption.js';
import { DEFAULT_TOKENS } from '../src/renderer/src/lib/plots/theme.js';
import { byLayerStep, curveOptions, diagnostics } from './helpers/figure-inputs.js';
import { logTicks } from '../src/renderer/src/lib/plots/ticks.js';

const variants: Variant[] = ['sigmoid', 'relu'].flatMap((a) =>
  ['none', 'l2'].map((r) => ({ id: `${a},${r}`, label: `${a} · ${r}`, factors: { activation: a, regularizer: r } })),
);
const band = (n: number, scale: number) => {
  const x = Array.from({ length: n }, (_, i) => i);
  const mean = x.map((i) => scale * Math.exp(-i / 10) + 0.1);
  return { x, mean, lower: mean.map((v) => v * 0.9), upper: mean.map((v) => v * 1.1), n: x.map(() => 3) };
};
const line = (b: BandLike) => prepareLine(b, { logY: false, smoothing: 0, xOffset: 1, maxPoints: 400 });
const series = new Map<string, CurveSeries>(
  variants.map((v, i) => [
    v.id,
    {
      variantId: v.id,
      label: v.label,
      color: '#0072B2',
      dash: 'solid',
      lines: [
        { role: 'train', line: line(band(30, 1 + i)) },
        { role: 'val', line: line(band(30, 1.2 + i)) },
      ],
      markers: [{ kind: 'best', x: 21, text: 'best epoch 21' }],
    },
  ]),
);
const opts = curveOptions();

describe('curve figures', () => {
  it('builds one subplot per variant with matching axes and data bound to its own axes', () => {
    const fig = smallMultiplesFigure(smallMultiplesGrid(variants), series, opts);
    expect(fig.layout.xaxis4).toMatchObject({ matches: 'x' });
    expect(fig.layout.yaxis3).toMatchObject({ matches: 'y' });
    for (const tr of fig.data) {
      expect(Array.isArray(tr.x)).toBe(true);
      expect(String(tr.xaxis)).toMatch(/^x\d*$/);
    }
    const axesUsed = new Set(fig.data.map((tr) => tr.xaxis));
    expect(axesUsed.size).toBe(4);
    // band + mean for train and val, and the best-epoch markers, per cell
    expect(fig.data.length).toBe(4 * 5);
  });

  it('keeps the place of a cell without data and notes it there', () => {
    const partial = new Map([...series].slice(0, 3));
    const fig = smallMultiplesFigure(smallMultiplesGrid(variants), partial, opts);
    expect(fig.data.some((tr) => tr.xaxis === 'x4')).toBe(true);
    expect(fig.layout.xaxis4).toMatchObject({ visible: false });
    const note = (fig.layout.annotations as Array<{ text: string; xref: string }>).find((a) => a.text === 'no data yet');
    expect(note?.xref).toBe('x4 domain');
  });

  it('anchors the shared axes on the first cell with data', () => {
    const partial = new Map([...series].slice(1));
    const fig = smallMultiplesFigure(smallMultiplesGrid(variants), partial, opts);
    expect(fig.layout.xaxis).toMatchObject({ visible: false });
    expect(fig.layout.xaxis3).toMatchObject({ matches: 'x2' });
    expect(fig.layout.yaxis4).toMatchObject({ matches: 'y2' });
  });

  it('draws the raw mean faint under the smoothed line', () => {
    const fig = smallMultiplesFigure(smallMultiplesGrid(variants), series, { ...opts, smoothing: 0.8 });
    const faint = fig.data.filter((tr) => tr.opacity === 0.3);
    expect(faint.length).toBe(8);
  });

  it('dims every variant but the highlighted one', () => {
    const fig = overlayFigure([...series.values()], { ...opts, highlight: 'relu,none' });
    const lines = fig.data.filter((tr) => String(tr.mode).startsWith('lines') && tr.hovertemplate);
    expect(lines.filter((tr) => tr.opacity === 1).map((tr) => tr.meta)).toEqual(['relu,none']);
  });

  it('labels overlay lines directly, spread apart', () => {
    const fig = overlayFigure([...series.values()], opts);
    const labels = (fig.layout.annotations as Array<{ text: string }>).map((a) => a.text);
    expect(labels).toContain('relu · l2');
    // At the right edge, off the plotted lines.
    expect((fig.layout.annotations as Array<{ text: string; xref: string }>).find((a) => a.text === 'relu · l2')?.xref).toBe('paper');
    const spread = spreadLabels([0.5, 0.5, 0.51], 0.1);
    expect(spread[1] - spread[0]).toBeGreaterThanOrEqual(0.099);
    expect(Math.min(...spread)).toBeGreaterThanOrEqual(0);
  });

  it('offsets epochs, clamps for log scale and thins long series', () => {
    const b = band(5000, 1);
    b.lower[3] = -1;
    const p = prepareLine(b, { logY: true, smoothing: 0, xOffset: 1, maxPoints: 300 });
    expect(p.x[0]).toBe(1);
    expect(p.x).toHaveLength(300);
    expect(p.lower.every((v) => v > 0)).toBe(true);
  });
});

const diag = (scale: number): RunDiagnostics => {
  const steps = [0, 50, 100, 150];
  const layers = ['layer 1', 'layer 2', 'output'];
  const m = <T>(f: (l: number, t: number) => T) => byLayerStep(layers, steps, f);
  return diagnostics({
    layers,
    steps,
    gradNorm: m((l) => scale ** (2 - l)),
    weightNorm: m(() => 1),
    updateRatio: m(() => 1e-3),
    zeroFraction: m((l, t) => (l === 2 ? 0 : 0.1 * t)),
    saturation: m(() => null),
    histograms: m(() => [1, 2, 3, 2, 1]),
    histogramRange: [-4, 4],
    deadEpochs: [0, 1],
    deadFraction: m(() => 0).map((r) => r.slice(0, 2)),
  });
};

describe('layer figures', () => {
  const grid = smallMultiplesGrid(variants);
  const diags = new Map(variants.map((v, i) => [v.id, diag(i === 0 ? 0.01 : 0.5)]));
  const o = { tokens: DEFAULT_TOKENS.dark, highlight: null, xRange: null, maxPoints: 300 };

  it('draws one line per layer per variant on log axes', () => {
    const fig = layerLinesFigure(grid, diags, 'gradNorm', o);
    const lines = fig.data.filter((t) => t.mode === 'lines');
    expect(lines).toHaveLength(4 * 3);
    expect(fig.layout.yaxis).toMatchObject({ type: 'log' });
    expect(new Set(lines.slice(0, 3).map((t) => (t.line as { color: string }).color)).size).toBe(3);
  });

  it('shares one log color scale across the heatmaps', () => {
    const fig = layerHeatmapFigure(grid, diags, 'gradNorm', o);
    const maps = fig.data.filter((t) => t.type === 'heatmap');
    expect(maps).toHaveLength(4);
    expect(maps.every((t) => t.coloraxis === 'coloraxis')).toBe(true);
    expect((fig.layout.coloraxis as { cmin: number }).cmin).toBeCloseTo(-4, 9);
  });

  it("draws a residual projection P dotted in its layer's color, and as a heatmap row after its layer", () => {
    const withP = new Map(
      [...diags].map(([id, d]) => [
        id,
        { ...d, projections: [{ layer: 1, gradNorm: [2, 3, 4, 5], weightNorm: [1, 1, 1, 1], updateRatio: [0, 0, 0, 0] }] },
      ]),
    );
    const fig = layerLinesFigure(grid, withP, 'gradNorm', o);
    const lines = fig.data.filter((t) => t.mode === 'lines');
    expect(lines).toHaveLength(4 * 4);
    const p = lines.find((t) => t.name === 'layer 2 · P')!;
    expect(p.y).toEqual([2, 3, 4, 5]);
    expect(p.line).toMatchObject({ dash: 'dot', color: (lines.find((t) => t.name === 'layer 2')!.line as { color: string }).color });
    const map = layerHeatmapFigure(grid, withP, 'gradNorm', o).data.find((t) => t.type === 'heatmap')!;
    expect(map.y).toEqual(['layer 1', 'layer 2', 'layer 2 · P', 'output']);
    expect((map.z as number[][])[2]).toEqual([2, 3, 4, 5].map(Math.log10));
  });

  it('says when saturation is not defined for the activation', () => {
    const fig = unitHeatmapFigure(grid, diags, 'saturation', o);
    expect(fig.data.filter((t) => t.type === 'heatmap')).toHaveLength(0);
    expect(JSON.stringify(fig.layout.annotations)).toContain('not defined for this activation');
  });
});

describe('captions', () => {
  it('names seeds, the interval, smoothing and the engine version', () => {
    const text = captionText({
      experiment: 'Why ReLU',
      what: 'Validation loss',
      seeds: [0, 1, 2],
      smoothing: 0.6,
      engineVersion: '0.1.0',
      band: true,
    });
    expect(text).toContain('3 seeds (0, 1, 2)');
    expect(text).toContain("95% confidence interval across seeds (Student's t, on the log scale for losses");
    expect(text).toContain('EMA weight 0.6');
    expect(text).toContain('engine 0.1.0');
  });

  it('wraps and grows the bottom margin', () => {
    expect(wrapText('a bb ccc dddd', 6)).toEqual(['a bb', 'ccc', 'dddd']);
    const fig = withCaption({ data: [], layout: { margin: { b: 50 } } }, 'word '.repeat(100), DEFAULT_TOKENS.light, {
      width: 800,
      height: 400,
    });
    expect((fig.layout.margin as { b: number }).b).toBeGreaterThan(50);
    expect(fig.layout.width).toBe(800);
  });
});

describe('log ticks', () => {
  it('labels 1-2-5 steps over a narrow range and powers of ten over a wide one, never fewer than four', () => {
    expect(logTicks(0.05, 2.3)?.ticktext).toEqual(['0.05', '0.1', '0.2', '0.5', '1', '2']);
    // Was two labels ("0.2", "0.5"): too few to read a value off the axis.
    expect(logTicks(0.15, 0.9)?.ticktext).toEqual(['0.15', '0.2', '0.3', '0.5', '0.7']);
    expect(logTicks(0.31, 0.36)?.ticktext.length).toBeGreaterThanOrEqual(4);
    expect(logTicks(1e-5, 1)?.ticktext).toEqual(['1e-5', '1e-4', '0.001', '0.01', '0.1', '1']);
    expect(logTicks(-1, 1)).toBeNull();
  });
});

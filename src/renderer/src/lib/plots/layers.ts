/**
 * Per-layer diagnostics as figures, one cell per variant (one chosen seed's run each):
 *  - lines: gradient norm (or weight norm, update ratio) per layer over steps on a log scale, one
 *    line per layer colored input -> output (viridis), so vanishing gradients show as a fan of
 *    lines far apart;
 *  - layer x step heatmaps of the same measure (log10, one shared color scale);
 *  - unit heatmaps: dead, zero (sparsity) and saturated fractions per layer over time;
 *  - activation histograms of one layer over time (step on x, value on y).
 */
import type { RunDiagnostics } from '../../../../shared/api.js';
import { lttbIndices, pick } from '../lttb.js';
import { layerColors, viridisScale } from '../palette.js';
import type { GridLayout } from '../grid.js';
import { escapeHtml, gridFigure } from './grid-figure.js';
import { applyLogTicks, integerTicks, positiveExtent } from './ticks.js';
import { heatmapHoverLabel, topLegend } from './theme.js';
import type { Figure, PlotTokens, Trace } from './theme.js';

export type LayerMeasure = 'gradNorm' | 'weightNorm' | 'updateRatio';
export type UnitMeasure = 'dead' | 'sparsity' | 'saturation';

export const LAYER_MEASURES: Record<LayerMeasure, { label: string; axis: string }> = {
  gradNorm: { label: 'Gradient norm', axis: '‖∂L/∂W‖ (Frobenius, log scale)' },
  weightNorm: { label: 'Weight norm', axis: '‖W‖ (Frobenius, log scale)' },
  updateRatio: { label: 'Update ratio', axis: '‖ΔW‖ / ‖W‖ per step (log scale)' },
};

export const UNIT_MEASURES: Record<UnitMeasure, { label: string; help: string }> = {
  dead: { label: 'Dead units', help: 'fraction of units that output exactly 0 for every validation row (per epoch)' },
  sparsity: { label: 'Sparsity', help: 'fraction of activations exactly 0 in the batch' },
  saturation: {
    label: 'Saturation',
    help: 'fraction of sigmoid/tanh outputs in the flat tails (< 0.01 or > 0.99 for sigmoid, |a| > 0.99 for tanh)',
  },
};

export interface LayerFigureOptions {
  tokens: PlotTokens;
  highlight: string | null;
  xRange: [number, number] | null;
  maxPoints: number;
  cellHeight?: number;
  titleColor?: (variantId: string) => string | undefined;
  /** A legend of the layers inside the figure (exports, which have no legend beside them). */
  legend?: boolean;
}

/** Display names: "layer 1" ... and "output" for the last linear layer when names are generic. */
export function layerNames(d: RunDiagnostics): string[] {
  return d.layers.map((name, i) => name || (i === d.layers.length - 1 ? 'output' : `layer ${i + 1}`));
}

export function layerLinesFigure(
  grid: GridLayout,
  diags: ReadonlyMap<string, RunDiagnostics>,
  measure: LayerMeasure,
  o: LayerFigureOptions,
): Figure {
  const t = o.tokens;
  const extent = positiveExtent(...[...diags.values()].flatMap((d) => [...d[measure], ...projectionRows(d, measure).map((r) => r.values)]));
  const g = gridFigure(grid, {
    tokens: t,
    cellHeight: o.cellHeight ?? 190,
    xTitle: 'Step',
    yTitle: LAYER_MEASURES[measure].axis,
    // The range is set from the data, never left to Plotly: an earlier draw of empty or partial
    // cells must not leave a stale range behind (it once clipped sigmoid's early layers).
    yExtra: { type: 'log', ...(extent ? { range: logRange(extent), autorange: false } : {}) },
    xExtra: integerTicks(...stepExtent(diags, o.xRange)),
    xRange: o.xRange,
    titleColor: o.titleColor,
    emptyNote: (id) => stepsNote(diags.get(id)) ?? zeroNote(diags.get(id), measure),
  });
  const data: Trace[] = [...g.anchors];
  const named = new Set<string>();
  for (const cell of grid.cells) {
    const a = g.axes.get(cell.variantId)!;
    const d = diags.get(cell.variantId);
    if (!d || d.steps.length === 0 || zeroNote(d, measure)) continue;
    const names = layerNames(d);
    const colors = layerColors(names.length, t.theme);
    const dim = o.highlight !== null && o.highlight !== cell.variantId;
    d[measure].forEach((series, li) => {
      const y = series.map((v) => (v > 0 ? v : NaN));
      const idx = lttbIndices(
        d.steps,
        y.map((v) => (Number.isFinite(v) ? Math.log10(v) : v)),
        o.maxPoints,
      );
      const first = !named.has(names[li]);
      named.add(names[li]);
      data.push({
        type: 'scatter',
        // One logged step draws no line: a marker shows it.
        mode: d.steps.length === 1 ? 'lines+markers' : 'lines',
        x: pick(d.steps, idx),
        y: pick(y, idx),
        line: { width: 1.6, color: colors[li] },
        marker: { size: 6, color: colors[li] },
        opacity: dim ? 0.25 : 1,
        meta: cell.variantId,
        name: names[li],
        legendgroup: names[li],
        showlegend: Boolean(o.legend) && first,
        hovertemplate: `<b>${escapeHtml(cell.title)}</b><br>${escapeHtml(names[li])}<br>step %{x}<br>%{y:.3g}<extra></extra>`,
        ...a,
      });
    });
    // Residual projections P: dotted, in their layer's color.
    for (const r of projectionRows(d, measure)) {
      const y = r.values.map((v) => (v > 0 ? v : NaN));
      const first = !named.has(r.name);
      named.add(r.name);
      data.push({
        type: 'scatter',
        mode: d.steps.length === 1 ? 'lines+markers' : 'lines',
        x: d.steps,
        y,
        line: { width: 1.6, color: colors[r.layer], dash: 'dot' },
        marker: { size: 6, color: colors[r.layer] },
        opacity: dim ? 0.25 : 1,
        meta: cell.variantId,
        name: r.name,
        legendgroup: r.name,
        showlegend: Boolean(o.legend) && first,
        hovertemplate: `<b>${escapeHtml(cell.title)}</b><br>${escapeHtml(r.name)}<br>step %{x}<br>%{y:.3g}<extra></extra>`,
        ...a,
      });
    }
  }
  g.layout.annotations = g.annotations;
  if (o.legend && named.size > 0) topLegend(g.layout, t, 'Layer (input → output)');
  applyLogTicks(g.layout, extent);
  return { data, layout: g.layout };
}

/** The residual projections' series of a measure, named after their layer ("layer 2 · P"). */
export function projectionRows(d: RunDiagnostics, measure: LayerMeasure): Array<{ layer: number; name: string; values: number[] }> {
  const names = layerNames(d);
  return (d.projections ?? []).map((p) => ({ layer: p.layer, name: `${names[p.layer]} · P`, values: p[measure] }));
}

/** A log axis's range (log10 units) around the data, with a little room. */
function logRange([lo, hi]: [number, number]): [number, number] {
  const a = Math.log10(lo);
  const b = Math.log10(hi);
  const pad = Math.max(0.05 * (b - a), 0.1);
  return [a - pad, b + pad];
}

function stepExtent(diags: ReadonlyMap<string, RunDiagnostics>, xRange: [number, number] | null): [number, number] {
  if (xRange) return xRange;
  let lo = Infinity;
  let hi = -Infinity;
  for (const d of diags.values()) if (d.steps.length) [lo, hi] = [Math.min(lo, d.steps[0]), Math.max(hi, d.steps[d.steps.length - 1])];
  return [lo, hi];
}

/** A run whose every value of the measure is exactly 0 (zero init): nothing for a log scale to show. */
function zeroNote(d: RunDiagnostics | undefined, measure: LayerMeasure): string | null {
  if (!d || d.steps.length === 0) return null;
  if (!d[measure].every((row) => row.every((v) => v === 0))) return null;
  return `every ${LAYER_MEASURES[measure].label.toLowerCase()} is exactly 0: nothing to draw on a log scale (all-zero weights?)`;
}

function stepsNote(d: RunDiagnostics | undefined): string | null {
  if (!d) return 'loading…';
  return d.steps.length === 0 ? 'no diagnostics logged' : null;
}

/** The rows of a unit heatmap: layers that have any value, with the time axis. */
function unitRows(d: RunDiagnostics, measure: UnitMeasure): { x: number[]; rows: Array<{ name: string; values: Array<number | null> }> } {
  const names = layerNames(d);
  const [x, z] =
    measure === 'dead'
      ? [d.deadEpochs.map((e) => e + 1), d.deadFraction as Array<Array<number | null>>]
      : measure === 'sparsity'
        ? [d.steps, d.zeroFraction as Array<Array<number | null>>]
        : [d.steps, d.saturation];
  const rows = z.map((values, i) => ({ name: names[i], values })).filter((r) => r.values.some((v) => v !== null && Number.isFinite(v)));
  return { x, rows };
}

function log10OrNaN(v: number | null): number {
  return v !== null && v > 0 ? Math.log10(v) : NaN;
}

/** The viridis color axis that all cells of a heatmap figure share, its bar titled on the right. */
function sharedColorAxis(
  t: PlotTokens,
  title: string,
  range: { cmin: number | undefined; cmax: number | undefined },
  ticks: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    colorscale: viridisScale(),
    ...range,
    colorbar: {
      title: { text: title, side: 'right', font: { size: 11, color: t.muted } },
      ...ticks,
      thickness: 12,
      len: 0.8,
      outlinewidth: 0,
      tickfont: { size: 11, color: t.muted },
    },
  };
}

/** A measure's rows input -> output, each layer's projection P right after it. */
function withProjections(d: RunDiagnostics, measure: LayerMeasure): Array<{ name: string; values: number[] }> {
  const names = layerNames(d);
  const projections = projectionRows(d, measure);
  return d[measure].flatMap((values, l) => [{ name: names[l], values }, ...projections.filter((p) => p.layer === l)]);
}

/** Layer x step heatmaps of log10(measure) with one color scale across variants. */
export function layerHeatmapFigure(
  grid: GridLayout,
  diags: ReadonlyMap<string, RunDiagnostics>,
  measure: LayerMeasure,
  o: LayerFigureOptions,
): Figure {
  const t = o.tokens;
  const g = gridFigure(grid, {
    tokens: t,
    cellHeight: o.cellHeight ?? 150,
    xTitle: 'Step',
    yTitle: 'Layer (input at the bottom)',
    xRange: o.xRange,
    titleColor: o.titleColor,
    marginRight: 90,
    emptyNote: (id) => stepsNote(diags.get(id)) ?? zeroNote(diags.get(id), measure),
  });
  const data: Trace[] = [...g.anchors];
  let lo = Infinity;
  let hi = -Infinity;
  for (const d of diags.values())
    for (const { values: row } of withProjections(d, measure))
      for (const v of row) {
        const l = log10OrNaN(v);
        if (Number.isFinite(l)) {
          lo = Math.min(lo, l);
          hi = Math.max(hi, l);
        }
      }
  for (const cell of grid.cells) {
    const a = g.axes.get(cell.variantId)!;
    const d = diags.get(cell.variantId);
    if (!d || d.steps.length === 0 || zeroNote(d, measure)) continue;
    const rows = withProjections(d, measure);
    data.push({
      type: 'heatmap',
      hoverlabel: heatmapHoverLabel(t),
      x: d.steps,
      y: rows.map((r) => r.name),
      z: rows.map((r) => r.values.map(log10OrNaN)),
      coloraxis: 'coloraxis',
      meta: cell.variantId,
      hovertemplate: `<b>${escapeHtml(cell.title)}</b><br>%{y}, step %{x}<br>log10 = %{z:.2f}<extra></extra>`,
      ...a,
    });
  }
  g.layout.annotations = g.annotations;
  g.layout.coloraxis = sharedColorAxis(t, `log10 ${LAYER_MEASURES[measure].label.toLowerCase()}`, {
    cmin: Number.isFinite(lo) ? lo : undefined,
    cmax: Number.isFinite(hi) ? hi : undefined,
  });
  return { data, layout: g.layout };
}

/** Dead / sparsity / saturation fractions per layer over time, 0..1 on one color scale. */
export function unitHeatmapFigure(
  grid: GridLayout,
  diags: ReadonlyMap<string, RunDiagnostics>,
  measure: UnitMeasure,
  o: LayerFigureOptions,
): Figure {
  const t = o.tokens;
  const perEpoch = measure === 'dead';
  const rows = new Map<string, ReturnType<typeof unitRows>>();
  for (const [id, d] of diags) rows.set(id, unitRows(d, measure));
  const g = gridFigure(grid, {
    tokens: t,
    cellHeight: o.cellHeight ?? 150,
    xTitle: perEpoch ? 'Epoch' : 'Step',
    yTitle: 'Layer (input at the bottom)',
    xRange: perEpoch ? null : o.xRange,
    titleColor: o.titleColor,
    marginRight: 90,
    emptyNote: (id) => {
      const r = rows.get(id);
      if (!r) return 'loading…';
      if (r.x.length === 0 || r.rows.length === 0) return measure === 'saturation' ? 'not defined for this activation' : 'nothing logged';
      return null;
    },
  });
  const data: Trace[] = [...g.anchors];
  for (const cell of grid.cells) {
    const a = g.axes.get(cell.variantId)!;
    const r = rows.get(cell.variantId);
    if (!r || r.x.length === 0 || r.rows.length === 0) continue;
    data.push({
      type: 'heatmap',
      hoverlabel: heatmapHoverLabel(t),
      x: r.x,
      y: r.rows.map((row) => row.name),
      z: r.rows.map((row) => row.values),
      coloraxis: 'coloraxis',
      meta: cell.variantId,
      hovertemplate: `<b>${escapeHtml(cell.title)}</b><br>%{y}, ${perEpoch ? 'epoch' : 'step'} %{x}<br>%{z:.1%}<extra></extra>`,
      ...a,
    });
  }
  g.layout.annotations = g.annotations;
  g.layout.coloraxis = sharedColorAxis(t, 'fraction of units', { cmin: 0, cmax: 1 }, { tickformat: '.0%' });
  return { data, layout: g.layout };
}

/** Activation histograms of one layer over time: x = step, y = activation value, color = log10 share. */
export function histogramFigure(
  grid: GridLayout,
  diags: ReadonlyMap<string, RunDiagnostics>,
  layer: number,
  o: LayerFigureOptions,
): Figure {
  const t = o.tokens;
  const g = gridFigure(grid, {
    tokens: t,
    cellHeight: o.cellHeight ?? 170,
    xTitle: 'Step',
    yTitle: 'Activation value',
    xRange: o.xRange,
    titleColor: o.titleColor,
    marginRight: 90,
    emptyNote: (id) => {
      const d = diags.get(id);
      if (!d) return 'loading…';
      const h = d.histograms[layer];
      return !h || h.every((bins) => bins.length === 0) ? 'no histograms for this layer' : null;
    },
  });
  const data: Trace[] = [...g.anchors];
  for (const cell of grid.cells) {
    const a = g.axes.get(cell.variantId)!;
    const d = diags.get(cell.variantId);
    const h = d?.histograms[layer];
    if (!d || !h || h.length === 0 || h.every((bins) => bins.length === 0)) continue;
    const bins = Math.max(...h.map((b) => b.length));
    const [lo, hi] = d.histogramRange;
    const width = (hi - lo) / bins;
    const centers = Array.from({ length: bins }, (_, i) => lo + (i + 0.5) * width);
    // z[bin][time]: share of the batch's activations in the bin, on a log10 scale.
    const z = centers.map((_, b) =>
      h.map((counts) => {
        const total = counts.reduce((s, c) => s + c, 0);
        const share = total > 0 ? (counts[b] ?? 0) / total : 0;
        return share > 0 ? Math.log10(share) : NaN;
      }),
    );
    data.push({
      type: 'heatmap',
      hoverlabel: heatmapHoverLabel(t),
      x: d.steps.slice(0, h.length),
      y: centers,
      z,
      coloraxis: 'coloraxis',
      meta: cell.variantId,
      hovertemplate: `<b>${escapeHtml(cell.title)}</b><br>step %{x}, value %{y:.2f}<br>log10 share %{z:.2f}<extra></extra>`,
      ...a,
    });
  }
  g.layout.annotations = g.annotations;
  g.layout.coloraxis = sharedColorAxis(
    t,
    'share of activations',
    { cmin: -4, cmax: 0 },
    { tickvals: [-4, -3, -2, -1, 0], ticktext: ['0.01%', '0.1%', '1%', '10%', '100%'] },
  );
  return { data, layout: g.layout };
}

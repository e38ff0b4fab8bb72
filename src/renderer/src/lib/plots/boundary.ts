/**
 * Decision regions of 2-D classifiers, one cell per variant: the predicted class as a tint whose
 * strength follows the model's confidence, with the data points on top in their class colors (a
 * palette of their own, never the variants' colors) and a legend of the classes. The axes span the
 * data (with a little room), not the whole computed grid.
 */
import type { DecisionBoundary } from '../../../../shared/api.js';
import type { GridLayout } from '../grid.js';
import { boundaryColorscale, boundaryValue, classColor } from '../palette.js';
import { escapeHtml, gridFigure } from './grid-figure.js';
import { heatmapHoverLabel, topLegend, type Figure, type PlotTokens, type Trace } from './theme.js';

export interface BoundaryOptions {
  tokens: PlotTokens;
  classNames: string[];
  titleColor?: (variantId: string) => string | undefined;
  cellHeight?: number;
}

/** The data points' extent on each axis, with 5% room (null without points). */
export function dataExtent(boundaries: Iterable<DecisionBoundary>): { x: [number, number]; y: [number, number] } | null {
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const b of boundaries)
    b.points.x.forEach((x, i) => {
      const y = b.points.y[i];
      if (!Number.isFinite(x) || !Number.isFinite(y)) return;
      [x0, x1, y0, y1] = [Math.min(x0, x), Math.max(x1, x), Math.min(y0, y), Math.max(y1, y)];
    });
  if (!(x1 >= x0) || !(y1 >= y0)) return null;
  const mx = 0.05 * (x1 - x0 || 1);
  const my = 0.05 * (y1 - y0 || 1);
  return { x: [x0 - mx, x1 + mx], y: [y0 - my, y1 + my] };
}

export function boundaryFigure(grid: GridLayout, boundaries: ReadonlyMap<string, DecisionBoundary>, o: BoundaryOptions): Figure {
  const t = o.tokens;
  const extent = dataExtent(boundaries.values());
  const g = gridFigure(grid, {
    tokens: t,
    cellHeight: o.cellHeight ?? 240,
    xTitle: 'x₁',
    yTitle: 'x₂',
    xExtra: extent ? { range: extent.x, autorange: false } : {},
    yExtra: extent ? { range: extent.y, autorange: false } : {},
    titleColor: o.titleColor,
    emptyNote: (id) => (boundaries.has(id) ? null : 'loading…'),
  });
  const k = Math.max(o.classNames.length, 2);
  const className = (c: number) => o.classNames[c] ?? `class ${c}`;
  const data: Trace[] = [...g.anchors];
  const inLegend = new Set<number>();
  for (const cell of grid.cells) {
    const a = g.axes.get(cell.variantId)!;
    const b = boundaries.get(cell.variantId);
    if (!b) continue;
    data.push({
      type: 'heatmap',
      hoverlabel: heatmapHoverLabel(t),
      x: b.xs,
      y: b.ys,
      z: b.classes.map((row, r) => row.map((c, col) => boundaryValue(c, b.confidence[r]?.[col] ?? 0, k))),
      customdata: b.classes.map((row, r) => row.map((c, col) => [className(c), b.confidence[r]?.[col] ?? 0])),
      zmin: 0,
      zmax: 1,
      colorscale: boundaryColorscale(k, t.theme),
      showscale: false,
      zsmooth: 'best',
      meta: cell.variantId,
      hovertemplate: `<b>${escapeHtml(cell.title)}</b><br>predicts %{customdata[0]} (%{customdata[1]:.0%})<extra></extra>`,
      ...a,
    });
    for (let c = 0; c < k; c++) {
      const xs: number[] = [];
      const ys: number[] = [];
      b.points.label.forEach((l, i) => {
        if (l === c) {
          xs.push(b.points.x[i]);
          ys.push(b.points.y[i]);
        }
      });
      if (xs.length === 0) continue;
      data.push({
        type: 'scatter',
        mode: 'markers',
        x: xs,
        y: ys,
        name: className(c),
        legendgroup: `class-${c}`,
        showlegend: !inLegend.has(c),
        marker: { size: 4, color: classColor(c, t.theme), line: { width: 0.5, color: t.paper } },
        meta: cell.variantId,
        hovertemplate: `${escapeHtml(className(c))}<extra></extra>`,
        ...a,
      });
      inLegend.add(c);
    }
  }
  g.layout.annotations = g.annotations;
  if (inLegend.size > 0) topLegend(g.layout, t, 'True class');
  return { data, layout: g.layout };
}

/**
 * Decision regions of 2-D classifiers, one cell per variant: the predicted class as a tint whose
 * strength follows the model's confidence, with the data points on top in their class colors.
 */
import type { DecisionBoundary } from '../../../../shared/api.js';
import type { GridLayout } from '../grid.js';
import { boundaryColorscale, boundaryValue, classColor } from '../palette.js';
import { escapeHtml, gridFigure } from './grid-figure.js';
import type { Figure, PlotTokens, Trace } from './theme.js';

export interface BoundaryOptions {
  tokens: PlotTokens;
  classNames: string[];
  titleColor?: (variantId: string) => string | undefined;
  cellHeight?: number;
}

export function boundaryFigure(grid: GridLayout, boundaries: ReadonlyMap<string, DecisionBoundary>, o: BoundaryOptions): Figure {
  const t = o.tokens;
  const g = gridFigure(grid, {
    tokens: t,
    cellHeight: o.cellHeight ?? 240,
    xTitle: 'x₁',
    yTitle: 'x₂',
    titleColor: o.titleColor,
    emptyNote: (id) => (boundaries.has(id) ? null : 'loading…'),
  });
  const k = Math.max(o.classNames.length, 2);
  const data: Trace[] = [...g.anchors];
  let first = true;
  for (const cell of grid.cells) {
    const a = g.axes.get(cell.variantId)!;
    const b = boundaries.get(cell.variantId);
    if (!b) continue;
    data.push({
      type: 'heatmap',
      x: b.xs,
      y: b.ys,
      z: b.classes.map((row, r) => row.map((c, col) => boundaryValue(c, b.confidence[r]?.[col] ?? 0, k))),
      customdata: b.classes.map((row, r) => row.map((c, col) => [o.classNames[c] ?? String(c), b.confidence[r]?.[col] ?? 0])),
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
        name: o.classNames[c] ?? `class ${c}`,
        marker: { size: 4, color: classColor(c, t.theme), line: { width: 0.5, color: t.paper } },
        meta: cell.variantId,
        hovertemplate: `${escapeHtml(o.classNames[c] ?? `class ${c}`)}<extra></extra>`,
        ...a,
      });
    }
    if (first) {
      // Equal units on both axes (the matching axes of the other cells follow).
      first = false;
      const key = a.yaxis.replace('y', 'yaxis');
      g.layout[key] = { ...(g.layout[key] as object), scaleanchor: a.xaxis };
    }
  }
  g.layout.annotations = g.annotations;
  return { data, layout: g.layout };
}

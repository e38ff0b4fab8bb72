/**
 * The learning-rate range test's figure: per variant the smoothed loss against the rate on a log
 * axis (the raw step losses faint behind it), a dashed vertical line at the suggested rate and a
 * dotted one at the rate where the test stopped. The y axis ends a little above the stop rule's
 * threshold (factor x the lowest smoothed loss) so the exploded tail does not flatten the rest.
 */
import type { LrFindResult } from '../../../../shared/api.js';
import { variantColor, withAlpha } from '../palette.js';
import { axis, baseLayout, type Figure, type PlotTokens, type Trace } from './theme.js';

export function lrFindFigure(r: LrFindResult, t: PlotTokens, height = 300): Figure {
  const data: Trace[] = [];
  const shapes: Record<string, unknown>[] = [];
  let top = 0;
  r.variants.forEach((v, k) => {
    const color = variantColor(k, t.theme);
    const pts = v.result.points.filter((p) => Number.isFinite(p.loss));
    const x = pts.map((p) => p.lr);
    data.push({
      type: 'scatter',
      mode: 'lines',
      x,
      y: pts.map((p) => p.loss),
      line: { color: withAlpha(color, 0.3), width: 1 },
      hoverinfo: 'skip',
      name: `${v.label} (step loss)`,
    });
    data.push({
      type: 'scatter',
      mode: 'lines',
      x,
      y: pts.map((p) => p.smoothed),
      line: { color, width: 2 },
      name: v.label,
      hovertemplate: `${v.label}<br>rate %{x:.2e}<br>smoothed loss %{y:.4g}<extra></extra>`,
    });
    const min = v.result.minimum;
    if (min) top = Math.max(top, Math.min(Math.max(...pts.map((p) => p.smoothed)), v.result.options.factor * min.smoothed));
    const line = (lr: number, dash: string) => ({
      type: 'line',
      xref: 'x',
      yref: 'paper',
      x0: lr,
      x1: lr,
      y0: 0,
      y1: 1,
      line: { color, width: 1.5, dash },
    });
    if (v.result.suggestion) shapes.push(line(v.result.suggestion.lr, 'dash'));
    if (v.result.explosionLr !== null) shapes.push(line(v.result.explosionLr, 'dot'));
  });
  const layout = baseLayout(t, height, { b: 52 });
  layout.xaxis = axis(t, { type: 'log', title: { text: 'learning rate (log scale)', font: { size: 12, color: t.muted } } });
  layout.yaxis = axis(t, { title: { text: 'loss', font: { size: 12, color: t.muted } }, ...(top > 0 ? { range: [0, top * 1.05] } : {}) });
  layout.shapes = shapes;
  layout.showlegend = r.variants.length > 1;
  return { data, layout };
}

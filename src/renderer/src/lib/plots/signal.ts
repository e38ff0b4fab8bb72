/**
 * The signal-at-initialization figure of the Design tab: per variant, the variance of the
 * forward signal (linear outputs z) and of the back-propagated gradient (dLoss/dz) per layer,
 * against depth, on log axes. A variance of exactly 0 cannot sit on a log axis: it is left out
 * of the line and listed in the hover text and the card's sentence instead. Pure.
 */
import type { VariantSignal } from '../../../../shared/api.js';
import { variantColor, variantDash } from '../palette.js';
import { baseLayout, type Figure, type PlotTokens, type Trace } from './theme.js';

export function signalFigure(variants: VariantSignal[], t: PlotTokens): Figure {
  const data: Trace[] = [];
  variants.forEach((v, i) => {
    const names = v.layers.map((l) => l.name);
    const color = variantColor(i, t.theme);
    const line = { color, width: 2, dash: variantDash(i) };
    const shown = (x: number) => (x > 0 && Number.isFinite(x) ? x : null);
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: v.label,
      meta: v.variantId,
      x: names,
      y: v.layers.map((l) => shown(l.preActivationVar)),
      text: v.layers.map((l) => `${v.label}<br>${l.name}: Var(z) = ${l.preActivationVar.toPrecision(3)}`),
      hoverinfo: 'text',
      line,
      xaxis: 'x',
      yaxis: 'y',
    });
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: v.label,
      meta: v.variantId,
      x: names,
      y: v.layers.map((l) => shown(l.gradVar)),
      text: v.layers.map((l) => `${v.label}<br>${l.name}: Var(dLoss/dz) = ${l.gradVar.toPrecision(3)}`),
      hoverinfo: 'text',
      line,
      xaxis: 'x2',
      yaxis: 'y2',
      showlegend: false,
    });
  });
  const axis = { gridcolor: t.grid, linecolor: t.axis, ticks: 'outside', zeroline: false };
  return {
    data,
    layout: {
      ...baseLayout(t, 300, { t: 56 }),
      showlegend: true,
      legend: { orientation: 'h', y: 1.22, x: 0 },
      grid: { rows: 1, columns: 2, pattern: 'independent' },
      xaxis: { ...axis, title: { text: 'layer (input side → output)' } },
      xaxis2: { ...axis, title: { text: 'layer (input side → output)' } },
      yaxis: { ...axis, type: 'log', exponentformat: 'power', title: { text: 'Var(z), forward' } },
      yaxis2: { ...axis, type: 'log', exponentformat: 'power', title: { text: 'Var(dLoss/dz), backward' } },
    },
  };
}

/**
 * Distributions of several variants at (about) one step on one axis: one layer's activations,
 * weights or gradients, one chosen seed's run per variant, drawn as outlined step histograms in
 * the variants' colors. Each variant uses its stored diagnostics step nearest the requested one,
 * named in its legend entry. On shared bins (see histogram-bins.ts) the y axis is the share of
 * entries per bin; when the bins cannot be shared exactly each run is drawn at its own bins as a
 * density (share per unit of value) and the figure says so. Pure.
 */
import type { RunDiagnostics } from '../../../../shared/api.js';
import { withAlpha } from '../palette.js';
import { escapeHtml } from './grid-figure.js';
import { DIST_QUANTITIES, histogramSeries, nearestStored, sharedBins, type DistQuantity } from './histogram-bins.js';
import { axis, baseLayout, topLegend, type Figure, type PlotTokens, type Trace } from './theme.js';

export interface OverlayRun {
  variantId: string;
  title: string;
  color: string;
  diag: RunDiagnostics | undefined;
}

export interface OverlayOptions {
  tokens: PlotTokens;
  quantity: DistQuantity;
  layer: number;
  /** The requested step: each run shows its stored step nearest to it. */
  step: number;
  height?: number;
}

export interface OverlayPick {
  variantId: string;
  title: string;
  /** The step actually shown, or null when the run has no such histogram. */
  step: number | null;
}

export interface OverlayFigure extends Figure {
  picks: OverlayPick[];
  /** True when every run is on the same bins (y = share per bin). */
  shared: boolean;
  /** What the figure cannot show, in words (empty when nothing). */
  notes: string[];
}

/** The union of the runs' stored diagnostics steps, ascending (the step picker's choices). */
export function overlaySteps(runs: OverlayRun[]): number[] {
  return [...new Set(runs.flatMap((r) => r.diag?.steps ?? []))].sort((a, b) => a - b);
}

export function distributionOverlayFigure(runs: OverlayRun[], o: OverlayOptions): OverlayFigure {
  const t = o.tokens;
  const picks: OverlayPick[] = [];
  const chosen: Array<{ run: OverlayRun; step: number; h: NonNullable<ReturnType<typeof histogramSeries>[number]> }> = [];
  const notes: string[] = [];
  for (const run of runs) {
    const series = run.diag ? histogramSeries(run.diag, o.quantity, o.layer) : [];
    const i = run.diag ? nearestStored(run.diag.steps, series, o.step) : -1;
    picks.push({ variantId: run.variantId, title: run.title, step: i >= 0 ? run.diag!.steps[i] : null });
    if (i >= 0) chosen.push({ run, step: run.diag!.steps[i], h: series[i]! });
    else if (run.diag) notes.push(`${run.title}: no ${DIST_QUANTITIES[o.quantity].label.toLowerCase()} histogram stored for this layer`);
  }
  const shared = sharedBins(
    chosen.map((c) => c.h),
    o.quantity === 'activation',
  );
  if (!shared && chosen.length > 1) notes.push('the runs’ bins do not nest, so each is drawn at its own bins as a density');
  if (shared && o.quantity !== 'activation') {
    // A run whose whole range is a bin or two of the shared ones shows as a spike: say its scale.
    const sharedWidth = (shared.hi - shared.lo) / (shared.counts[0]?.length || 1);
    for (const c of chosen)
      if (c.h.hi === c.h.lo) notes.push(`${c.run.title}: every value is exactly ${c.h.lo}`);
      else if (c.h.hi - c.h.lo < 2 * sharedWidth)
        notes.push(`${c.run.title}: every value within ±${Number(c.h.hi.toPrecision(3))}, narrower than two of the shared bins`);
  }
  const data: Trace[] = chosen.map((c, j) => {
    const lo = shared ? shared.lo : c.h.lo;
    const hi = shared ? shared.hi : c.h.hi;
    const counts = shared ? shared.counts[j] : c.h.counts;
    const total = counts.reduce((s, v) => s + v, 0);
    const bins = counts.length;
    const width = hi > lo ? (hi - lo) / bins : 1;
    const y = counts.map((v) => (total > 0 ? v / total : 0) / (shared ? 1 : width));
    const edges = Array.from({ length: bins + 1 }, (_, k) => lo + k * width);
    const name = `${c.run.title} · step ${c.step}`;
    return {
      type: 'scatter',
      mode: 'lines',
      // Step outline over the bin edges: the last value is repeated to close the last bin.
      x: edges,
      y: [...y, y[bins - 1] ?? 0],
      line: { shape: 'hv', color: c.run.color, width: 2 },
      fill: 'tozeroy',
      fillcolor: withAlpha(c.run.color, 0.12),
      name,
      meta: c.run.variantId,
      customdata: [...edges.slice(1), hi],
      hovertemplate: `<b>${escapeHtml(name)}</b><br>[%{x:.3g}, %{customdata:.3g})<br>${shared ? '%{y:.2%} of entries' : '%{y:.3g} per unit'}<extra></extra>`,
    };
  });
  const layout = {
    ...baseLayout(t, o.height ?? 320, { l: 72 }),
    xaxis: axis(t, { title: { text: DIST_QUANTITIES[o.quantity].axis, font: { size: 12, color: t.muted } } }),
    yaxis: axis(t, {
      rangemode: 'tozero',
      ...(shared ? { tickformat: '.0%' } : {}),
      title: { text: shared ? 'share of entries per bin' : 'share per unit of value (own bins)', font: { size: 12, color: t.muted } },
    }),
  };
  if (data.length) topLegend(layout, t, 'Variant · step shown');
  return { data, layout, picks, shared: Boolean(shared), notes };
}

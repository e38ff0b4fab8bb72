/**
 * Learning curves: small multiples (one cell per variant, shared axes, train and validation mean
 * with a 95% band, best-epoch and early-stop markers) and the overlay of all variants. Smoothing
 * draws the EMA on top and the raw mean faint underneath; long series are thinned with LTTB for
 * display. Pure: bands and options in, a Plotly figure out.
 */
import { lttbIndices, pick } from '../lttb.js';
import { withAlpha, type Dash } from '../palette.js';
import { ema } from '../smoothing.js';
import type { GridLayout } from '../grid.js';
import { escapeHtml, gridFigure, type Axes } from './grid-figure.js';
import { applyLogTicks, positiveExtent } from './ticks.js';
import { axis, axisTitle, baseLayout, type Figure, type PlotTokens, type Trace } from './theme.js';

export interface BandLike {
  x: readonly number[];
  mean: readonly number[];
  lower: readonly number[];
  upper: readonly number[];
}

export type Role = 'train' | 'val';

export interface MarkerGroup {
  /** x in the band's coordinates (before xOffset). */
  x: number;
  seeds: number[];
}

export interface CurveSeries {
  variantId: string;
  label: string;
  color: string;
  dash: Dash;
  lines: Array<{ role: Role; band: BandLike }>;
  best?: MarkerGroup[];
  stopped?: MarkerGroup[];
}

export interface CurveOptions {
  tokens: PlotTokens;
  logY: boolean;
  /** EMA weight in [0, 1). */
  smoothing: number;
  highlight: string | null;
  xTitle: string;
  yTitle: string;
  /** Values are fractions shown as percentages. */
  percent: boolean;
  /** Added to x for display (1 turns 0-based epoch indices into "epochs completed"). */
  xOffset: number;
  xRange: [number, number] | null;
  /** Display points per line (LTTB above this). */
  maxPoints: number;
  /** Which lines the overlay draws. */
  roles?: readonly Role[];
}

export interface PreparedLine {
  x: number[];
  raw: number[];
  mean: number[];
  lower: number[];
  upper: number[];
}

/** Offsets x, clamps for log scale, smooths and thins one band. */
export function prepareLine(band: BandLike, o: Pick<CurveOptions, 'logY' | 'smoothing' | 'xOffset' | 'maxPoints'>): PreparedLine {
  const x = band.x.map((v) => v + o.xOffset);
  let raw = band.mean.slice();
  let lower = band.lower.slice();
  let upper = band.upper.slice();
  if (o.logY) {
    const positive = raw.filter((v) => v > 0 && Number.isFinite(v));
    const floor = positive.length ? Math.min(...positive) / 10 : 1e-12;
    const clamp = (v: number) => (Number.isFinite(v) ? Math.max(v, floor) : v);
    raw = raw.map(clamp);
    lower = lower.map(clamp);
    upper = upper.map(clamp);
  }
  const mean = o.smoothing > 0 ? ema(raw, o.smoothing) : raw;
  if (o.smoothing > 0) {
    lower = ema(lower, o.smoothing);
    upper = ema(upper, o.smoothing);
  }
  const idx = lttbIndices(x, mean, o.maxPoints);
  return { x: pick(x, idx), raw: pick(raw, idx), mean: pick(mean, idx), lower: pick(lower, idx), upper: pick(upper, idx) };
}

/** y of a prepared line at (the point nearest to) x. */
export function valueAt(line: PreparedLine, x: number): number | null {
  let best = -1;
  let dist = Infinity;
  line.x.forEach((v, i) => {
    const d = Math.abs(v - x);
    if (d < dist && Number.isFinite(line.mean[i])) {
      dist = d;
      best = i;
    }
  });
  return best < 0 ? null : line.mean[best];
}

/**
 * Spreads label positions (normalized to [0, 1]) so neighbours are at least `gap` apart, keeping
 * their order and staying inside [0, 1]. Returns positions in the input order.
 */
export function spreadLabels(ys: readonly number[], gap: number): number[] {
  const order = ys.map((y, i) => ({ y: Number.isFinite(y) ? y : 0.5, i })).sort((a, b) => a.y - b.y);
  const pos = order.map((o) => o.y);
  for (let pass = 0; pass < 50; pass++) {
    let moved = false;
    for (let k = 1; k < pos.length; k++) {
      const overlap = gap - (pos[k] - pos[k - 1]);
      if (overlap > 1e-9) {
        pos[k - 1] -= overlap / 2;
        pos[k] += overlap / 2;
        moved = true;
      }
    }
    const lo = pos.length ? Math.min(0, pos[0]) : 0;
    const hi = pos.length ? Math.max(1, pos[pos.length - 1]) : 1;
    if (lo < 0) for (let k = 0; k < pos.length; k++) pos[k] -= lo;
    if (hi > 1) for (let k = 0; k < pos.length; k++) pos[k] -= hi - 1;
    if (!moved) break;
  }
  const out = new Array<number>(ys.length);
  order.forEach((o, k) => (out[o.i] = pos[k]));
  return out;
}

const ROLE_NAME: Record<Role, string> = { train: 'train', val: 'validation' };

function lineTraces(s: CurveSeries, role: Role, line: PreparedLine, axes: Axes, o: CurveOptions): Trace[] {
  const dim = o.highlight !== null && o.highlight !== s.variantId;
  const strong = o.highlight === s.variantId;
  const fade = dim ? 0.18 : 1;
  const yFmt = o.percent ? '.1%' : '.4g';
  const out: Trace[] = [];
  const ok = line.x.map((_, i) => Number.isFinite(line.lower[i]) && Number.isFinite(line.upper[i]));
  const bx = line.x.filter((_, i) => ok[i]);
  if (bx.length > 1) {
    const up = line.upper.filter((_, i) => ok[i]);
    const lo = line.lower.filter((_, i) => ok[i]);
    out.push({
      type: 'scatter',
      mode: 'lines',
      x: [...bx, ...bx.slice().reverse()],
      y: [...up, ...lo.reverse()],
      fill: 'toself',
      fillcolor: withAlpha(s.color, (role === 'val' ? 0.16 : 0.1) * fade),
      line: { width: 0, color: withAlpha(s.color, 0) },
      hoverinfo: 'skip',
      meta: s.variantId,
      ...axes,
    });
  }
  if (o.smoothing > 0) {
    out.push({
      type: 'scatter',
      mode: 'lines',
      x: line.x,
      y: line.raw,
      line: { width: 1, color: s.color, dash: role === 'train' ? 'dot' : s.dash },
      opacity: 0.3 * fade,
      hoverinfo: 'skip',
      meta: s.variantId,
      ...axes,
    });
  }
  out.push({
    type: 'scatter',
    mode: 'lines',
    name: `${s.label} · ${ROLE_NAME[role]}`,
    x: line.x,
    y: line.mean,
    line: { width: (role === 'val' ? 2 : 1.5) + (strong ? 1 : 0), color: s.color, dash: role === 'train' ? 'dot' : s.dash },
    opacity: fade,
    meta: s.variantId,
    hovertemplate: `<b>${escapeHtml(s.label)}</b> · ${ROLE_NAME[role]}<br>${escapeHtml(o.xTitle)} %{x}<br>%{y:${yFmt}}<extra></extra>`,
    ...axes,
  });
  return out;
}

function markerTraces(s: CurveSeries, lines: Map<Role, PreparedLine>, axes: Axes, o: CurveOptions): Trace[] {
  const target = lines.get('val') ?? lines.get('train');
  if (!target) return [];
  const dim = o.highlight !== null && o.highlight !== s.variantId;
  const make = (groups: MarkerGroup[] | undefined, kind: 'best' | 'stopped'): Trace | null => {
    if (!groups || groups.length === 0) return null;
    const xs: number[] = [];
    const ys: number[] = [];
    const text: string[] = [];
    for (const g of groups) {
      const x = g.x + o.xOffset;
      const y = valueAt(target, x);
      if (y === null) continue;
      xs.push(x);
      ys.push(y);
      const who = g.seeds.length === 1 ? `seed ${g.seeds[0]}` : `seeds ${g.seeds.join(', ')}`;
      text.push(kind === 'best' ? `best epoch ${x} (${who})` : `early stop after epoch ${x} (${who})`);
    }
    if (xs.length === 0) return null;
    return {
      type: 'scatter',
      mode: 'markers',
      x: xs,
      y: ys,
      text,
      meta: s.variantId,
      hovertemplate: `<b>${escapeHtml(s.label)}</b><br>%{text}<extra></extra>`,
      opacity: dim ? 0.2 : 1,
      marker:
        kind === 'best'
          ? { symbol: 'diamond', size: 9, color: s.color, line: { width: 1.5, color: o.tokens.paper } }
          : { symbol: 'x-thin', size: 10, color: s.color, line: { width: 2.5, color: s.color } },
      ...axes,
    };
  };
  return [make(s.best, 'best'), make(s.stopped, 'stopped')].filter((t): t is Trace => t !== null);
}

function yAxisExtra(o: CurveOptions): Record<string, unknown> {
  return { type: o.logY ? 'log' : 'linear', tickformat: o.percent && !o.logY ? '.0%' : undefined };
}

/** One cell per variant on a shared grid. */
export function smallMultiplesFigure(
  grid: GridLayout,
  series: ReadonlyMap<string, CurveSeries>,
  o: CurveOptions,
  cellHeight = grid.rows <= 1 ? 250 : grid.rows === 2 ? 210 : 180,
): Figure {
  const t = o.tokens;
  const g = gridFigure(grid, {
    tokens: t,
    cellHeight,
    xTitle: o.xTitle,
    yTitle: o.yTitle,
    yExtra: yAxisExtra(o),
    xRange: o.xRange,
    titleColor: (id) => series.get(id)?.color,
    emptyNote: (id) => (series.get(id)?.lines.length ? null : 'no data yet'),
  });
  const data: Trace[] = [...g.anchors];
  const shown: number[][] = [];
  let labelled = false;
  for (const cell of grid.cells) {
    const axes = g.axes.get(cell.variantId)!;
    const s = series.get(cell.variantId);
    if (!s || s.lines.length === 0) continue;
    const prepared = new Map<Role, PreparedLine>();
    for (const l of s.lines) prepared.set(l.role, prepareLine(l.band, o));
    for (const [role, line] of prepared) {
      data.push(...lineTraces(s, role, line, axes, o));
      shown.push(line.lower, line.upper, line.raw);
    }
    data.push(...markerTraces(s, prepared, axes, o));
    // Direct labels for train/validation once, in the first cell that has both.
    if (!labelled && prepared.size === 2) {
      labelled = true;
      for (const [role, line] of prepared) {
        const i = lastFinite(line.mean);
        if (i < 0) continue;
        g.annotations.push({
          text: ROLE_NAME[role],
          x: line.x[i],
          y: o.logY ? Math.log10(line.mean[i]) : line.mean[i],
          xref: axes.xaxis,
          yref: axes.yaxis,
          xanchor: 'right',
          yanchor: role === 'val' ? 'bottom' : 'top',
          yshift: role === 'val' ? 3 : -3,
          showarrow: false,
          font: { size: 11, color: t.muted },
        });
      }
    }
  }
  g.layout.annotations = g.annotations;
  if (o.logY) applyLogTicks(g.layout, positiveExtent(...shown));
  return { data, layout: g.layout };
}

/** All variants in one plot with direct labels at the line ends. */
export function overlayFigure(series: readonly CurveSeries[], o: CurveOptions, height = 380): Figure {
  const t = o.tokens;
  const roles = o.roles ?? ['val'];
  const data: Trace[] = [];
  const ends: Array<{ label: string; color: string; x: number; y: number; id: string }> = [];
  const shown: number[][] = [];
  const axes: Axes = { xaxis: 'x', yaxis: 'y' };
  for (const s of series) {
    const prepared = new Map<Role, PreparedLine>();
    for (const l of s.lines) if (roles.includes(l.role)) prepared.set(l.role, prepareLine(l.band, o));
    for (const [role, line] of prepared) {
      data.push(...lineTraces(s, role, line, axes, o));
      shown.push(line.lower, line.upper, line.raw);
    }
    data.push(...markerTraces(s, prepared, axes, o));
    const main = prepared.get(roles[0]) ?? [...prepared.values()][0];
    if (main) {
      const i = lastFinite(main.mean);
      if (i >= 0) ends.push({ label: s.label, color: s.color, x: main.x[i], y: main.mean[i], id: s.variantId });
    }
  }
  const layout = baseLayout(t, height, { l: 72, r: 130, t: 16, b: 56 });
  layout.xaxis = axis(t, { range: o.xRange ?? undefined, autorange: o.xRange ? false : undefined });
  layout.yaxis = axis(t, yAxisExtra(o));
  layout.hovermode = 'x unified';
  if (o.logY) applyLogTicks(layout, positiveExtent(...shown));
  // Direct labels, spread apart in the axis's own (log or linear) units over the plotted range.
  const f = (v: number) => (o.logY ? Math.log10(v) : v);
  const all = shown.flat().filter((v) => Number.isFinite(v) && (!o.logY || v > 0));
  const lo = all.length ? f(Math.min(...all)) : 0;
  const hi = all.length ? f(Math.max(...all)) : 1;
  const span = hi - lo || 1;
  const spread = spreadLabels(
    ends.map((e) => (f(e.y) - lo) / span),
    0.065,
  );
  layout.annotations = [
    ...ends.map((e, i) => ({
      text: escapeHtml(e.label),
      x: e.x,
      y: lo + spread[i] * span,
      yanchor: 'middle',
      xref: 'x',
      yref: 'y',
      xanchor: 'left',
      xshift: 8,
      showarrow: false,
      font: { size: 12, color: e.color },
      opacity: o.highlight !== null && o.highlight !== e.id ? 0.3 : 1,
    })),
    axisTitle(t, o.xTitle, 'x', 30),
    axisTitle(t, o.yTitle, 'y', 52),
  ];
  return { data, layout };
}

function lastFinite(values: readonly number[]): number {
  for (let i = values.length - 1; i >= 0; i--) if (Number.isFinite(values[i])) return i;
  return -1;
}

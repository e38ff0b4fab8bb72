/**
 * Learning curves: small multiples (one cell per variant, shared axes, train and validation mean
 * with a 95% band, best-epoch and early-stop markers) and the overlay of all variants. Lines come
 * prepared (aggregate.ts: mean and band across seeds, smoothed, thinned); with smoothing the raw
 * mean is drawn faint underneath; on demand each seed's line replaces the band. Hovering a line
 * shows that point's mean, interval and n only. Pure: prepared lines and options in, a figure out.
 */
import { lttbIndices, pick } from '../lttb.js';
import { withAlpha, type Dash } from '../palette.js';
import { ema } from '../smoothing.js';
import type { GridLayout } from '../grid.js';
import { escapeHtml, gridFigure, type Axes } from './grid-figure.js';
import { placeLabels } from './curve-labels.js';
import { bandHoverText } from './hover.js';
import { applyLogTicks, integerTicks, positiveExtent } from './ticks.js';
import { axis, axisTitle, baseLayout, type Figure, type PlotTokens, type Trace } from './theme.js';

export { spreadLabels } from './curve-labels.js';

export interface BandLike {
  x: readonly number[];
  mean: readonly number[];
  lower: readonly number[];
  upper: readonly number[];
  n?: readonly number[];
}

export type Role = 'train' | 'val';

export interface CurveMarker {
  kind: 'best' | 'stopped';
  /** On the plot's x axis. */
  x: number;
  /** What the marker stands for, shown on hover. */
  text: string;
}

export interface CurveSeries {
  variantId: string;
  label: string;
  color: string;
  dash: Dash;
  lines: Array<{ role: Role; line: PreparedLine }>;
  /** Each seed's line (drawn instead of the band when the options ask for seeds). */
  seedLines?: Array<{ seed: number; role: Role; x: number[]; y: number[] }>;
  markers?: CurveMarker[];
}

export interface CurveOptions {
  tokens: PlotTokens;
  logY: boolean;
  /** EMA weight in [0, 1) the lines were smoothed with (the raw mean is then drawn faint). */
  smoothing: number;
  highlight: string | null;
  xTitle: string;
  yTitle: string;
  /** Values are fractions shown as percentages. */
  percent: boolean;
  xRange: [number, number] | null;
  /** x counts whole things (steps, epochs): ticks at whole numbers only. */
  integerX?: boolean;
  /** Draw each seed's line instead of the band. */
  seeds?: boolean;
  /** Which lines the overlay draws. */
  roles?: readonly Role[];
}

export interface PreparedLine {
  x: number[];
  raw: number[];
  mean: number[];
  lower: number[];
  upper: number[];
  /** Seeds behind each point, when known. */
  n?: number[];
}

/** Offsets x, clamps for log scale, smooths and thins one band. */
export function prepareLine(band: BandLike, o: { logY: boolean; smoothing: number; xOffset: number; maxPoints: number }): PreparedLine {
  const x = band.x.map((v) => v + o.xOffset);
  let raw = band.mean.slice();
  let lower = band.lower.slice();
  let upper = band.upper.slice();
  if (o.logY) {
    let floor = Infinity;
    for (const v of raw) if (v > 0 && Number.isFinite(v) && v < floor) floor = v;
    floor = Number.isFinite(floor) ? floor / 10 : 1e-12;
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
  const out: PreparedLine = {
    x: pick(x, idx),
    raw: pick(raw, idx),
    mean: pick(mean, idx),
    lower: pick(lower, idx),
    upper: pick(upper, idx),
  };
  if (band.n) out.n = pick(band.n, idx);
  return out;
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

const ROLE_NAME: Record<Role, string> = { train: 'train', val: 'validation' };

/** A line of one point draws nothing in Plotly's 'lines' mode: it gets a marker. */
const modeFor = (points: number) => (points === 1 ? 'lines+markers' : 'lines');

export function lineTraces(s: CurveSeries, role: Role, line: PreparedLine, axes: Axes, o: CurveOptions, band: boolean): Trace[] {
  const dim = o.highlight !== null && o.highlight !== s.variantId;
  const strong = o.highlight === s.variantId;
  const fade = dim ? 0.18 : 1;
  const dash = role === 'train' ? 'dot' : s.dash;
  const out: Trace[] = [];
  const ok = line.x.map((_, i) => Number.isFinite(line.lower[i]) && Number.isFinite(line.upper[i]));
  const bx = line.x.filter((_, i) => ok[i]);
  if (band && !o.seeds && bx.length > 1) {
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
  if (o.seeds) {
    for (const sl of s.seedLines ?? []) {
      if (sl.role !== role) continue;
      out.push({
        type: 'scatter',
        mode: modeFor(sl.x.length),
        name: `${s.label} · seed ${sl.seed}`,
        x: sl.x,
        y: sl.y,
        line: { width: 1, color: s.color, dash },
        marker: { size: 4, color: s.color },
        opacity: 0.45 * fade,
        meta: s.variantId,
        hovertemplate: `<b>${escapeHtml(s.label)}</b> · ${ROLE_NAME[role]}, seed ${sl.seed}<br>${escapeHtml(o.xTitle)} %{x}<br>%{y:${o.percent ? '.1%' : '.4g'}}<extra></extra>`,
        ...axes,
      });
    }
  } else if (o.smoothing > 0) {
    out.push({
      type: 'scatter',
      mode: 'lines',
      x: line.x,
      y: line.raw,
      line: { width: 1, color: s.color, dash },
      opacity: 0.3 * fade,
      hoverinfo: 'skip',
      meta: s.variantId,
      ...axes,
    });
  }
  out.push({
    type: 'scatter',
    mode: modeFor(line.x.length),
    name: `${s.label} · ${ROLE_NAME[role]}`,
    x: line.x,
    y: line.mean,
    text: bandHoverText(line, { percent: o.percent, smoothed: o.smoothing > 0 }),
    line: { width: (role === 'val' ? 2 : 1.5) + (strong ? 1 : 0), color: s.color, dash },
    marker: { size: 6, color: s.color },
    opacity: fade,
    meta: s.variantId,
    hovertemplate: `<b>${escapeHtml(s.label)}</b> · ${ROLE_NAME[role]}<br>${escapeHtml(o.xTitle)} %{x}<br>%{text}<extra></extra>`,
    ...axes,
  });
  return out;
}

export function markerTraces(s: CurveSeries, lines: Map<Role, PreparedLine>, axes: Axes, o: CurveOptions): Trace[] {
  const target = lines.get('val') ?? lines.get('train');
  if (!target || !s.markers?.length) return [];
  const dim = o.highlight !== null && o.highlight !== s.variantId;
  const out: Trace[] = [];
  for (const kind of ['best', 'stopped'] as const) {
    const ms = s.markers.filter((m) => m.kind === kind);
    const placed = ms.map((m) => ({ m, y: valueAt(target, m.x) })).filter((p): p is { m: CurveMarker; y: number } => p.y !== null);
    if (placed.length === 0) continue;
    out.push({
      type: 'scatter',
      mode: 'markers',
      x: placed.map((p) => p.m.x),
      y: placed.map((p) => p.y),
      text: placed.map((p) => p.m.text),
      meta: s.variantId,
      hovertemplate: `<b>${escapeHtml(s.label)}</b><br>%{text}<extra></extra>`,
      opacity: dim ? 0.2 : 1,
      marker:
        kind === 'best'
          ? { symbol: 'diamond', size: 9, color: s.color, line: { width: 1.5, color: o.tokens.paper } }
          : { symbol: 'x-thin', size: 10, color: s.color, line: { width: 2.5, color: s.color } },
      ...axes,
    });
  }
  return out;
}

export function yAxisExtra(o: CurveOptions): Record<string, unknown> {
  return { type: o.logY ? 'log' : 'linear', tickformat: o.percent && !o.logY ? '.0%' : undefined };
}

/** Whole-number x ticks over the shown range (steps and epochs have no fractions). */
export function xAxisExtra(o: CurveOptions, lines: ReadonlyArray<{ x: readonly number[] }>, count = 6): Record<string, unknown> {
  if (!o.integerX) return count < 6 ? { nticks: count } : {};
  let lo = Infinity;
  let hi = -Infinity;
  for (const l of lines) for (const v of l.x) if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  const [a, b] = o.xRange ?? [lo, hi];
  return integerTicks(a, b, count);
}

/** One cell per variant on a shared grid. */
export function smallMultiplesFigure(
  grid: GridLayout,
  series: ReadonlyMap<string, CurveSeries>,
  o: CurveOptions,
  cellHeight = grid.rows <= 1 ? 250 : grid.rows === 2 ? 210 : 180,
): Figure {
  const t = o.tokens;
  const all = [...series.values()].flatMap((s) => s.lines.map((l) => l.line));
  const g = gridFigure(grid, {
    tokens: t,
    cellHeight,
    xTitle: o.xTitle,
    yTitle: o.yTitle,
    xExtra: xAxisExtra(o, all),
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
    const prepared = new Map(s.lines.map((l) => [l.role, l.line]));
    for (const [role, line] of prepared) {
      data.push(...lineTraces(s, role, line, axes, o, true));
      shown.push(line.lower, line.upper, line.raw);
    }
    data.push(...markerTraces(s, prepared, axes, o));
    // Direct labels for train/validation once, in the first cell that has both.
    if (!labelled && prepared.size === 2) {
      labelled = true;
      g.annotations.push(...roleLabels(prepared, axes, o));
    }
  }
  g.layout.annotations = g.annotations;
  if (o.logY) applyLogTicks(g.layout, positiveExtent(...shown));
  return { data, layout: g.layout };
}

/** "train" and "validation" written at the end of their lines. */
export function roleLabels(prepared: ReadonlyMap<Role, PreparedLine>, axes: Axes, o: CurveOptions): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const [role, line] of prepared) {
    const i = lastFinite(line.mean);
    if (i < 0) continue;
    out.push({
      text: ROLE_NAME[role],
      x: line.x[i],
      y: o.logY ? Math.log10(line.mean[i]) : line.mean[i],
      xref: axes.xaxis,
      yref: axes.yaxis,
      xanchor: 'right',
      yanchor: role === 'val' ? 'bottom' : 'top',
      yshift: role === 'val' ? 3 : -3,
      showarrow: false,
      font: { size: 11, color: o.tokens.muted },
    });
  }
  return out;
}

/** Bands in the overlay: every variant's while they are few; past that, only the highlighted one's (overlapping tints turn muddy). */
export const OVERLAY_BAND_LIMIT = 3;

/** All variants in one plot with direct labels at the right edge. */
export function overlayFigure(series: readonly CurveSeries[], o: CurveOptions, height = 380): Figure {
  const t = o.tokens;
  const roles = o.roles ?? ['val'];
  const data: Trace[] = [];
  const ends: Array<{ label: string; color: string; y: number; id: string }> = [];
  const shown: number[][] = [];
  const axes: Axes = { xaxis: 'x', yaxis: 'y' };
  const allBands = series.length <= OVERLAY_BAND_LIMIT;
  for (const s of series) {
    const prepared = new Map(s.lines.filter((l) => roles.includes(l.role)).map((l) => [l.role, l.line]));
    for (const [role, line] of prepared) {
      data.push(...lineTraces(s, role, line, axes, o, allBands || o.highlight === s.variantId));
      shown.push(line.lower, line.upper, line.raw);
    }
    data.push(...markerTraces(s, prepared, axes, o));
    const main = prepared.get(roles[0]) ?? [...prepared.values()][0];
    const i = main ? lastFinite(main.mean) : -1;
    if (main && i >= 0) ends.push({ label: s.label, color: s.color, y: main.mean[i], id: s.variantId });
  }
  const margin = { l: 72, r: 150, t: 16, b: 56 };
  const layout = baseLayout(t, height, margin);
  layout.xaxis = axis(t, {
    range: o.xRange ?? undefined,
    autorange: o.xRange ? false : undefined,
    ...xAxisExtra(
      o,
      series.flatMap((s) => s.lines.map((l) => l.line)),
    ),
  });
  layout.yaxis = axis(t, yAxisExtra(o));
  if (o.logY) applyLogTicks(layout, positiveExtent(...shown));
  // Labels at the right edge, spread in the axis's own (log or linear) units over the plotted range.
  const f = (v: number) => (o.logY ? Math.log10(v) : v);
  const values = shown.flat().filter((v) => Number.isFinite(v) && (!o.logY || v > 0));
  const lo = values.length ? f(Math.min(...values)) : 0;
  const hi = values.length ? f(Math.max(...values)) : 1;
  const span = hi - lo || 1;
  const keep = ends.flatMap((e, i) => (e.id === o.highlight ? [i] : []));
  const placed = placeLabels(
    ends.map((e) => (f(e.y) - lo) / span),
    16 / (height - margin.t - margin.b),
    keep,
  );
  layout.annotations = [
    ...ends.flatMap((e, i) => {
      const at = placed[i];
      if (at === null) return [];
      return [
        {
          text: escapeHtml(e.label),
          x: 1,
          xref: 'paper',
          xanchor: 'left',
          xshift: 6,
          y: lo + at * span,
          yref: 'y',
          yanchor: 'middle',
          showarrow: false,
          font: { size: 12, color: e.color },
          opacity: o.highlight !== null && o.highlight !== e.id ? 0.3 : 1,
        },
      ];
    }),
    axisTitle(t, o.xTitle, 'x', 30),
    axisTitle(t, o.yTitle, 'y', 52),
  ];
  return { data, layout };
}

function lastFinite(values: readonly number[]): number {
  for (let i = values.length - 1; i >= 0; i--) if (Number.isFinite(values[i])) return i;
  return -1;
}

/**
 * The learning curves' small multiples as Compare draws them: one plot per variant, all with the
 * same x and y ranges (worked out here, as Plotly's autorange would for one plot holding every
 * variant) and ticks, so they compare at a glance. While runs train each panel redraws on its own,
 * one small Plotly redraw per frame instead of one of the whole grid (issue 18's longest task);
 * its lines are thinned to the panel's few hundred pixels. The Export tab draws the one-figure
 * version (curves.ts smallMultiplesFigure) with the same traces. Pure: prepared lines in, figures out.
 */
import { lttbIndices, pick } from '../lttb.js';
import type { GridLayout } from '../grid.js';
import {
  lineTraces,
  markerTraces,
  roleLabels,
  xAxisExtra,
  yAxisExtra,
  type CurveOptions,
  type CurveSeries,
  type PreparedLine,
} from './curves.js';
import { cellNote, escapeHtml, headerLabel, type Axes } from './grid-figure.js';
import { applyLogTicks, positiveExtent } from './ticks.js';
import { axis, baseLayout, type Figure, type Trace } from './theme.js';

/** Points per line in a panel of the small multiples: a panel is a few hundred pixels wide. */
export const PANEL_POINTS = 250;

/** Thinned copies already made, per line and size (lines are never changed once prepared). */
const thinnedLines = new WeakMap<object, Map<number, unknown>>();

function memo<L extends object, T>(line: L, maxPoints: number, make: () => T): T {
  let bySize = thinnedLines.get(line);
  if (!bySize) thinnedLines.set(line, (bySize = new Map()));
  if (!bySize.has(maxPoints)) bySize.set(maxPoints, make());
  return bySize.get(maxPoints) as T;
}

/** A prepared line with at most `maxPoints` points (largest-triangle-three-buckets on its mean). */
export function thinLine(line: PreparedLine, maxPoints: number): PreparedLine {
  if (line.x.length <= maxPoints) return line;
  return memo(line, maxPoints, () => {
    const idx = lttbIndices(line.x, line.mean, maxPoints);
    const out: PreparedLine = {
      x: pick(line.x, idx),
      raw: pick(line.raw, idx),
      mean: pick(line.mean, idx),
      lower: pick(line.lower, idx),
      upper: pick(line.upper, idx),
    };
    if (line.n) out.n = pick(line.n, idx);
    return out;
  });
}

type SeedLine = NonNullable<CurveSeries['seedLines']>[number];

function thinSeedLine(sl: SeedLine, maxPoints: number): SeedLine {
  if (sl.x.length <= maxPoints) return sl;
  return memo(sl, maxPoints, () => {
    const idx = lttbIndices(sl.x, sl.y, maxPoints);
    return { ...sl, x: pick(sl.x, idx), y: pick(sl.y, idx) };
  });
}

/** One variant's learning curves as a plot of its own (Compare draws the small multiples so). */
export interface CurvePanel {
  variantId: string;
  row: number;
  col: number;
  title: string;
  figure: Figure;
}

export interface CurvePanels {
  rows: number;
  cols: number;
  panels: CurvePanel[];
  /** Headers of the rows and columns (factor values), null when the panels wrap with a title each. */
  rowLabels: string[] | null;
  colLabels: string[] | null;
  /** The ranges every panel shows (axis units: log10 for a log y axis), null while no data. */
  xRange: [number, number] | null;
  yRange: [number, number] | null;
}

/** Smallest and largest finite value of several arrays (positive only, for a log axis). */
function extent(arrays: ReadonlyArray<readonly number[]>, positive: boolean): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const arr of arrays)
    for (const v of arr) {
      if (!Number.isFinite(v) || (positive && !(v > 0))) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  return lo <= hi ? [lo, hi] : null;
}

/**
 * The x and y ranges shared by all panels, as Plotly's autorange would give one plot holding every
 * variant's lines (what the matched axes of the one-figure small multiples showed): x tight to the
 * data (or the user's zoom) but for room for markers at an edge, y padded by 5% of its span each
 * side, in log10 units on a log axis.
 */
export function sharedCurveRanges(
  series: readonly CurveSeries[],
  o: Pick<CurveOptions, 'logY' | 'seeds' | 'xRange' | 'smoothing'>,
): { x: [number, number] | null; y: [number, number] | null } {
  const xs: number[][] = [];
  const ys: number[][] = [];
  for (const s of series) {
    for (const { line } of s.lines) {
      xs.push(line.x);
      // What lineTraces draws: the mean; the band (2 points or more) unless seeds are shown; the raw mean under smoothing.
      ys.push(line.mean);
      if (!o.seeds && line.x.length > 1) ys.push(line.lower, line.upper);
      if (!o.seeds && o.smoothing > 0) ys.push(line.raw);
    }
    if (o.seeds)
      for (const sl of s.seedLines ?? []) {
        xs.push(sl.x);
        ys.push(sl.y);
      }
  }
  let x = o.xRange ?? extent(xs, false);
  if (x && x[0] === x[1]) x = [x[0] - 1, x[1] + 1];
  else if (x && !o.xRange) {
    // Markers (best epoch, early stop, a line's single point) at an edge would be cut in half:
    // that side gets 3% of room, as Plotly's autorange pads for markers.
    const dots = series.flatMap((s) => [
      ...(s.markers ?? []).map((m) => m.x),
      ...s.lines.flatMap((l) => (l.line.x.length === 1 ? l.line.x : [])),
    ]);
    const pad = 0.03 * (x[1] - x[0]);
    x = [dots.some((v) => v - x![0] < pad) ? x[0] - pad : x[0], dots.some((v) => x![1] - v < pad) ? x[1] + pad : x[1]];
  }
  const e = extent(ys, o.logY);
  let y: [number, number] | null = null;
  if (e) {
    const [lo, hi] = o.logY ? [Math.log10(e[0]), Math.log10(e[1])] : e;
    const pad = hi > lo ? 0.05 * (hi - lo) : Math.abs(lo) > 0 ? 0.1 * Math.abs(lo) : 0.5;
    y = [lo - pad, hi + pad];
  }
  return { x, y };
}

/**
 * Small multiples as one plot per variant, each with the same x and y ranges so they compare at a
 * glance, the same ticks, and tick labels on every panel (the axis titles are the view's, in HTML).
 * While runs train, a panel redraws alone (one small Plotly redraw instead of one of the whole
 * grid, the longest task of a live Compare tab). When the panels wrap, each names its variant;
 * when the grid has row and column headers, the view draws those instead.
 */
export function curvePanels(
  grid: GridLayout,
  series: ReadonlyMap<string, CurveSeries>,
  o: CurveOptions,
  height = 210,
  maxPoints = PANEL_POINTS,
): CurvePanels {
  const t = o.tokens;
  const shown = grid.cells.flatMap((c) => {
    const s = series.get(c.variantId);
    return s ? [s] : [];
  });
  const ranges = sharedCurveRanges(shown, o);
  const all = shown.flatMap((s) => s.lines.map((l) => l.line));
  const logExtent = o.logY
    ? positiveExtent(...shown.flatMap((s) => s.lines.flatMap((l) => [l.line.lower, l.line.upper, l.line.raw])))
    : null;
  const titles = !grid.rowLabels;
  const axes: Axes = { xaxis: 'x', yaxis: 'y' };
  let labelled = false;
  const panels = grid.cells.map((cell): CurvePanel => {
    const s = series.get(cell.variantId);
    const layout = baseLayout(t, height, { l: 60, r: 12, t: titles ? 26 : 10, b: 34 });
    const annotations: Array<Record<string, unknown>> = [];
    if (titles)
      annotations.push({
        text: `<b>${escapeHtml(cell.title)}</b>`,
        xref: 'paper',
        yref: 'paper',
        x: 0,
        y: 1,
        yshift: 2,
        xanchor: 'left',
        yanchor: 'bottom',
        showarrow: false,
        font: { size: 12, color: s?.color ?? t.fg },
      });
    const data: Trace[] = [];
    if (!s || s.lines.length === 0 || !ranges.x || !ranges.y) {
      layout.xaxis = { visible: false, range: [0, 1], fixedrange: true };
      layout.yaxis = { visible: false, range: [0, 1], fixedrange: true };
      // Plotly draws an axis frame only for axes some trace uses: an empty trace keeps the panel's place.
      data.push({ type: 'scatter', mode: 'markers', x: [], y: [], hoverinfo: 'skip', showlegend: false });
      annotations.push(cellNote(t, axes, 'no data yet'));
      layout.annotations = annotations;
      return { variantId: cell.variantId, row: cell.row, col: cell.col, title: cell.title, figure: { data, layout } };
    }
    // A panel is a quarter of the width or less: fewer x ticks, so their labels stay level.
    // Fixed margins (no automargin): Plotly would otherwise measure the tick labels and may
    // draw the panel twice; the panels share their ticks, so one margin fits them all.
    layout.xaxis = axis(t, { ...xAxisExtra(o, all, 4), range: ranges.x, autorange: false, automargin: false });
    layout.yaxis = axis(t, { ...yAxisExtra(o), range: ranges.y, autorange: false, automargin: false });
    // Lines thinned to the panel's size (Plotly's work grows with the points); markers and ranges
    // come from the full lines.
    const prepared = new Map(s.lines.map((l) => [l.role, l.line]));
    const thin = { ...s, seedLines: s.seedLines?.map((sl) => thinSeedLine(sl, maxPoints)) };
    for (const [role, line] of prepared) data.push(...lineTraces(thin, role, thinLine(line, maxPoints), axes, o, true));
    data.push(...markerTraces(s, prepared, axes, o));
    // Direct labels for train/validation once, in the first panel that has both.
    if (!labelled && prepared.size === 2) {
      labelled = true;
      annotations.push(...roleLabels(prepared, axes, o));
    }
    layout.annotations = annotations;
    if (o.logY) applyLogTicks(layout, logExtent);
    return { variantId: cell.variantId, row: cell.row, col: cell.col, title: cell.title, figure: { data, layout } };
  });
  return {
    rows: grid.rows,
    cols: grid.cols,
    panels,
    rowLabels: grid.rowLabels?.map((l) => headerLabel(grid.rowKey, l)) ?? null,
    colLabels: grid.colLabels?.map((l) => headerLabel(grid.colKey, l)) ?? null,
    xRange: ranges.x,
    yRange: ranges.y,
  };
}

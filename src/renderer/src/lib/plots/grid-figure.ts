/**
 * The axes of a small-multiples figure: one subplot per grid cell with shared (matching) x and y
 * axes, tick labels on the outer cells only, factor values as column and row headers (or a title
 * per cell when cells wrap), and one title per axis for the whole figure.
 */
import { axisSuffix, cellDomain, type GridLayout } from '../grid.js';
import { axis, axisTitle, baseLayout, type Layout, type PlotTokens, type Trace } from './theme.js';

export type Axes = { xaxis: string; yaxis: string };

export interface GridFigureOptions {
  tokens: PlotTokens;
  cellHeight: number;
  xTitle: string;
  yTitle: string;
  xExtra?: Record<string, unknown>;
  yExtra?: Record<string, unknown>;
  xRange?: [number, number] | null;
  /** Share y across cells (heatmaps of layers share their categories anyway). */
  shareY?: boolean;
  /** Color of each cell's title (the variant's color). */
  titleColor?: (variantId: string) => string | undefined;
  marginRight?: number;
  /**
   * Which cells have data, and what an empty cell says ("loading…", "no data yet"). Empty cells
   * keep their place with hidden axes and the note; the first cell with data anchors the shared
   * axes, so an empty first cell cannot squash the others' ranges.
   */
  emptyNote?: (variantId: string) => string | null;
}

export interface GridFigure {
  layout: Layout;
  annotations: Array<Record<string, unknown>>;
  axes: Map<string, Axes>;
  /**
   * One empty trace per empty cell: Plotly draws only subplots that some trace uses, so a cell
   * without data would lose its place and its note would land in the first cell.
   */
  anchors: Trace[];
}

export function gridFigure(grid: GridLayout, o: GridFigureOptions): GridFigure {
  const t = o.tokens;
  const headerTop = grid.colLabels ? 26 : 0;
  const height = Math.max(1, grid.rows) * o.cellHeight + 72 + headerTop;
  const layout = baseLayout(t, height, { l: 72, r: (o.marginRight ?? 20) + (grid.rowLabels ? 24 : 0), t: 30 + headerTop, b: 56 });
  const gap = { x: grid.cols > 1 ? 0.035 : 0, y: Math.min(0.3, 46 / Math.max(height - 100, 1)) };
  const lastRowOfCol = new Map<number, number>();
  for (const c of grid.cells) lastRowOfCol.set(c.col, Math.max(lastRowOfCol.get(c.col) ?? 0, c.row));
  const annotations: Array<Record<string, unknown>> = [];
  const axes = new Map<string, Axes>();
  const shareY = o.shareY ?? true;
  const note = (id: string) => o.emptyNote?.(id) ?? null;
  const primary = grid.cells.find((c) => note(c.variantId) === null) ?? grid.cells[0];
  const p = primary ? axisSuffix(primary.row, primary.col, grid.cols) : '';
  const anchors: Trace[] = [];
  for (const cell of grid.cells) {
    const sfx = axisSuffix(cell.row, cell.col, grid.cols);
    const dom = cellDomain(cell.row, cell.col, grid.rows, grid.cols, gap);
    const isPrimary = sfx === p;
    const empty = note(cell.variantId);
    const a = { xaxis: `x${sfx}`, yaxis: `y${sfx}` };
    axes.set(cell.variantId, a);
    if (empty !== null && !isPrimary) {
      layout[`xaxis${sfx}`] = { domain: dom.x, anchor: `y${sfx}`, visible: false, range: [0, 1], fixedrange: true };
      layout[`yaxis${sfx}`] = { domain: dom.y, anchor: `x${sfx}`, visible: false, range: [0, 1], fixedrange: true };
      anchors.push({ type: 'scatter', mode: 'markers', x: [], y: [], hoverinfo: 'skip', showlegend: false, ...a });
      annotations.push(cellNote(t, a, empty));
    } else {
      layout[`xaxis${sfx}`] = axis(t, {
        ...o.xExtra,
        domain: dom.x,
        anchor: `y${sfx}`,
        matches: isPrimary ? undefined : `x${p}`,
        showticklabels: lastRowOfCol.get(cell.col) === cell.row,
        ...(isPrimary && o.xRange ? { range: o.xRange, autorange: false } : {}),
      });
      layout[`yaxis${sfx}`] = axis(t, {
        ...o.yExtra,
        domain: dom.y,
        anchor: `x${sfx}`,
        matches: isPrimary || !shareY ? undefined : `y${p}`,
        showticklabels: !shareY || cell.col === 0,
      });
      if (empty !== null) {
        anchors.push({ type: 'scatter', mode: 'markers', x: [], y: [], hoverinfo: 'skip', showlegend: false, ...a });
        annotations.push(cellNote(t, a, empty));
      }
    }
    if (!grid.rowLabels) {
      annotations.push({
        text: `<b>${escapeHtml(cell.title)}</b>`,
        xref: `x${sfx} domain`,
        yref: `y${sfx} domain`,
        x: 0,
        y: 1,
        yshift: 2,
        xanchor: 'left',
        yanchor: 'bottom',
        showarrow: false,
        font: { size: 12, color: o.titleColor?.(cell.variantId) ?? t.fg },
      });
    }
  }
  grid.colLabels?.forEach((label, col) => {
    label = headerLabel(grid.colKey, label);
    const dom = cellDomain(0, col, grid.rows, grid.cols, gap);
    annotations.push({
      text: `<b>${escapeHtml(label)}</b>`,
      xref: 'paper',
      yref: 'paper',
      x: (dom.x[0] + dom.x[1]) / 2,
      y: 1,
      yshift: 10,
      yanchor: 'bottom',
      showarrow: false,
      font: { size: 12, color: t.fg },
    });
  });
  grid.rowLabels?.forEach((label, row) => {
    label = headerLabel(grid.rowKey, label);
    const dom = cellDomain(row, grid.cols - 1, grid.rows, grid.cols, gap);
    annotations.push({
      text: `<b>${escapeHtml(label)}</b>`,
      xref: 'paper',
      yref: 'paper',
      x: 1,
      xshift: 10 + (o.marginRight ?? 20) - 20,
      y: (dom.y[0] + dom.y[1]) / 2,
      textangle: 90,
      xanchor: 'left',
      showarrow: false,
      font: { size: 12, color: t.fg },
    });
  });
  annotations.push(axisTitle(t, o.xTitle, 'x', 30), axisTitle(t, o.yTitle, 'y', 56));
  return { layout, annotations, axes, anchors };
}

/** Bare numbers and booleans say which factor they belong to ("width 8"); names stand alone ("relu"). */
export function headerLabel(key: string | null, value: string): string {
  if (!key || key.includes(' · ')) return value;
  const short = key === 'batchSize' ? 'batch' : key.replace(/^.*[.\]]/, '').replace(/^\[|\]$/g, '') || key;
  return /^(-?[\d.e+-]+|true|false|null)$/i.test(value) ? `${short} ${value}` : value;
}

/** A muted note in the middle of a cell ("no data yet"). */
export function cellNote(t: PlotTokens, a: Axes, text: string): Record<string, unknown> {
  return {
    text,
    xref: `${a.xaxis} domain`,
    yref: `${a.yaxis} domain`,
    x: 0.5,
    y: 0.5,
    showarrow: false,
    font: { size: 12, color: t.muted },
  };
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

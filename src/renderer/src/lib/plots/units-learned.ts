/**
 * Figures of "what the units learned": mosaics of small images in one heatmap each (tiles
 * separated by one blank cell), so a layer of 128 units costs one trace. First-layer weight
 * images and unit response maps use a diverging scale centred at 0 over ±range (the range is in
 * the colour bar's title); a run grid of class maps uses the class colours; the disagreement map
 * is the fraction of runs off the majority, 0 to 1. Pure.
 */
import type { BoundaryGrid, VariantResponses, VariantUnitImages } from '../../../../shared/api.js';
import { classColor } from '../palette.js';
import { baseLayout, type Figure, type PlotTokens } from './theme.js';

/** Blue below 0, near-white at 0, red above (ColorBrewer RdBu, reversed). */
export const DIVERGING: Array<[number, string]> = [
  [0, '#2166ac'],
  [0.25, '#67a9cf'],
  [0.5, '#f7f7f7'],
  [0.75, '#ef8a62'],
  [1, '#b2182b'],
];

export const fmtRange = (r: number) => (r >= 100 || r < 0.01 ? r.toExponential(2) : r.toPrecision(3));

interface Tile {
  /** [row][col] values. */
  values: number[][];
  /** Marked with an outline (dead units). */
  marked?: boolean;
}

/** Lays tiles out `cols` per row with one null cell between them; y grows downwards. */
function mosaic(tiles: Tile[], cols: number, th: number, tw: number): { z: Array<Array<number | null>>; boxes: Array<[number, number]> } {
  const rows = Math.ceil(tiles.length / cols);
  const z: Array<Array<number | null>> = Array.from({ length: rows * (th + 1) - 1 }, () =>
    new Array<number | null>(cols * (tw + 1) - 1).fill(null),
  );
  const boxes: Array<[number, number]> = [];
  tiles.forEach((t, k) => {
    const r0 = Math.floor(k / cols) * (th + 1);
    const c0 = (k % cols) * (tw + 1);
    for (let r = 0; r < th; r++) for (let c = 0; c < tw; c++) z[r0 + r][c0 + c] = t.values[r][c];
    if (t.marked) boxes.push([r0, c0]);
  });
  return { z, boxes };
}

function mosaicFigure(
  z: Array<Array<number | null>>,
  t: PlotTokens,
  o: { height: number; zmin: number; zmax: number; colorscale: unknown; bar: string; hover: string },
): Figure {
  const hidden = { visible: false, fixedrange: true };
  return {
    data: [
      {
        type: 'heatmap',
        z,
        zmin: o.zmin,
        zmax: o.zmax,
        colorscale: o.colorscale,
        hoverongaps: false,
        hovertemplate: `${o.hover}<extra></extra>`,
        colorbar: { title: { text: o.bar, side: 'right' }, thickness: 12, outlinewidth: 0 },
      },
    ],
    layout: {
      ...baseLayout(t, o.height, { l: 8, r: 8, t: 8, b: 8 }),
      xaxis: { ...hidden, constrain: 'domain' },
      yaxis: { ...hidden, autorange: 'reversed', scaleanchor: 'x', constrain: 'domain' },
      dragmode: false,
    },
  };
}

/** One variant's first-layer units as images, ranked by norm; dead units outlined. */
export function unitImagesFigure(v: VariantUnitImages, height: number, width: number, range: number, t: PlotTokens): Figure {
  const cols = Math.min(16, Math.max(1, v.units.length));
  const tiles = v.units.map((u) => ({
    values: Array.from({ length: height }, (_, r) => u.weights.slice(r * width, (r + 1) * width)),
    marked: u.dead === true,
  }));
  const { z, boxes } = mosaic(tiles, cols, height, width);
  const rows = Math.ceil(tiles.length / cols);
  const fig = mosaicFigure(z, t, {
    height: Math.min(900, Math.max(160, rows * 46 + 24)),
    zmin: -range,
    zmax: range,
    colorscale: DIVERGING,
    bar: `weight, ±${fmtRange(range)}`,
    hover: 'weight %{z:.3g}',
  });
  fig.layout.shapes = boxes.map(([r, c]) => ({
    type: 'rect',
    xref: 'x',
    yref: 'y',
    x0: c - 0.5,
    x1: c + width - 0.5,
    y0: r - 0.5,
    y1: r + height - 0.5,
    line: { color: t.fg, width: 2, dash: 'dot' },
  }));
  return fig;
}

/** One variant's hidden units over the input plane: a row of tiles per layer (y up, as the plane). */
export function responsesFigure(v: VariantResponses, range: number, t: PlotTokens): Figure {
  const cols = Math.max(1, ...v.layers.map((l) => l.units.length));
  const res = v.layers[0]?.units[0]?.length ?? 1;
  const tiles: Tile[] = [];
  for (const l of v.layers) {
    for (let u = 0; u < cols; u++) {
      const m = l.units[u];
      // Flip rows: tile row 0 is drawn at the top, the plane's largest y.
      tiles.push({ values: m ? [...m].reverse() : Array.from({ length: res }, () => new Array<number>(res).fill(NaN)) });
    }
  }
  const { z } = mosaic(tiles, cols, res, res);
  const clean = z.map((row) => row.map((x) => (x === null || Number.isNaN(x) ? null : x)));
  return mosaicFigure(clean, t, {
    height: Math.min(900, Math.max(170, v.layers.length * Math.min(110, 900 / cols) + 24)),
    zmin: -range,
    zmax: range,
    colorscale: DIVERGING,
    bar: `activation, ±${fmtRange(range)}`,
    hover: 'activation %{z:.3g}',
  });
}

/** Class maps of every run: a row per variant, a column per seed (blank where a run has no model). */
export function runGridFigure(grid: BoundaryGrid, classes: number, t: PlotTokens): Figure {
  const res = grid.xs.length;
  const tiles: Tile[] = grid.classes.flatMap((row) =>
    row.map((m) => ({ values: m ? [...m].reverse() : Array.from({ length: res }, () => new Array<number>(res).fill(NaN)) })),
  );
  const { z } = mosaic(tiles, grid.seeds.length, res, res);
  const clean = z.map((row) => row.map((x) => (x === null || Number.isNaN(x) ? null : x)));
  const k = Math.max(2, classes);
  const colorscale = Array.from({ length: k }, (_, c) => [
    [c / k, classColor(c, t.theme)],
    [(c + 1) / k, classColor(c, t.theme)],
  ]).flat();
  const fig = mosaicFigure(clean, t, {
    height: Math.min(1000, Math.max(140, grid.variants.length * 110 + 24)),
    zmin: -0.5,
    zmax: k - 0.5,
    colorscale,
    bar: 'predicted class',
    hover: 'class %{z}',
  });
  (fig.data[0] as { colorbar: Record<string, unknown> }).colorbar = {
    ...(fig.data[0] as { colorbar: Record<string, unknown> }).colorbar,
    tickvals: Array.from({ length: k }, (_, c) => c),
  };
  return fig;
}

/** The fraction of runs off the majority per grid point, on the plane's axes, with the data. */
export function disagreementFigure(grid: BoundaryGrid, points: { x: number[]; y: number[] }, t: PlotTokens): Figure {
  const axis = { gridcolor: t.grid, linecolor: t.axis, ticks: 'outside', zeroline: false };
  return {
    data: [
      {
        type: 'heatmap',
        x: grid.xs,
        y: grid.ys,
        z: grid.disagreement,
        zmin: 0,
        zmax: 1,
        colorscale: [
          [0, t.paper],
          [1, '#b2182b'],
        ],
        hovertemplate: 'x %{x:.3g}, y %{y:.3g}: %{z:.0%} of runs off the majority<extra></extra>',
        colorbar: { title: { text: `fraction of ${grid.runs} runs off the majority`, side: 'right' }, thickness: 12, outlinewidth: 0 },
      },
      {
        type: 'scatter',
        mode: 'markers',
        x: points.x,
        y: points.y,
        marker: { size: 3, color: t.muted, opacity: 0.6 },
        hoverinfo: 'skip',
      },
    ],
    layout: {
      ...baseLayout(t, 360, { r: 16 }),
      xaxis: { ...axis, title: { text: 'x1' } },
      yaxis: { ...axis, title: { text: 'x2' }, scaleanchor: 'x' },
    },
  };
}

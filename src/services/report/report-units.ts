/**
 * The report's "What the units learned" figures as standalone SVG (rects, no images, no links:
 * the report stays one offline file): for image data, each variant's first-layer units with the
 * largest norms as weight images on one diverging scale centred at 0 (its range in the caption
 * and on the colour key), dead units outlined; for 2-D data, each variant's unit response maps,
 * the class map of every run (variants x seeds) and where they disagree. Colours are quantized to
 * LEVELS steps and equal neighbours in a row share one rect, which keeps a 28 x 28 image at a few
 * hundred rects. Pure.
 */
import type { BoundaryGrid, UnitsLearned } from '../../shared/types/units.js';
import { escapeXml as esc } from './svg-chart.js';

export interface UnitsFigure {
  name: string;
  svg: string;
  caption: string;
}

/** Units drawn per variant in the report (those with the largest norms). */
export const REPORT_UNITS = 16;
const LEVELS = 21;
const CLASS_COLORS = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#56B4E9', '#CC79A7', '#F0E442', '#3a3a3a'];

/** Blue (-1) through near-white (0) to red (+1), as the app's scale (ColorBrewer RdBu). */
export function diverging(t: number): string {
  const stops: Array<[number, number, number]> = [
    [33, 102, 172],
    [103, 169, 207],
    [247, 247, 247],
    [239, 138, 98],
    [178, 24, 43],
  ];
  const x = ((Math.max(-1, Math.min(1, t)) + 1) / 2) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const c = stops[i].map((v, k) => Math.round(v + (stops[i + 1][k] - v) * f));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/** A quantized colour for value v on ±range (null and NaN: nothing drawn). */
const level = (v: number, range: number) => Math.round(((v / (range || 1) + 1) / 2) * (LEVELS - 1));
const levelColor = (l: number) => diverging((l / (LEVELS - 1)) * 2 - 1);

/** Rects of one tile at (x0, y0), `px` units per cell; `color` of a cell or null to skip it. */
function tileRects(values: number[][], x0: number, y0: number, px: number, color: (v: number) => string | null): string {
  const out: string[] = [];
  values.forEach((row, r) => {
    let c = 0;
    while (c < row.length) {
      const col = color(row[c]);
      let e = c + 1;
      while (e < row.length && color(row[e]) === col) e++;
      if (col) out.push(`<rect x="${x0 + c * px}" y="${y0 + r * px}" width="${(e - c) * px}" height="${px}" fill="${col}"/>`);
      c = e;
    }
  });
  return out.join('');
}

function svg(width: number, height: number, body: string, title: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(title)}" shape-rendering="crispEdges"><rect width="${width}" height="${height}" fill="#fff"/>${body}</svg>`;
}

/** A horizontal colour key from -range to +range, at (x, y). */
function key(x: number, y: number, range: number, what: string): string {
  const cells = Array.from(
    { length: LEVELS },
    (_, l) => `<rect x="${x + l * 6}" y="${y}" width="6" height="10" fill="${levelColor(l)}"/>`,
  ).join('');
  const r = Number(range.toPrecision(3));
  return `${cells}<text x="${x}" y="${y + 22}" font-size="10" font-family="sans-serif">−${r}</text><text x="${x + LEVELS * 3}" y="${y + 22}" font-size="10" font-family="sans-serif" text-anchor="middle">0</text><text x="${x + LEVELS * 6}" y="${y + 22}" font-size="10" font-family="sans-serif" text-anchor="end">+${r}</text><text x="${x + LEVELS * 6 + 8}" y="${y + 9}" font-size="10" font-family="sans-serif">${esc(what)}</text>`;
}

export function unitsFigures(u: UnitsLearned | null): UnitsFigure[] {
  if (!u || u.kind === 'none') return [];
  return u.kind === 'images' ? imageFigures(u) : planeFigures(u);
}

function imageFigures(u: Extract<UnitsLearned, { kind: 'images' }>): UnitsFigure[] {
  const range = Math.max(1e-12, ...u.variants.map((v) => v.maxAbs));
  const px = Math.max(1, Math.round(56 / Math.max(u.height, u.width)));
  const cols = 8;
  return u.variants.map((v) => {
    const shown = v.units.slice(0, REPORT_UNITS);
    const tw = u.width * px;
    const th = u.height * px;
    const rows = Math.ceil(shown.length / cols);
    const body = shown
      .map((unit, k) => {
        const x0 = 4 + (k % cols) * (tw + 6);
        const y0 = 4 + Math.floor(k / cols) * (th + 6);
        const values = Array.from({ length: u.height }, (_, r) => unit.weights.slice(r * u.width, (r + 1) * u.width));
        const outline = unit.dead
          ? `<rect x="${x0 - 1.5}" y="${y0 - 1.5}" width="${tw + 3}" height="${th + 3}" fill="none" stroke="#000" stroke-dasharray="3 2"/>`
          : '';
        return tileRects(values, x0, y0, px, (w) => levelColor(level(w, range))) + outline;
      })
      .join('');
    const width = 8 + cols * (tw + 6);
    const height = 8 + rows * (th + 6) + 34;
    const dead =
      v.deadCount === null
        ? 'dead units unknown (no validation split)'
        : `${v.deadCount} of ${v.units.length} units dead (outlined when shown)`;
    return {
      name: `units-${v.variantId.replace(/[^A-Za-z0-9_.-]+/g, '_')}`,
      svg: svg(width, height, body + key(4, height - 30, range, 'weight'), `First-layer units of ${v.label}`),
      caption: `${v.label}, seed ${v.seed}, ${v.weights.label}: the first layer's ${shown.length} units with the largest weight norms (of ${v.units.length}), largest first, each unit's incoming weights laid out as the ${u.height} x ${u.width} image; blue negative, red positive, white 0, the same range ±${Number(range.toPrecision(3))} for every variant; ${dead}. ${v.weights.text}`,
    };
  });
}

/** Every `step`-th row and column of a map (the report's resolution). */
const thin = (m: number[][], step: number) => m.filter((_, j) => j % step === 0).map((row) => row.filter((_, i) => i % step === 0));

function planeFigures(u: Extract<UnitsLearned, { kind: 'plane' }>): UnitsFigure[] {
  const out: UnitsFigure[] = u.variants.map((v) => {
    const range = Math.max(1e-12, ...v.layers.map((l) => l.maxAbs));
    const cols = Math.max(...v.layers.map((l) => l.units.length));
    const px = 2;
    const maps = v.layers.map((l) => l.units.map((m) => [...thin(m, 2)].reverse()));
    const res = maps[0]?.[0]?.length ?? 1;
    const t = res * px;
    const body = maps
      .flatMap((layer, li) => layer.map((m, k) => tileRects(m, 4 + k * (t + 4), 4 + li * (t + 4), px, (x) => levelColor(level(x, range)))))
      .join('');
    const width = Math.max(8 + cols * (t + 4), 200);
    const height = 8 + maps.length * (t + 4) + 34;
    return {
      name: `unit-responses-${v.variantId.replace(/[^A-Za-z0-9_.-]+/g, '_')}`,
      svg: svg(width, height, body + key(4, height - 30, range, 'activation'), `Hidden unit responses of ${v.label}`),
      caption: `${v.label}, seed ${v.seed}, ${v.weights.label}: each hidden unit's activation over the input plane (x1 across, x2 up; a row per layer: ${v.layers.map((l) => `${l.units.length} ${l.activation}`).join(', ')}); blue negative, red positive, white 0, range ±${Number(range.toPrecision(3))}. ${v.weights.text}`,
    };
  });
  out.push(runGridFigure(u.grid), ...(u.grid.disagreement ? [disagreementFigure(u.grid)] : []));
  return out;
}

function runGridFigure(g: BoundaryGrid): UnitsFigure {
  const px = 2;
  const maps = g.classes.map((row) => row.map((m) => (m ? [...thin(m, 2)].reverse() : null)));
  const res = Math.ceil(g.xs.length / 2);
  const t = res * px;
  const labelW = 110;
  const body = maps
    .flatMap((row, r) => [
      `<text x="4" y="${18 + r * (t + 6) + t / 2}" font-size="11" font-family="sans-serif">${esc(g.variants[r].label.slice(0, 18))}</text>`,
      ...row.map((m, c) =>
        m
          ? tileRects(m, labelW + c * (t + 6), 14 + r * (t + 6), px, (k) => CLASS_COLORS[k % CLASS_COLORS.length])
          : `<rect x="${labelW + c * (t + 6)}" y="${14 + r * (t + 6)}" width="${t}" height="${t}" fill="none" stroke="#999" stroke-dasharray="2 2"/>`,
      ),
    ])
    .join('');
  const heads = g.seeds
    .map(
      (s, c) =>
        `<text x="${labelW + c * (t + 6) + t / 2}" y="10" font-size="11" font-family="sans-serif" text-anchor="middle">seed ${s}</text>`,
    )
    .join('');
  return {
    name: 'run-boundaries',
    svg: svg(labelW + g.seeds.length * (t + 6) + 4, 20 + maps.length * (t + 6), heads + body, 'Decision boundaries of every run'),
    caption: `The predicted class of every run over the input plane (x1 across, x2 up), a row per variant and a column per seed; ${g.runs} runs with a stored model (a dashed empty tile: none). Class colours: ${CLASS_COLORS.slice(0, 4).join(', ')}… for classes 0, 1, 2, 3….`,
  };
}

function disagreementFigure(g: BoundaryGrid): UnitsFigure {
  const px = 4;
  const m = [...thin(g.disagreement!, 2)].reverse();
  const t = m.length * px;
  const shade = (f: number) => {
    const a = Math.round(Math.max(0, Math.min(1, f)) * 10) / 10;
    const mix = (v: number) => Math.round(255 + (v - 255) * a);
    return `#${[mix(178), mix(24), mix(43)].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
  };
  const keyCells = Array.from(
    { length: 11 },
    (_, k) => `<rect x="${4 + k * 12}" y="${t + 10}" width="12" height="10" fill="${shade(k / 10)}"/>`,
  ).join('');
  const keyText = `<text x="4" y="${t + 32}" font-size="10" font-family="sans-serif">0</text><text x="${4 + 11 * 12}" y="${t + 32}" font-size="10" font-family="sans-serif" text-anchor="end">1</text><text x="${4 + 11 * 12 + 8}" y="${t + 19}" font-size="10" font-family="sans-serif">fraction of runs off the majority</text>`;
  return {
    name: 'run-disagreement',
    svg: svg(
      Math.max(t + 8, 360),
      t + 40,
      tileRects(m, 4, 4, px, shade) + `<rect x="4" y="4" width="${t}" height="${t}" fill="none" stroke="#999"/>` + keyCells + keyText,
      'Where the runs disagree',
    ),
    caption: `Where the ${g.runs} runs disagree: at each point of the input plane (x1 across, x2 up), the fraction of runs whose predicted class differs from the most common one there (0: all agree), in steps of 0.1.`,
  };
}

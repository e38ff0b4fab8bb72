/**
 * Small-multiples layout: one cell per variant, rows = values of the first factor, columns = values
 * of the second (further factors fold into the columns). With one factor the cells wrap into rows
 * of at most `maxCols`. Pure: variants and factor keys in, cell positions and labels out.
 */
import type { Variant } from '../../../shared/api.js';

export interface GridCell {
  variantId: string;
  row: number;
  col: number;
  title: string;
}

export interface GridLayout {
  rows: number;
  cols: number;
  cells: GridCell[];
  /** Header text per row / column when rows and columns mean a factor (null when cells wrap). */
  rowLabels: string[] | null;
  colLabels: string[] | null;
  rowKey: string | null;
  colKey: string | null;
}

/** A factor value as text: strings as they are, others as compact JSON. */
export function valueLabel(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  return JSON.stringify(v) ?? String(v);
}

/** Factor keys in first-seen order across variants. */
export function factorKeys(variants: readonly Variant[]): string[] {
  const keys: string[] = [];
  for (const v of variants) for (const k of Object.keys(v.factors)) if (!keys.includes(k)) keys.push(k);
  return keys;
}

function distinct(values: string[]): string[] {
  return [...new Set(values)];
}

export function smallMultiplesGrid(variants: readonly Variant[], keys: readonly string[] = factorKeys(variants), maxCols = 4): GridLayout {
  const n = variants.length;
  if (n === 0) return { rows: 0, cols: 0, cells: [], rowLabels: null, colLabels: null, rowKey: null, colKey: null };
  if (keys.length < 2) {
    const cols = Math.min(n, n <= maxCols + 1 ? n : maxCols);
    const rows = Math.ceil(n / cols);
    const cells = variants.map((v, i) => ({ variantId: v.id, row: Math.floor(i / cols), col: i % cols, title: v.label }));
    return { rows, cols, cells, rowLabels: null, colLabels: null, rowKey: null, colKey: keys[0] ?? null };
  }
  const [rowKey, ...colKeys] = keys;
  const rowOf = (v: Variant) => valueLabel(v.factors[rowKey]);
  const colOf = (v: Variant) => colKeys.map((k) => valueLabel(v.factors[k])).join(' · ');
  const rowLabels = distinct(variants.map(rowOf));
  const colLabels = distinct(variants.map(colOf));
  const cells = variants.map((v) => ({
    variantId: v.id,
    row: rowLabels.indexOf(rowOf(v)),
    col: colLabels.indexOf(colOf(v)),
    title: v.label,
  }));
  return { rows: rowLabels.length, cols: colLabels.length, cells, rowLabels, colLabels, rowKey, colKey: colKeys.join(' · ') };
}

/** Plotly axis suffix of the cell at (row, col): "" for the first, then "2", "3"... row-major. */
export function axisSuffix(row: number, col: number, cols: number): string {
  const i = row * cols + col + 1;
  return i === 1 ? '' : String(i);
}

/** Domains of the cell at (row, col) in paper coordinates, with gaps between cells. */
export function cellDomain(
  row: number,
  col: number,
  rows: number,
  cols: number,
  gap: { x: number; y: number } = { x: 0.04, y: 0.08 },
): { x: [number, number]; y: [number, number] } {
  const w = (1 - gap.x * (cols - 1)) / cols;
  const h = (1 - gap.y * (rows - 1)) / rows;
  const x0 = col * (w + gap.x);
  const y1 = 1 - row * (h + gap.y);
  return { x: [round(x0), round(x0 + w)], y: [round(y1 - h), round(y1)] };
}

function round(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

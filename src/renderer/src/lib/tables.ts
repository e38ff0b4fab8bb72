/**
 * The results table as text: CSV (numbers, one column per mean and bound), Markdown and LaTeX
 * (formatted cells, significant differences in bold). Sorting lives here too. Pure.
 */
import type { Comparison, Interval, PairedResult, VariantResult } from '../../../shared/api.js';
import { csvCell } from '../../../shared/csv.js';
import { fmtNum } from './format.js';
import { fmtDiffInterval, fmtMetricInterval, metricLabel } from './metrics.js';
import { excludesZero } from './stats.js';

export interface TextTable {
  headers: string[];
  rows: string[][];
  /** Cells to emphasize (significant differences), as "row:col". */
  emphasis: Set<string>;
}

export type SortKey = 'label' | string;

/** Rows sorted by a metric's mean (NaN and missing last) or by label ("" keeps the variants' order); returns a new array. */
export function sortResults(rows: readonly VariantResult[], key: SortKey, dir: 'asc' | 'desc'): VariantResult[] {
  if (key === '') return rows.slice();
  const sign = dir === 'asc' ? 1 : -1;
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      if (key === 'label') return sign * a.r.label.localeCompare(b.r.label) || a.i - b.i;
      const x = a.r.metrics[key]?.mean;
      const y = b.r.metrics[key]?.mean;
      const xm = x === undefined || !Number.isFinite(x);
      const ym = y === undefined || !Number.isFinite(y);
      if (xm || ym) return xm && ym ? a.i - b.i : xm ? 1 : -1;
      return sign * (x - y) || a.i - b.i;
    })
    .map(({ r }) => r);
}

/** Fewer seeds than this in a cell and its interval is flagged as unreliable. */
export const FEW_SEEDS = 3;

/** "0.912 [0.85, 0.95], n = 3" (with "(few seeds)" below FEW_SEEDS). */
export function fmtCell(metric: string, iv: Interval | undefined): string {
  if (!iv) return '—';
  return `${fmtMetricInterval(metric, iv)}, n = ${iv.n}${iv.n < FEW_SEEDS ? ' (few seeds)' : ''}`;
}

/** "+2.10 pp [0.50, 3.70], p = 0.02, Holm p = 0.04, d_z = 1.8". */
export function fmtDiffCell(metric: string, d: PairedResult | null): string {
  if (!d) return '—';
  const parts = [fmtDiffInterval(metric, d)];
  if (d.p !== null) parts.push(`p = ${fmtP(d.p)}`);
  if (d.pHolm !== null) parts.push(`Holm p = ${fmtP(d.pHolm)}`);
  if (d.dz !== null) parts.push(`d_z = ${fmtNum(d.dz, 2)}`);
  return parts.join(', ');
}

export function fmtP(p: number): string {
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

/** Formatted table: one column per metric, then "Δ metric" columns against the baseline. */
export function resultsTextTable(cmp: Comparison, metrics: readonly string[], rows: readonly VariantResult[] = cmp.variants): TextTable {
  const baseline = cmp.variants.find((v) => v.variantId === cmp.baseline);
  const headers = [
    'Variant',
    ...metrics.map(metricLabel),
    ...metrics.map((m) => `Δ ${metricLabel(m)} vs ${baseline?.label ?? 'baseline'}`),
  ];
  const emphasis = new Set<string>();
  const body = rows.map((v, r) => {
    const cells = [v.variantId === cmp.baseline ? `${v.label} (baseline)` : v.label];
    for (const m of metrics) cells.push(fmtCell(m, v.metrics[m]));
    metrics.forEach((m, j) => {
      const d = v.vsBaseline?.[m] ?? null;
      cells.push(v.variantId === cmp.baseline ? '—' : fmtDiffCell(m, d));
      if (excludesZero(d)) emphasis.add(`${r}:${1 + metrics.length + j}`);
    });
    return cells;
  });
  return { headers, rows: body, emphasis };
}

/**
 * CSV with raw numbers: mean, lower, upper, n and interval method per metric; per metric against
 * the baseline the difference's mean, lower, upper, pairs, p, Holm-adjusted p, Cohen's d_z and the
 * seeds 80% power needs for the observed difference.
 */
export function resultsCsv(cmp: Comparison, metrics: readonly string[], rows: readonly VariantResult[] = cmp.variants): string {
  const head = ['variant_id', 'label', 'baseline'];
  for (const m of metrics) head.push(`${m}_mean`, `${m}_lower`, `${m}_upper`, `${m}_n`, `${m}_method`);
  for (const m of metrics)
    head.push(
      `diff_${m}_mean`,
      `diff_${m}_lower`,
      `diff_${m}_upper`,
      `diff_${m}_n`,
      `diff_${m}_p`,
      `diff_${m}_p_holm`,
      `diff_${m}_dz`,
      `diff_${m}_seeds_for_80`,
    );
  const lines = [head.map(csvCell).join(',')];
  for (const v of rows) {
    const cells: Array<string | number | null | undefined> = [v.variantId, v.label, v.variantId === cmp.baseline ? 'yes' : 'no'];
    for (const m of metrics) {
      const iv = v.metrics[m];
      cells.push(iv?.mean, iv?.lower, iv?.upper, iv?.n, iv?.method);
    }
    for (const m of metrics) {
      const d = v.vsBaseline?.[m] ?? null;
      cells.push(d?.mean, d?.lower, d?.upper, d?.n, d?.p, d?.pHolm, d?.dz, d?.seedsFor80);
    }
    lines.push(cells.map(csvCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function toMarkdown(t: TextTable): string {
  const row = (cells: string[]) => `| ${cells.map(mdCell).join(' | ')} |`;
  const sep = `|${t.headers.map((_, i) => (i === 0 ? ' :--- ' : ' ---: ')).join('|')}|`;
  const body = t.rows.map((cells, r) => row(cells.map((c, j) => (t.emphasis.has(`${r}:${j}`) ? `**${c}**` : c))));
  return `${[row(t.headers), sep, ...body].join('\n')}\n`;
}

const LATEX_SPECIAL: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '{': '\\{',
  '}': '\\}',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
};

export function latexEscape(s: string): string {
  return s
    .replace(/[\\&%$#_{}~^]/g, (c) => LATEX_SPECIAL[c])
    .replace(/−/g, '$-$')
    .replace(/Δ/g, '$\\Delta$')
    .replace(/∞/g, '$\\infty$')
    .replace(/—/g, '---')
    .replace(/·/g, '$\\cdot$');
}

/** A booktabs table (needs \usepackage{booktabs}); the caption says what the brackets mean. */
export function toLatex(t: TextTable, caption: string): string {
  const cols = `l${'r'.repeat(t.headers.length - 1)}`;
  const line = (cells: string[]) => `    ${cells.join(' & ')} \\\\`;
  const body = t.rows.map((cells, r) =>
    line(cells.map((c, j) => (t.emphasis.has(`${r}:${j}`) ? `\\textbf{${latexEscape(c)}}` : latexEscape(c)))),
  );
  return [
    '\\begin{table}[t]',
    '  \\centering',
    '  \\small',
    `  \\begin{tabular}{${cols}}`,
    '    \\toprule',
    line(t.headers.map(latexEscape)),
    '    \\midrule',
    ...body,
    '    \\bottomrule',
    '  \\end{tabular}',
    `  \\caption{${latexEscape(caption)}}`,
    '\\end{table}',
    '',
  ].join('\n');
}

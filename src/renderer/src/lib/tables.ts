/**
 * The results table as text: CSV (numbers, one column per mean and bound), Markdown and LaTeX
 * (formatted cells, significant differences in bold, and a lettered note on every cell that lacks
 * a figure, saying why, with the legend under the table, as the table on screen says it). Sorting
 * lives here too. Pure.
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
  /** Cells with a note (as "row:col") -> its letter in `notes`. */
  marks: Map<string, string>;
  /** The legend: each letter and why the cells it marks lack a figure (or how they were made). */
  notes: Array<{ mark: string; text: string }>;
}

/**
 * Why a difference cell has no figure (or an unusual one), when the caller knows better than the
 * default (a comparison across experiments knows the seeds shared): null for the default.
 */
export type DiffReason = (row: VariantResult, metric: string) => string | null;

/** Letters of the legend: a-z, then aa, ab... */
function letter(i: number): string {
  const a = 'abcdefghijklmnopqrstuvwxyz';
  return i < a.length ? a[i] : letter(Math.floor(i / a.length) - 1) + a[i % a.length];
}

export const NOTE_WORDS = {
  baseline: 'the baseline: the differences are to this row',
  noValue: 'no run of this variant that ended healthy has this metric',
  oneSeed: 'one seed (n = 1): no standard deviation or interval',
  noPair: 'no difference: no seed has a finite value of this metric in both this variant and the baseline',
  onePair: 'one seed pair: no interval or test',
  welchFew:
    "unpaired (no seed in common with the baseline), and Welch's interval needs 2 seeds or more on each side: the difference of the means only",
  welch:
    "unpaired: no seed in common with the baseline, so the difference of the two means with Welch's t-interval and test (unequal variances, Welch–Satterthwaite degrees of freedom); n: this variant's seeds vs the baseline's",
} as const;

/** Why a value cell lacks its interval, or null. */
function valueNote(iv: Interval | undefined): string | null {
  if (!iv) return NOTE_WORDS.noValue;
  return iv.lower === null || iv.upper === null ? NOTE_WORDS.oneSeed : null;
}

/** What a difference cell needs said: why it is empty or bare, or that it is unpaired. */
function diffNote(v: VariantResult, metric: string, isBaseline: boolean, why?: DiffReason): string | null {
  if (isBaseline) return NOTE_WORDS.baseline;
  const d = v.vsBaseline?.[metric] ?? null;
  const given = why?.(v, metric) ?? null;
  if (given !== null) return given;
  if (!d) return v.metrics[metric] ? NOTE_WORDS.noPair : NOTE_WORDS.noValue;
  const bare = d.lower === null || d.upper === null;
  if (d.test === 'welch') return bare ? NOTE_WORDS.welchFew : NOTE_WORDS.welch;
  return bare ? NOTE_WORDS.onePair : null;
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

/**
 * "+2.10 pp [0.50, 3.70], p = 0.02, Holm p = 0.04, d_z = 1.8"; an unpaired difference says so:
 * "+2.10 pp [-0.4, 4.6], unpaired (Welch), n = 4 vs 3, df = 4.97, p = 0.09, Holm p = 0.18".
 */
export function fmtDiffCell(metric: string, d: PairedResult | null): string {
  if (!d) return '—';
  const parts = [fmtDiffInterval(metric, d)];
  if (d.test === 'welch') {
    parts.push(`unpaired (Welch), n = ${d.n} vs ${d.nBaseline ?? '?'}`);
    if (d.df !== null && d.df !== undefined) parts.push(`df = ${fmtNum(d.df, 3)}`);
  }
  if (d.p !== null) parts.push(`p = ${fmtP(d.p)}`);
  if (d.pHolm !== null) parts.push(`Holm p = ${fmtP(d.pHolm)}`);
  if (d.dz !== null) parts.push(`d_z = ${fmtNum(d.dz, 2)}`);
  return parts.join(', ');
}

export function fmtP(p: number): string {
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

/**
 * Formatted table: one column per metric, then "Δ metric" columns against the baseline. Every
 * cell without a figure ("—", or a mean without its interval) and every unpaired difference gets
 * a letter, explained in `notes` (`why` overrides the default reason of a difference cell).
 */
export function resultsTextTable(
  cmp: Comparison,
  metrics: readonly string[],
  rows: readonly VariantResult[] = cmp.variants,
  why?: DiffReason,
): TextTable {
  const baseline = cmp.variants.find((v) => v.variantId === cmp.baseline);
  const headers = [
    'Variant',
    ...metrics.map(metricLabel),
    ...metrics.map((m) => `Δ ${metricLabel(m)} vs ${baseline?.label ?? 'baseline'}`),
  ];
  const emphasis = new Set<string>();
  const marks = new Map<string, string>();
  const notes: TextTable['notes'] = [];
  const mark = (key: string, text: string | null) => {
    if (text === null) return;
    let note = notes.find((n) => n.text === text);
    if (!note) notes.push((note = { mark: letter(notes.length), text }));
    marks.set(key, note.mark);
  };
  const body = rows.map((v, r) => {
    const isBaseline = v.variantId === cmp.baseline;
    const cells = [isBaseline ? `${v.label} (baseline)` : v.label];
    metrics.forEach((m, j) => {
      cells.push(fmtCell(m, v.metrics[m]));
      mark(`${r}:${1 + j}`, valueNote(v.metrics[m]));
    });
    metrics.forEach((m, j) => {
      const d = v.vsBaseline?.[m] ?? null;
      const col = 1 + metrics.length + j;
      cells.push(isBaseline ? '—' : fmtDiffCell(m, d));
      mark(`${r}:${col}`, diffNote(v, m, isBaseline, why));
      if (excludesZero(d)) emphasis.add(`${r}:${col}`);
    });
    return cells;
  });
  return { headers, rows: body, emphasis, marks, notes };
}

/**
 * CSV with raw numbers: mean, lower, upper, n and interval method per metric; per metric against
 * the baseline the difference's mean, lower, upper, n (pairs; for an unpaired difference this
 * variant's seeds), test ("paired" or "welch"), the baseline's seeds and the Welch-Satterthwaite
 * degrees of freedom (Welch only), p, Holm-adjusted p, Cohen's d_z and the seeds 80% power needs
 * for the observed difference.
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
      `diff_${m}_test`,
      `diff_${m}_n_baseline`,
      `diff_${m}_df`,
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
      const test = d ? (d.test ?? 'paired') : null;
      const welch = test === 'welch';
      cells.push(
        d?.mean,
        d?.lower,
        d?.upper,
        d?.n,
        test,
        welch ? d?.nBaseline : null,
        welch ? d?.df : null,
        d?.p,
        d?.pHolm,
        d?.dz,
        d?.seedsFor80,
      );
    }
    lines.push(cells.map(csvCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A table in Markdown; a noted cell ends with its letter in parentheses, "— (a)", explained below the table. */
export function toMarkdown(t: TextTable): string {
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const sep = `|${t.headers.map((_, i) => (i === 0 ? ' :--- ' : ' ---: ')).join('|')}|`;
  const body = t.rows.map((cells, r) =>
    row(
      cells.map((c, j) => {
        const key = `${r}:${j}`;
        const text = t.emphasis.has(key) ? `**${mdCell(c)}**` : mdCell(c);
        const mark = t.marks.get(key);
        return mark ? `${text} (${mark})` : text;
      }),
    ),
  );
  const legend = t.notes.map((n) => `- (${n.mark}) ${mdCell(n.text)}`);
  return `${[row(t.headers.map(mdCell)), sep, ...body].join('\n')}\n${legend.length ? `\n${legend.join('\n')}\n` : ''}`;
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
    .replace(/–/g, '--')
    .replace(/·/g, '$\\cdot$');
}

/**
 * A booktabs table (needs \usepackage{booktabs}); the caption says what the brackets mean, and a
 * noted cell carries its letter as a superscript, explained under the table.
 */
export function toLatex(t: TextTable, caption: string): string {
  const cols = `l${'r'.repeat(t.headers.length - 1)}`;
  const line = (cells: string[]) => `    ${cells.join(' & ')} \\\\`;
  const body = t.rows.map((cells, r) =>
    line(
      cells.map((c, j) => {
        const key = `${r}:${j}`;
        const text = t.emphasis.has(key) ? `\\textbf{${latexEscape(c)}}` : latexEscape(c);
        const mark = t.marks.get(key);
        return mark ? `${text}\\textsuperscript{${mark}}` : text;
      }),
    ),
  );
  const legend = t.notes.length
    ? [
        '  \\par\\smallskip',
        '  {\\footnotesize',
        ...t.notes.map((n) => `  \\textsuperscript{${n.mark}}~${latexEscape(n.text)}\\par`),
        '  }',
      ]
    : [];
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
    ...legend,
    `  \\caption{${latexEscape(caption)}}`,
    '\\end{table}',
    '',
  ].join('\n');
}

/**
 * The report's "Per-class results" section as HTML: per split (validation, test) and variant, the
 * row-normalized confusion matrix averaged over seeds (each cell shaded by its mean, its 95%
 * interval under it), per-class recall, precision and F1 with intervals, and which classes each
 * variant fixed against the baseline (recall difference paired by seed, in bold when its interval
 * excludes zero). Runs written before matrices were recorded are named as not recorded. Pure.
 */
import type { PerClassReport } from '../experiments/per-class-report.js';
import { keptEpochsText, type CellStat, type VariantClasses } from '../../shared/per-class.js';
import { escapeXml as esc } from './svg-chart.js';

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
const pp = (v: number) => `${v > 0 ? '+' : v < 0 ? '−' : ''}${Math.abs(100 * v).toFixed(1)} pp`;

function ciText(c: CellStat, f: (v: number) => string): string {
  if (c.mean === null) return '—';
  const ci =
    c.lower !== null && c.upper !== null ? ` <span class="n">[${f(c.lower)}, ${f(c.upper)}]</span>` : ` <span class="n">n = ${c.n}</span>`;
  return `${f(c.mean)}${ci}`;
}

function matrixTable(v: VariantClasses, names: string[]): string {
  const head = `<tr><th>true \\ predicted</th>${names.map((n) => `<th>${esc(n)}</th>`).join('')}</tr>`;
  const rows = v.normalized.map((row, i) => {
    const cells = row.map((c) => {
      const shade = c.mean === null ? 0 : Math.round(c.mean * 100) / 100;
      return `<td style="background:rgba(31,119,180,${(0.55 * shade).toFixed(2)})">${ciText(c, pct)}</td>`;
    });
    return `<tr><th>${esc(names[i])}</th>${cells.join('')}</tr>`;
  });
  return `<table class="confusion"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

function metricsTable(v: VariantClasses, names: string[]): string {
  const rows = names.map(
    (n, i) =>
      `<tr><td>${esc(n)}</td><td>${ciText(v.recall[i], pct)}</td><td>${ciText(v.precision[i], pct)}</td><td>${ciText(v.f1[i], pct)}</td></tr>`,
  );
  return `<table><thead><tr><th>Class</th><th>Recall</th><th>Precision</th><th>F1</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function diffCell(c: CellStat): string {
  if (c.mean === null) return '—';
  const strong = c.lower !== null && c.upper !== null && (c.lower > 0 || c.upper < 0);
  const text = ciText(c, pp);
  return strong ? `<strong>${text}</strong>` : text;
}

/** The section's HTML (h2 included); `table` numbers its tables from there. */
export function perClassSection(r: PerClassReport, table: number): string {
  if (r.splits.length === 0) {
    const why = r.recorded
      ? 'No validation or test split has a confusion matrix.'
      : 'Not recorded: no run of this experiment recorded confusion matrices (regression heads have none; runs written by an older Ablate did not record them).';
    return `<h2>Per-class results</h2>\n<p>${why}</p>`;
  }
  let n = table;
  const parts: string[] = ['<h2>Per-class results</h2>'];
  for (const s of r.splits) {
    const names = s.results.classNames;
    for (const v of s.results.variants) {
      const label = esc(r.labels[v.variantId] ?? v.variantId) + (v.variantId === r.baseline ? ' (baseline)' : '');
      const old = v.notRecorded > 0 ? ` ${v.notRecorded} finished runs predate confusion matrices and are not recorded (left out).` : '';
      if (v.seeds.length === 0) {
        parts.push(`<p><strong>${label}, ${s.split}:</strong> no matrix recorded.${old}</p>`);
        continue;
      }
      parts.push(
        `<p class="caption"><strong>Table ${n}.</strong> ${label}, ${s.split} split: the confusion matrix normalized by row (the share of each true class predicted as each class; the diagonal is the recall), mean over ${v.seeds.length} seeds with its 95% interval (logit scale, so within [0, 1]), of each run's kept weights (epoch ${esc(keptEpochsText(v.epochs))}: the restored best epoch under early stopping, else the last).${old}</p>`,
        matrixTable(v, names),
        `<p class="caption"><strong>Table ${n + 1}.</strong> ${label}, ${s.split} split: per-class recall, precision and F1, mean [95% interval] over seeds; a seed where the class is absent (recall) or never predicted (precision) is left out of that cell.</p>`,
        metricsTable(v, names),
      );
      n += 2;
    }
    const others = s.results.variants.filter((v) => v.variantId !== r.baseline);
    if (others.length > 0) {
      const head = `<tr><th>Class</th>${others.map((v) => `<th>${esc(r.labels[v.variantId] ?? v.variantId)}</th>`).join('')}</tr>`;
      const rows = names.map(
        (name, i) =>
          `<tr><td>${esc(name)}</td>${others.map((v) => `<td>${diffCell(s.vsBaseline[v.variantId].recall[i])}</td>`).join('')}</tr>`,
      );
      parts.push(
        `<p class="caption"><strong>Table ${n}.</strong> Which classes each variant fixed against <strong>${esc(r.labels[r.baseline] ?? r.baseline)}</strong>, ${s.split} split: recall difference (variant − baseline) per class, paired by seed, with its 95% t-interval (in bold when it excludes zero). Intervals are per class, not adjusted for the number of classes.</p>`,
        `<table class="diff"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`,
      );
      n += 1;
    }
  }
  return parts.join('\n');
}

/**
 * Per-class results as `ablate classes` prints them: per split and variant, the seeds and the
 * epochs of the kept weights the matrices describe, the mean row-normalized confusion matrix (or
 * the mean counts), per-class recall, precision and F1 with their intervals, then each variant's
 * recall difference against the baseline per class, paired by seed.
 */
import type { PerClassReport } from '../services/experiments/per-class-report.js';
import { formatTable } from '../services/text-table.js';
import { keptEpochsText, type CellStat, type VariantClasses } from '../shared/per-class.js';
import { fmt } from './progress.js';

const pct = (v: number | null) => (v === null ? '-' : (100 * v).toFixed(1));

/** A fraction or a difference of fractions, to 3 decimals (-0.000 printed as 0.000). */
const frac = (v: number) => (Math.abs(v) < 5e-4 ? 0 : v).toFixed(3);

function interval(c: CellStat): string {
  if (c.mean === null) return '-';
  const m = frac(c.mean);
  return c.lower === null || c.upper === null ? `${m} (n=${c.n})` : `${m} [${frac(c.lower)}, ${frac(c.upper)}]`;
}

function variantBlock(v: VariantClasses, label: string, names: string[], counts: boolean): void {
  const note = v.notRecorded > 0 ? `; ${v.notRecorded} finished runs predate confusion matrices: not recorded` : '';
  if (v.seeds.length === 0) {
    console.log(`\n${label}: no matrix recorded${note}`);
    return;
  }
  console.log(
    `\n${label}: ${v.seeds.length} seeds (${v.seeds.join(', ')}), weights of epoch ${keptEpochsText(v.epochs)}, ${v.rows !== null && Number.isInteger(v.rows) ? v.rows : fmt(v.rows, 6)} rows per run${note}`,
  );
  const matrix = counts ? v.counts : v.normalized;
  const cellText = counts ? (c: CellStat) => fmt(c.mean, 4) : (c: CellStat) => pct(c.mean);
  console.log(
    counts
      ? '  mean counts over seeds, row = true class, column = predicted:'
      : '  row-normalized, % of the true class (mean over seeds), row = true class, column = predicted:',
  );
  console.log(
    formatTable(
      ['true \\ predicted', ...names],
      matrix.map((row, i) => [names[i], ...row.map(cellText)]),
    ).replace(/^/gm, '  '),
  );
  console.log('  per class, mean [95% interval] over seeds (n = seeds where defined when there is no interval):');
  console.log(
    formatTable(
      ['class', 'recall', 'precision', 'F1'],
      names.map((n, i) => [n, interval(v.recall[i]), interval(v.precision[i]), interval(v.f1[i])]),
    ).replace(/^/gm, '  '),
  );
}

export function printClasses(r: PerClassReport, counts: boolean): void {
  if (r.splits.length === 0) {
    console.log(
      r.recorded
        ? 'No validation or test split has a confusion matrix.'
        : 'No run of this experiment recorded confusion matrices: not recorded (regression heads have none; runs written by an older Ablate did not record them).',
    );
    return;
  }
  for (const s of r.splits) {
    const names = s.results.classNames;
    console.log(`\n== ${s.split} split: the kept weights of each run (the restored best epoch with early stopping, else the last) ==`);
    for (const v of s.results.variants)
      variantBlock(v, r.labels[v.variantId] + (v.variantId === r.baseline ? ' (baseline)' : ''), names, counts);
    const others = s.results.variants.filter((v) => v.variantId !== r.baseline);
    if (others.length === 0) continue;
    console.log(
      `\n  Which classes each variant fixed against "${r.labels[r.baseline]}": recall difference (variant - baseline), paired by seed, mean [95% t-interval, within [-1, 1]]; per class, not adjusted for the number of classes:`,
    );
    console.log(
      formatTable(
        ['class', ...others.map((v) => r.labels[v.variantId])],
        names.map((n, i) => [n, ...others.map((v) => interval(s.vsBaseline[v.variantId].recall[i]))]),
      ).replace(/^/gm, '  '),
    );
  }
}

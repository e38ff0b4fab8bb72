/**
 * The one-file report as HTML text: self-contained (inline CSS and SVG figures, no script, no
 * network), printable to PDF. Sections: what the experiment compares and how many runs are
 * results; the results table (mean [95% interval] and n per variant, paired differences with raw
 * and Holm-adjusted p-values and Cohen's d_z); curve summaries; per-class results (confusion
 * matrices, recall, precision, F1, paired recall differences); learning curves with bands;
 * gradient flow per layer; what the units learned; every run; the environment; the experiment
 * file. Every figure and table
 * has a caption saying what its numbers are. Pure.
 */
import type { Comparison, Interval, PairedResult } from '../../shared/api.js';
import { metricRange } from '../../shared/intervals.js';
import { countsText, stateText } from '../../shared/run-state.js';
import { exclusionText } from '../../shared/excluded.js';
import { weightsOf } from '../../shared/run-weights.js';
import type { ReportData } from './report-data.js';
import { perClassSection } from './report-classes.js';
import { reportFigures, type ReportFigure } from './report-figures.js';
import { escapeXml as esc } from './svg-chart.js';

const LABELS: Record<string, string> = {
  'weights.valLoss': 'Val. loss',
  'weights.valAccuracy': 'Val. accuracy',
  'weights.trainLoss': 'Train loss',
  'weights.trainAccuracy': 'Train accuracy',
  'test.loss': 'Test loss',
  'test.accuracy': 'Test accuracy',
  'best.valLoss': 'Best val. loss',
  'best.valAccuracy': 'Best val. accuracy',
  epochsRun: 'Epochs run',
  seconds: 'Time (s)',
  'curve.valLossArea': 'Val. loss, mean over epochs (area)',
  'curve.valAccuracyArea': 'Val. accuracy, mean over epochs (area)',
  'curve.epochsToTarget': 'Epochs to target',
  'curve.epochsToBest': 'Epoch of best',
};

/** The results table's metrics, in this order when the comparison has them. */
const TABLE_METRICS = ['weights.valLoss', 'weights.valAccuracy', 'test.loss', 'test.accuracy', 'epochsRun'];
const CURVE_TABLE_METRICS = ['curve.valLossArea', 'curve.valAccuracyArea', 'curve.epochsToTarget', 'curve.epochsToBest'];

export const label = (metric: string): string => LABELS[metric] ?? metric;

/** A value of `metric`: accuracies as percentages, the rest to 4 significant digits. */
export function fmtValue(metric: string, v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (metricRange(metric) === 'unit') return `${(v * 100).toFixed(1)}%`;
  return Number(v.toPrecision(4)).toString();
}

function fmtDiff(metric: string, v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '—';
  const sign = v > 0 ? '+' : v < 0 ? '−' : '';
  return metricRange(metric) === 'unit' ? `${sign}${Math.abs(v * 100).toFixed(2)} pp` : `${sign}${Number(Math.abs(v).toPrecision(4))}`;
}

export const fmtP = (p: number | null): string => (p === null ? '—' : p < 0.001 ? '<0.001' : p.toFixed(3));

function cell(metric: string, iv: Interval | undefined): string {
  if (!iv) return '—';
  const ci = iv.lower !== null && iv.upper !== null ? ` [${fmtValue(metric, iv.lower)}, ${fmtValue(metric, iv.upper)}]` : '';
  return `${fmtValue(metric, iv.mean)}${ci} <span class="n">n = ${iv.n}${iv.n < 3 ? ', few seeds' : ''}</span>`;
}

function diffRow(variant: string, metric: string, d: PairedResult): string {
  const ci = d.lower !== null && d.upper !== null ? ` [${fmtDiff(metric, d.lower)}, ${fmtDiff(metric, d.upper)}]` : '';
  const strong = d.lower !== null && d.upper !== null && (d.lower > 0 || d.upper < 0);
  const text = `${fmtDiff(metric, d.mean)}${ci}`;
  return `<tr><td>${esc(variant)}</td><td>${esc(label(metric))}</td><td>${strong ? `<strong>${text}</strong>` : text}</td><td>${d.n}</td><td>${fmtP(d.p)}</td><td>${fmtP(d.pHolm)}</td><td>${d.dz === null ? '—' : d.dz.toFixed(2)}</td></tr>`;
}

function statsTable(cmp: Comparison, metrics: string[]): string {
  const head = `<tr><th>Variant</th>${metrics.map((m) => `<th>${esc(label(m))}</th>`).join('')}</tr>`;
  const rows = cmp.variants.map(
    (v) =>
      `<tr><td>${esc(v.label)}${v.variantId === cmp.baseline ? ' (baseline)' : ''}${excludedNote(v.statuses)}</td>${metrics.map((m) => `<td>${cell(m, v.metrics[m])}</td>`).join('')}</tr>`,
  );
  return `<table><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Under the variant's name: which of its ended runs the statistics left out, when any. */
function excludedNote(statuses: Record<string, number>): string {
  const text = exclusionText(statuses);
  return text === null ? '' : `<br><span class="n excluded">${esc(text)}</span>`;
}

function diffTable(cmp: Comparison, metrics: string[]): string {
  const rows = cmp.variants.flatMap((v) => metrics.flatMap((m) => (v.vsBaseline?.[m] ? [diffRow(v.label, m, v.vsBaseline[m]!)] : [])));
  if (rows.length === 0) return '<p>No variant to compare with the baseline.</p>';
  return `<table class="diff"><thead><tr><th>Variant</th><th>Metric</th><th>Difference [95% CI]</th><th>Pairs</th><th>p</th><th>Holm p</th><th>d<sub>z</sub></th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function figure(n: number, f: ReportFigure): string {
  return `<figure>${f.svg}<figcaption><strong>Figure ${n}.</strong> ${esc(f.caption)}</figcaption></figure>`;
}

function figureSection(figures: ReportFigure[], first: number, none: string): string {
  if (figures.length === 0) return `<p>${none}</p>`;
  return `<div class="figs">${figures.map((f, k) => figure(first + k, f)).join('\n')}</div>`;
}

/** "480x smaller" / "2.1x larger": how layer 1's weight gradient compares with the output layer's. */
export function gradientRatioText(gradNorm: readonly number[]): string {
  const first = gradNorm[0];
  const out = gradNorm[gradNorm.length - 1];
  if (gradNorm.length >= 2 && first === 0 && out > 0) return 'zero: no gradient reaches layer 1';
  if (gradNorm.length < 2 || !(first > 0) || !(out > 0)) return '—';
  const r = first / out;
  const n = (v: number) => String(Number(v.toPrecision(3)));
  return r < 1 ? `${n(1 / r)}x smaller` : `${n(r)}x larger`;
}

/** "300x smaller" / "2.1x larger": the standard deviation of dLoss/dz at layer 1 against the output layer's. */
export function signalRatioText(gradVar: readonly number[]): string {
  const first = gradVar[0];
  const out = gradVar[gradVar.length - 1];
  if (gradVar.length >= 2 && first === 0 && out > 0) return 'zero: no gradient reaches layer 1';
  if (gradVar.length < 2 || !(first > 0) || !(out > 0)) return '—';
  const r = Math.sqrt(first / out);
  const n = (v: number) => String(Number(v.toPrecision(3)));
  return r < 1 ? `${n(1 / r)}x smaller` : `${n(r)}x larger`;
}

/**
 * Per variant, its runs' stored signal records; a variant whose runs predate them falls back to
 * its first logged diagnostics step, labelled as such (another quantity: weight-gradient norms).
 */
function initTable(d: ReportData): string {
  const rows = d.comparison.variants.flatMap((v) => {
    const s = d.initSignal.find((x) => x.variantId === v.variantId);
    if (s) {
      const a = s.activationVar.slice(0, -1);
      const runs = s.runs === s.healthy ? String(s.runs) : `${s.runs} of ${s.healthy}`;
      return [
        `<tr><td>${esc(s.label)}</td><td>signal record: first training batch, no update</td><td>${signalRatioText(s.gradVar)} (σ of ∂L/∂z)</td><td>${fmtValue('var', a[0] ?? NaN)}</td><td>${fmtValue('var', a[a.length - 1] ?? NaN)}</td><td>${runs}</td></tr>`,
      ];
    }
    const g = d.gradientFlow.find((x) => x.variantId === v.variantId);
    if (!g) return [];
    const a = g.first.activationVar.slice(0, -1);
    return [
      `<tr><td>${esc(g.label)}</td><td>no signal record (runs stored before it): diagnostics at step ${g.first.step ?? '(differs)'}</td><td>${gradientRatioText(g.first.gradNorm)} (‖∂L/∂W‖)</td><td>${fmtValue('var', a[0])}</td><td>${fmtValue('var', a[a.length - 1])}</td><td>${g.runs}</td></tr>`,
    ];
  });
  if (rows.length === 0) return '';
  return `<p class="caption"><strong>Signal at initialization.</strong> From each run's stored signal record: its initial weights, one forward and backward pass on its own first training batch, before any update. How the gradient's scale at layer 1 compares with the output layer's (the standard deviation of dLoss/dz, square root of the mean variance over runs), and the activation variance of the first and last hidden layers, mean over each variant's healthy runs. Runs stored before that record existed fall back to their first logged diagnostics step, as labelled, where the gradient column compares weight-gradient norms instead.</p><table class="diff"><thead><tr><th>Variant</th><th>Measured on</th><th>Gradient at layer 1 vs output layer</th><th>Var(a), first hidden</th><th>Var(a), last hidden</th><th>Runs</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** What the units learned: its figures, or why there are none (nothing when the data is neither images nor 2-D). */
function unitsSection(d: ReportData, figures: ReportFigure[], first: number): string {
  const u = d.units;
  if (!u || (u.kind === 'none' && /neither images/.test(u.reason))) return '';
  const missing = u.kind === 'none' ? [] : u.missing.map((m) => `${m.label}, seed ${m.seed}: ${m.reason}`);
  return `<h2>What the units learned</h2>
${u.kind === 'none' ? `<p>Not drawn: ${esc(u.reason)}.</p>` : figureSection(figures, first, 'No run has a stored model to draw.')}
${missing.length > 0 ? `<p class="caption">Not drawn: ${esc(missing.join('; '))}.</p>` : ''}`;
}

function runsTable(d: ReportData): string {
  const rows = d.runs.map((r) => {
    const s = r.stored?.summary ?? null;
    const w = s ? weightsOf(s) : null;
    return `<tr><td>${esc(r.plan.id)}</td><td>${esc(stateText(r.state, s))}</td><td>${s?.epochsRun ?? '—'}</td><td>${w?.epoch != null ? `${w.epoch + 1}${w.restored ? ' (best)' : ''}` : '—'}</td><td>${fmtValue('valLoss', w?.metrics?.valLoss)}</td><td>${fmtValue('valAccuracy', w?.metrics?.valAccuracy)}</td><td>${fmtValue('test.loss', s?.test?.loss)}</td><td>${fmtValue('test.accuracy', s?.test?.accuracy)}</td></tr>`;
  });
  return `<table><thead><tr><th>Run</th><th>State</th><th>Epochs</th><th>Weights of epoch</th><th>Val. loss</th><th>Val. accuracy</th><th>Test loss</th><th>Test accuracy</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function targetCaption(cmp: Comparison): string {
  const t = cmp.curveTarget;
  if (!t) return '';
  const what = t.metric === 'valAccuracy' ? `validation accuracy ≥ ${fmtValue('valAccuracy', t.value)}` : `validation loss ≤ ${t.value}`;
  const reached = Object.entries(t.reached).map(
    ([id, r]) => `${esc(cmp.variants.find((v) => v.variantId === id)?.label ?? id)} ${r.reached}/${r.runs}`,
  );
  return ` Epochs to target: the first epoch with ${what} (${esc(t.rule)}); runs that never reach it are left out of that column (runs reaching it: ${reached.join(', ')}), so its mean is optimistic where some did not.`;
}

export function reportHtml(d: ReportData): string {
  const { loaded, comparison: cmp, environment: env } = d;
  const spec = loaded.experiment.spec;
  const metrics = TABLE_METRICS.filter((m) => cmp.metrics.includes(m));
  const curveMetrics = CURVE_TABLE_METRICS.filter((m) => cmp.metrics.includes(m));
  const baseline = cmp.variants.find((v) => v.variantId === cmp.baseline)?.label ?? cmp.baseline;
  const figures = reportFigures(d);
  const curves = figures.filter((f) => f.section === 'curves');
  const gradients = figures.filter((f) => f.section === 'diagnostics');
  const units = figures.filter((f) => f.section === 'units');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(spec.name)}: Ablate report</title>
<style>${STYLE}</style></head>
<body><main>
<h1>${esc(spec.name)}</h1>
<p class="meta">Experiment <code>${esc(loaded.experiment.id)}</code>, created ${esc(loaded.experiment.createdAt)}; report written ${esc(env.generatedAt)} by Ablate ${esc(env.reportEngine)}.</p>
${spec.description ? `<p>${esc(spec.description)}</p>` : ''}
<p><strong>${d.counts.total} planned runs:</strong> ${esc(countsText(d.counts))}. Only runs that ended healthy (completed or stopped early) enter the statistics; runs pruned by a search's successive halving do not.</p>
<h2>Results</h2>
<p class="caption"><strong>Table 1.</strong> Per variant, over the seeds whose runs ended healthy: mean [95% interval] and n (intervals of accuracies on the logit scale, of losses and times on the log scale, so they stay in range; flagged below 3 seeds). Validation and training figures are of the weights each run kept (the restored best epoch under early stopping).</p>
${statsTable(cmp, metrics)}
${curveMetrics.length > 0 ? `<p class="caption"><strong>Table 2.</strong> Summaries of each run's validation curve, same statistics: the area under the curve divided by the epochs it spans (its mean height), and the epoch of the best epoch (from 1).${targetCaption(cmp)}</p>${statsTable(cmp, curveMetrics)}` : ''}
<p class="caption"><strong>Table ${curveMetrics.length > 0 ? 3 : 2}.</strong> Against the baseline <strong>${esc(baseline)}</strong>, paired by seed: mean difference (variant − baseline) with its 95% t-interval (in bold when it excludes zero), the number of pairs, the two-sided paired t-test p-value, the p-value adjusted by Holm's method over the variants compared on that metric, and Cohen's d<sub>z</sub>.</p>
${diffTable(cmp, [...metrics, ...curveMetrics])}
${perClassSection(d.perClass, curveMetrics.length > 0 ? 4 : 3)}
<h2>Learning curves</h2>
${figureSection(curves, 1, 'No curves recorded.')}
<h2>Diagnostics</h2>
${initTable(d)}
${figureSection(gradients, 1 + curves.length, 'No layer diagnostics recorded.')}
${unitsSection(d, units, 1 + curves.length + gradients.length)}
<h2>Runs</h2>
<p class="caption">Every planned run with its state; the validation figures are those of the weights the run kept.</p>
${runsTable(d)}
<h2>Environment</h2>
<ul>
<li>Engine version of the runs: ${esc(env.engineVersions.join(', ') || '—')}; kernel sets: ${esc(env.kernels.join(', ') || '—')}; threads per run: ${esc(env.threads.join(', ') || '—')}.</li>
<li>Experiment created by engine ${esc(loaded.experiment.engineVersion)}; spec hash <code>${esc(loaded.experiment.specHash)}</code>.</li>
<li>This report was written on ${esc(env.reportMachine)} (the machine that wrote the report, not necessarily the one that trained).</li>
</ul>
<h2>Experiment file</h2>
<pre>${esc(JSON.stringify(spec, null, 2))}</pre>
</main></body></html>
`;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1a1a1a;background:#fff;margin:0}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{margin:0 0 4px}h2{margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}
.meta{color:#555;margin-top:0}.caption{color:#333}
table{border-collapse:collapse;margin:8px 0 16px;font-variant-numeric:tabular-nums}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:right;vertical-align:top}
th:first-child,td:first-child,.diff td:nth-child(2),.diff th:nth-child(2){text-align:left}
thead th{background:#f3f3f3}.n{color:#666;font-size:12px;white-space:nowrap}
.confusion td .n{display:block}
.figs{display:flex;flex-wrap:wrap;gap:12px}
figure{flex:1 1 460px;max-width:560px;margin:8px 0 16px;break-inside:avoid}
figure svg{max-width:100%;height:auto}figcaption{font-size:12px;color:#333}
pre{background:#f6f6f6;padding:12px;overflow:auto;font-size:12px}
@media print{main{max-width:none;padding:0}h2{break-after:avoid}table,figure{break-inside:avoid}}
`;

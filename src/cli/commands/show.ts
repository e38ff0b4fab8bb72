/**
 * `ablate show <experiment-dir>`: every planned run of one experiment with its state (runs that
 * never started included), the epoch of the weights it kept and their metrics, then the seed
 * statistics. Exit 1 when a run diverged, failed or is damaged (its numbers are not results), so a
 * script can check an experiment's health; 0 otherwise.
 */
import path from 'node:path';
import { formatTable } from '../../services/text-table.js';
import { compareExperimentSummaries, withCurveSummaries } from '../../services/experiments/compare.js';
import { CURVE_SUMMARY_METRICS } from '../../services/experiments/curve-summaries.js';
import { countPlanned, plannedRunStates, type PlannedRunState } from '../../services/experiments/run-states.js';
import { loadExperiment } from '../../services/store/reader.js';
import type { CurveTarget, Interval } from '../../shared/api.js';
import { countsText, isBad, stateText, stateTone } from '../../shared/run-state.js';
import { weightsOf } from '../../shared/run-weights.js';
import { parse } from '../args.js';
import { colorsOn, paintRows } from '../color.js';
import { UsageError } from '../errors.js';
import { fmt } from '../progress.js';

const SHOWN = ['weights.valLoss', 'weights.valAccuracy', 'test.loss', 'test.accuracy', 'epochsRun'];

export async function showCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    'show',
    args,
    { baseline: { type: 'string' }, json: { type: 'boolean' }, target: { type: 'string' } },
    1,
  );
  if (!positionals[0]) throw new UsageError('show: which experiment folder? usage: ablate show <experiment-dir>');
  const target = values.target === undefined ? undefined : Number(values.target);
  if (target !== undefined && !Number.isFinite(target)) {
    throw new UsageError(`show: --target must be a number (a validation accuracy such as 0.9, or a loss), got "${values.target}"`);
  }
  const loaded = await loadExperiment(path.resolve(positionals[0]));
  const comparison = await withCurveSummaries(loaded, compareExperimentSummaries(loaded, values.baseline ?? null), { target });
  if (values.baseline && !comparison.variants.some((v) => v.variantId === values.baseline)) {
    throw new UsageError(`show: no variant "${values.baseline}"; variants: ${comparison.variants.map((v) => v.variantId).join(', ')}`);
  }
  const runs = plannedRunStates(loaded.experiment.spec, loaded.runs);
  const counts = countPlanned(runs);
  const exitCode = runs.some((r) => isBad(r.state.state)) ? 1 : 0;
  if (values.json) {
    const json = {
      experiment: loaded.experiment,
      counts,
      runs: runs.map((r) => ({
        runId: r.plan.id,
        variantId: r.plan.variant.id,
        seed: r.plan.seed,
        ...r.state,
        text: stateText(r.state, r.stored?.summary ?? null),
        weights: r.stored?.summary ? weightsOf(r.stored.summary) : null,
        summary: r.stored?.summary ?? null,
        error: r.stored?.error,
      })),
      statistics: comparison,
    };
    console.log(JSON.stringify(json, null, 2));
    return exitCode;
  }
  const spec = loaded.experiment.spec;
  console.log(`${spec.name}  (${loaded.experiment.id}, engine ${loaded.experiment.engineVersion})`);
  console.log(`${counts.total} planned runs: ${countsText(counts)}\n`);
  const color = colorsOn(process.stdout);
  const header = ['run', 'state', 'epochs', 'weights of', 'val loss', 'val acc', 'test loss', 'test acc'];
  console.log(
    paintRows(
      formatTable(header, runs.map(runRow)),
      runs.map((r) => stateTone(r.state.state)),
      color,
    ),
  );
  console.log(
    '\n"weights of": the epoch whose weights the run kept (the restored best one with early stopping); the val and test figures are those weights\'.',
  );
  const metrics = SHOWN.filter((m) => comparison.metrics.includes(m));
  console.log(
    '\nPer variant, over the seeds whose runs ended healthy: mean [95% interval] and n (intervals of accuracies on the logit scale, of losses and times on the log scale, so they stay in range; "few" below 3 seeds):\n',
  );
  const statRows = comparison.variants.map((v) => [
    v.label + (v.variantId === comparison.baseline ? ' (baseline)' : ''),
    ...metrics.map((m) => cell(v.metrics[m])),
  ]);
  console.log(formatTable(['variant', ...metrics], statRows));
  const curveMetrics = CURVE_SUMMARY_METRICS.filter((m) => comparison.metrics.includes(m));
  if (curveMetrics.length > 0) {
    console.log(`\nValidation curves per variant: ${CURVE_WORDS}${targetWords(comparison.curveTarget)}\n`);
    const curveRows = comparison.variants.map((v) => [v.label, ...curveMetrics.map((m) => cell(v.metrics[m]))]);
    console.log(formatTable(['variant', ...curveMetrics], curveRows));
  }
  const diffRows = comparison.variants.flatMap((v) =>
    [...metrics, ...curveMetrics].flatMap((m) => {
      const d = v.vsBaseline?.[m];
      return d
        ? [[v.label, m, interval(d), String(d.n), p(d.p), p(d.pHolm), fmt(d.dz, 3), d.seedsFor80 === null ? '-' : String(d.seedsFor80)]]
        : [];
    }),
  );
  if (diffRows.length > 0) {
    console.log(
      `\nAgainst the baseline "${comparison.baseline}", paired by seed: mean difference [95% t-interval], pairs, paired t-test p, Holm-adjusted p (over the variants), Cohen's d_z, and the seeds 80% power needs to detect the observed difference:\n`,
    );
    console.log(formatTable(['variant', 'metric', 'difference', 'n', 'p', 'Holm p', 'd_z', 'seeds for 80%'], diffRows));
  }
  return exitCode;
}

function runRow(r: PlannedRunState): string[] {
  const s = r.stored?.summary ?? null;
  const w = s ? weightsOf(s) : null;
  const weights = w?.epoch != null ? `${w.epoch + 1} (${w.restored ? 'best' : 'last'})` : '-';
  return [
    r.plan.id,
    stateText(r.state, s),
    String(s?.epochsRun ?? '-'),
    weights,
    fmt(w?.metrics?.valLoss),
    fmt(w?.metrics?.valAccuracy),
    fmt(s?.test?.loss),
    fmt(s?.test?.accuracy),
  ];
}

const CURVE_WORDS =
  "curve.*Area is the area under the validation curve divided by the epochs it spans (the curve's mean height); curve.epochsToBest the epoch (from 1) of the best epoch.";

function targetWords(t: CurveTarget | null): string {
  if (!t) return '';
  const reached = Object.entries(t.reached).map(([id, r]) => `${id} ${r.reached}/${r.runs}`);
  const sign = t.metric === 'valAccuracy' ? '>=' : '<=';
  return ` curve.epochsToTarget the first epoch with ${t.metric} ${sign} ${t.value} (${t.rule}); runs that never reach it are left out (reached: ${reached.join(', ')}).`;
}

function interval(i: Interval): string {
  const ci = i.lower !== null && i.upper !== null ? ` [${fmt(i.lower, 3)}, ${fmt(i.upper, 3)}]` : '';
  return `${fmt(i.mean)}${ci}`;
}

function cell(i: Interval | undefined): string {
  if (!i) return '-';
  return `${interval(i)} n=${i.n}${i.n < 3 ? ' few' : ''}`;
}

function p(v: number | null): string {
  return v === null ? '-' : v < 0.001 ? '<0.001' : v.toFixed(3);
}

/**
 * The seed statistics as the CLI prints them (`ablate show`, `ablate compare`): per variant the
 * mean [95% interval] and n of each metric, the validation curves' summaries when computed, then
 * each variant against the baseline, paired by seed (across experiments, unpaired with Welch's
 * interval when a variant shares no seed with the baseline).
 */
import type { Comparison, CurveTarget, Interval } from '../shared/api.js';
import { CURVE_SUMMARY_METRICS } from '../services/experiments/curve-summaries.js';
import { formatTable } from '../services/text-table.js';
import { exclusionText } from '../shared/excluded.js';
import { fmt } from './progress.js';

export const SHOWN_METRICS = ['weights.valLoss', 'weights.valAccuracy', 'test.loss', 'test.accuracy', 'epochsRun'];

export function printStatistics(comparison: Omit<Comparison, 'curves'>): void {
  const metrics = SHOWN_METRICS.filter((m) => comparison.metrics.includes(m));
  console.log(
    '\nPer variant, over the seeds whose runs ended healthy: mean [95% interval] and n (intervals of accuracies on the logit scale, of losses and times on the log scale, so they stay in range; "few" below 3 seeds):\n',
  );
  const statRows = comparison.variants.map((v) => [
    v.label + (v.variantId === comparison.baseline ? ' (baseline)' : ''),
    ...metrics.map((m) => cell(v.metrics[m])),
  ]);
  console.log(formatTable(['variant', ...metrics], statRows));
  const left = comparison.variants.flatMap((v) => {
    const text = exclusionText(v.statuses);
    return text === null ? [] : [`  ${v.label}: ${text}`];
  });
  if (left.length > 0) console.log(`\nLeft out of the statistics (their numbers are not results):\n${left.join('\n')}`);
  const curveMetrics = CURVE_SUMMARY_METRICS.filter((m) => comparison.metrics.includes(m));
  if (curveMetrics.length > 0) {
    console.log(`\nValidation curves per variant: ${CURVE_WORDS}${targetWords(comparison.curveTarget ?? null)}\n`);
    const curveRows = comparison.variants.map((v) => [v.label, ...curveMetrics.map((m) => cell(v.metrics[m]))]);
    console.log(formatTable(['variant', ...curveMetrics], curveRows));
  }
  const diffRows = comparison.variants.flatMap((v) =>
    [...metrics, ...curveMetrics].flatMap((m) => {
      const d = v.vsBaseline?.[m];
      if (!d) return [];
      const welch = d.test === 'welch';
      return [
        [
          v.label,
          m,
          interval(d),
          welch ? `unpaired (Welch, df ${d.df == null ? '-' : fmt(d.df, 3)})` : 'paired',
          welch ? `${d.n} vs ${d.nBaseline ?? '-'}` : String(d.n),
          p(d.p),
          p(d.pHolm),
          fmt(d.dz, 3),
          d.seedsFor80 === null ? '-' : String(d.seedsFor80),
        ],
      ];
    }),
  );
  if (diffRows.length > 0) {
    const anyWelch = comparison.variants.some((v) => Object.values(v.vsBaseline ?? {}).some((d) => d?.test === 'welch'));
    console.log(
      `\nAgainst the baseline "${comparison.baseline}", paired by seed: mean difference [95% t-interval], pairs, paired t-test p, Holm-adjusted p (over the variants), Cohen's d_z, and the seeds 80% power needs to detect the observed difference:${anyWelch ? WELCH_WORDS : ''}\n`,
    );
    console.log(formatTable(['variant', 'metric', 'difference', 'test', 'n', 'p', 'Holm p', 'd_z', 'seeds for 80%'], diffRows));
  }
}

const WELCH_WORDS =
  " a variant that shares no seed with the baseline is not paired: its difference is the difference of the two means with Welch's t-interval (unequal variances, Welch-Satterthwaite df), n its seeds vs the baseline's, p Welch's test (in Holm's adjustment with the rest); no d_z or seed advice without pairs.";

const CURVE_WORDS =
  "curve.*Area is the area under the validation curve divided by the epochs it spans (the curve's mean height); curve.epochsToBest the epoch (from 1) of the best epoch.";

function targetWords(t: CurveTarget | null): string {
  if (!t) return '';
  const reached = Object.entries(t.reached).map(([id, r]) => `${id} ${r.reached}/${r.runs}`);
  const sign = t.metric === 'valAccuracy' ? '>=' : '<=';
  return ` curve.epochsToTarget the first epoch with ${t.metric} ${sign} ${t.value} (${t.rule}); runs that never reach it are left out (reached: ${reached.join(', ')}).`;
}

export function interval(i: { mean: number; lower: number | null; upper: number | null }): string {
  const ci = i.lower !== null && i.upper !== null ? ` [${fmt(i.lower, 3)}, ${fmt(i.upper, 3)}]` : '';
  return `${fmt(i.mean)}${ci}`;
}

export function cell(i: Interval | { mean: number; lower: number | null; upper: number | null; n: number } | undefined | null): string {
  if (!i) return '-';
  return `${interval(i)} n=${i.n}${i.n < 3 ? ' few' : ''}`;
}

export function p(v: number | null): string {
  return v === null ? '-' : v < 0.001 ? '<0.001' : v.toFixed(3);
}

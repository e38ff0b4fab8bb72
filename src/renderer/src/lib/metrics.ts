/**
 * Names of the comparison's metrics ("weights.valLoss", "final.valLoss", "best.valAccuracy",
 * "test.accuracy", "epochsRun", "seconds") in words, which way is better, and how values print.
 */
import type { CurveTarget } from '../../../shared/api.js';
import { fmtDuration, fmtNum, fmtPercent, fmtSigned } from './format.js';

const WORDS: Record<string, string> = {
  trainLoss: 'train loss',
  valLoss: 'val. loss',
  trainAccuracy: 'train accuracy',
  valAccuracy: 'val. accuracy',
  loss: 'loss',
  accuracy: 'accuracy',
};

/**
 * Scopes of a summary metric: `weights` is the epoch of the weights a run kept (the restored best
 * one under early stopping, else the last): the model's figures, named plainly; `final` the last
 * epoch trained; `best` the best epoch; `test` the test split (of the kept weights).
 */
const SCOPES: Record<string, string> = { weights: '', final: 'last-epoch', best: 'best', test: 'test' };

/** Summaries of each run's validation curve (src/services/experiments/curve-summaries.ts). */
const CURVE_SUMMARIES: Record<string, string> = {
  'curve.valLossArea': 'Val. loss, mean over epochs (area)',
  'curve.valAccuracyArea': 'Val. accuracy, mean over epochs (area)',
  'curve.epochsToTarget': 'Epochs to target',
  'curve.epochsToBest': 'Epoch of best',
};

export function metricLabel(name: string): string {
  if (name in CURVE_SUMMARIES) return CURVE_SUMMARIES[name];
  if (name === 'epochsRun') return 'Epochs run';
  if (name === 'seconds') return 'Time';
  const [scope, field] = name.includes('.') ? name.split('.', 2) : ['', name];
  const what = WORDS[field] ?? field.replace(/([A-Z])/g, ' $1').toLowerCase();
  const prefix = SCOPES[scope] ?? scope;
  const text = prefix ? `${prefix} ${what}` : what;
  return text[0].toUpperCase() + text.slice(1);
}

/** Which direction is an improvement; null when neither (epochs run). */
export function metricDirection(name: string): 'lower' | 'higher' | null {
  const n = name.toLowerCase();
  if (n.includes('accuracy')) return 'higher';
  if (n.includes('loss') || n === 'seconds' || name === 'curve.epochsToTarget') return 'lower';
  return null;
}

export function isFraction(name: string): boolean {
  return name.toLowerCase().includes('accuracy');
}

export function fmtMetric(name: string, v: number | null | undefined): string {
  if (name === 'seconds') return fmtDuration(v);
  if (isFraction(name)) return fmtPercent(v, 1);
  if (name === 'epochsRun') return fmtNum(v, 3);
  return fmtNum(v, 3);
}

/** A difference: percentage points for accuracies, plain for the rest. */
export function fmtMetricDiff(name: string, v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return fmtSigned(v);
  if (isFraction(name)) return `${v > 0 ? '+' : v < 0 ? '−' : ''}${Math.abs(v * 100).toFixed(2)} pp`;
  if (name === 'seconds') return `${fmtSigned(v, 2)} s`;
  return fmtSigned(v, 3);
}

export function fmtMetricInterval(
  name: string,
  iv: { mean: number; lower: number | null; upper: number | null } | null | undefined,
): string {
  if (!iv) return '—';
  const m = fmtMetric(name, iv.mean);
  if (iv.lower === null || iv.upper === null) return m;
  return `${m} [${fmtMetric(name, iv.lower)}, ${fmtMetric(name, iv.upper)}]`;
}

export function fmtDiffInterval(name: string, iv: { mean: number; lower: number | null; upper: number | null } | null | undefined): string {
  if (!iv) return '—';
  const m = fmtMetricDiff(name, iv.mean);
  if (iv.lower === null || iv.upper === null) return m;
  return `${m} [${fmtMetricDiff(name, iv.lower)}, ${fmtMetricDiff(name, iv.upper)}]`;
}

/** Metrics shown by default in the results table, in this order when present. */
export const DEFAULT_RESULT_METRICS = [
  'weights.valLoss',
  'weights.valAccuracy',
  'test.accuracy',
  'test.loss',
  'epochsRun',
  'best.valLoss',
  'seconds',
];

export function defaultResultMetrics(available: readonly string[]): string[] {
  const chosen = DEFAULT_RESULT_METRICS.filter((m) => available.includes(m));
  return chosen.length > 0 ? chosen.slice(0, 4) : available.slice(0, 4);
}

/** The caption of "epochs to target": the target, its rule, and per variant how many runs reached it. */
export function curveTargetText(t: CurveTarget, label: (variantId: string) => string = (id) => id): string {
  const what = t.metric === 'valAccuracy' ? `val. accuracy ≥ ${fmtPercent(t.value, 0)}` : `val. loss ≤ ${fmtNum(t.value, 3)}`;
  const short = Object.values(t.reached).some((r) => r.reached < r.runs);
  return (
    `Epochs to target: the first epoch with ${what} (${t.rule}). ` +
    (short
      ? `Runs that never reached it are left out of that column (runs reaching it: ${Object.entries(t.reached)
          .map(([id, r]) => `${label(id)} ${r.reached}/${r.runs}`)
          .join(', ')}), so its mean is optimistic there.`
      : 'Every run reached it.')
  );
}

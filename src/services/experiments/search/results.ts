/**
 * What a search found, per compare variant (a "cell": the trials one compare variant ran; the whole
 * search when there is no compare):
 *   - every trial's objective, the mean over the seeds whose runs ended healthy, with its 95%
 *     interval (stats.ts, bounded by the metric's range), ranked best first by the goal; trials
 *     without a healthy run, or with a run pruned by halving, come last, unranked;
 *   - the best trial and the runner-up, and best minus runner-up paired over their shared seeds
 *     (mean, interval, paired t-test p): whether the best is distinguishable from the next one;
 *   - factor importance over the cell's trials (importance.ts), pruned trials left out.
 * The best of N trials is selected on the same seeds that measure it, so its interval is optimistic
 * (winner's curse): confirm a tuned setting on new seeds, as examples/tuned-then-compared does. Pure.
 */
import { metricRange } from '../../../shared/intervals.js';
import { countsInStatistics } from '../compare.js';
import { pairedDifference, summarize, valuesBySeed, type SummaryMetric } from '../stats.js';
import type { ExperimentSpec, RunSummary, Variant } from '../types.js';
import { factorImportance, type FactorImportance } from './importance.js';
import { cellOf, DEFAULT_OBJECTIVE, TRIAL_KEY } from './trials.js';

export interface TrialOutcome {
  variantId: string;
  trial: number;
  label: string;
  /** The drawn value of each searched factor. */
  values: Record<string, unknown>;
  /**
   * Objective over healthy seeds; null when no run of the trial ended healthy, or when one of its
   * runs was pruned by halving (judged worse than the earlier rounds' best: not ranked).
   */
  objective: { mean: number; lower: number | null; upper: number | null; n: number } | null;
}

export interface SearchCell {
  /** The compare part of the variant ids ("activation=relu"), or "" without compare. */
  cell: string;
  trials: TrialOutcome[];
  best: TrialOutcome | null;
  runnerUp: TrialOutcome | null;
  /** Best minus runner-up, paired by seed; null without two ranked trials sharing a seed. */
  bestVsRunnerUp: { mean: number; lower: number | null; upper: number | null; n: number; p: number | null } | null;
  importance: FactorImportance[];
}

export interface SearchResults {
  method: string;
  objective: { metric: string; goal: 'min' | 'max' };
  cells: SearchCell[];
}

/** The search results of an experiment, or null when it has no search. */
export function searchResults(spec: ExperimentSpec, variants: Variant[], summaries: readonly RunSummary[]): SearchResults | null {
  if (!spec.search) return null;
  const objective = spec.search.objective ?? DEFAULT_OBJECTIVE;
  const metric = objective.metric as SummaryMetric;
  const range = metricRange(metric);
  const keys = Object.keys(spec.search.space);
  const bySeed = valuesBySeed(summaries.filter(countsInStatistics), metric);
  const pruned = new Set(summaries.filter((s) => s.status === 'pruned').map((s) => s.variantId));
  const sign = objective.goal === 'min' ? 1 : -1;

  const cells = new Map<string, Variant[]>();
  for (const v of variants) {
    const cell = cellOf(v.id);
    cells.set(cell, [...(cells.get(cell) ?? []), v]);
  }
  return {
    method: spec.search.method,
    objective: { metric: objective.metric, goal: objective.goal },
    cells: [...cells.entries()].map(([cell, members]) => {
      const trials = members.map((v): TrialOutcome => {
        const seeds = bySeed.get(v.id);
        const s = seeds && !pruned.has(v.id) ? summarize([...seeds.values()], undefined, range) : null;
        return {
          variantId: v.id,
          trial: v.factors[TRIAL_KEY] as number,
          label: v.label,
          values: Object.fromEntries(keys.map((k) => [k, v.factors[k]])),
          objective: s && s.mean !== null ? { mean: s.mean, lower: s.ci?.lower ?? null, upper: s.ci?.upper ?? null, n: s.n } : null,
        };
      });
      const ranked = trials.filter((t) => t.objective).sort((a, b) => sign * (a.objective!.mean - b.objective!.mean) || a.trial - b.trial);
      const ordered = [...ranked, ...trials.filter((t) => !t.objective)];
      const [best, runnerUp] = [ranked[0] ?? null, ranked[1] ?? null];
      let bestVsRunnerUp: SearchCell['bestVsRunnerUp'] = null;
      if (best && runnerUp) {
        const d = pairedDifference(bySeed.get(runnerUp.variantId)!, bySeed.get(best.variantId)!, undefined, range);
        if (d.n > 0 && d.mean !== null)
          bestVsRunnerUp = { mean: d.mean, lower: d.ci?.lower ?? null, upper: d.ci?.upper ?? null, n: d.n, p: d.pValue };
      }
      // Pruned trials stopped before their objective was measured: importance is over the others.
      const observed = members.map((v) => ({
        values: v.factors,
        bySeed: (pruned.has(v.id) ? undefined : bySeed.get(v.id)) ?? new Map<number, number>(),
      }));
      return { cell, trials: ordered, best, runnerUp, bestVsRunnerUp, importance: factorImportance(keys, observed) };
    }),
  };
}

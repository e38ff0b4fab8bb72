/**
 * The finished runs a search in rounds (bayes, or halving) proposes or reveals trials from
 * (trials.ts `Observed`), read from run summaries: a run that ended healthy (completed, stopped
 * early) gives its objective metric, one that ended otherwise (pruned, diverged, failed) null; cancelled runs are not finished (a resume reruns them) and
 * are left out, as are runs without a summary. Pure.
 */
import { countsInStatistics } from '../compare.js';
import { summaryMetric, type SummaryMetric } from '../stats.js';
import type { ExperimentSpec, RunSummary } from '../types.js';
import { DEFAULT_OBJECTIVE, type Observed } from './trials.js';

/** A search whose trials come in rounds, each once the earlier ones have finished: bayes, or any with halving. */
export function searchHasRounds(spec: Pick<ExperimentSpec, 'search'>): boolean {
  return spec.search?.method === 'bayes' || spec.search?.halving !== undefined;
}

/** Observations for `spec`'s search in rounds, or undefined when it has none (nothing to observe). */
export function observedRuns(spec: ExperimentSpec, summaries: readonly RunSummary[]): Observed | undefined {
  if (!searchHasRounds(spec)) return undefined;
  const metric = (spec.search!.objective ?? DEFAULT_OBJECTIVE).metric as SummaryMetric;
  const out = new Map<string, Map<number, number | null>>();
  for (const s of summaries) {
    if (s.status === 'cancelled') continue;
    const bySeed = out.get(s.variantId) ?? new Map<number, number | null>();
    bySeed.set(s.seed, countsInStatistics(s) ? summaryMetric(s, metric) : null);
    out.set(s.variantId, bySeed);
  }
  return out;
}

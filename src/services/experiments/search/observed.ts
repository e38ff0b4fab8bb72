/**
 * The finished runs a bayes search proposes from (trials.ts `Observed`), read from run summaries:
 * a run that ended healthy (completed, stopped early) gives its objective metric, one that ended
 * otherwise (diverged, failed) null; cancelled runs are not finished (a resume reruns them) and
 * are left out, as are runs without a summary. Pure.
 */
import { countsInStatistics } from '../compare.js';
import { summaryMetric, type SummaryMetric } from '../stats.js';
import type { ExperimentSpec, RunSummary } from '../types.js';
import { DEFAULT_OBJECTIVE, type Observed } from './trials.js';

/** Observations for `spec`'s bayes search, or undefined when it has none (nothing to observe). */
export function observedRuns(spec: ExperimentSpec, summaries: readonly RunSummary[]): Observed | undefined {
  if (spec.search?.method !== 'bayes') return undefined;
  const metric = (spec.search.objective ?? DEFAULT_OBJECTIVE).metric as SummaryMetric;
  const out = new Map<string, Map<number, number | null>>();
  for (const s of summaries) {
    if (s.status === 'cancelled') continue;
    const bySeed = out.get(s.variantId) ?? new Map<number, number | null>();
    bySeed.set(s.seed, countsInStatistics(s) ? summaryMetric(s, metric) : null);
    out.set(s.variantId, bySeed);
  }
  return out;
}

/**
 * The search of an experiment as the Compare tab's hyperparameter views draw it (SearchView,
 * src/shared/types/search.ts): the ranking, best trial, runner-up and importance of results.ts,
 * plus every metric of every trial over its healthy seeds (mean, 95% interval bounded to the
 * metric's range, and each seed's value, for the parallel coordinates and the scatter) and the
 * space's dimensions (so a log-drawn factor gets a log axis). Pure.
 */
import { metricRange } from '../../../shared/intervals.js';
import type { SearchAxis, SearchView, TrialMetric } from '../../../shared/types/search.js';
import { COMPARED_METRICS, countsInStatistics } from '../compare.js';
import { summarize, valuesBySeed } from '../stats.js';
import type { ExperimentSpec, RunSummary, Variant } from '../types.js';
import { searchResults } from './results.js';
import { readSpace } from './space.js';

export const IMPORTANCE_METHOD =
  'Importance: the correlation ratio (eta squared, the binned first-order Sobol index of the objective) of each factor, per seed, then the mean over seeds with its 95% interval. Main effects only; "chance" is what a factor without effect scores.';

/** The hyperparameter view of an experiment, or null when it has no search. */
export function searchView(spec: ExperimentSpec, variants: Variant[], summaries: readonly RunSummary[]): SearchView | null {
  const results = searchResults(spec, variants, summaries);
  if (!results || !spec.search) return null;
  const healthy = summaries.filter(countsInStatistics);
  const metrics = COMPARED_METRICS.map((m) => ({ m, bySeed: valuesBySeed(healthy, m) })).filter((x) => x.bySeed.size > 0);
  metrics.sort((a, b) => Number(b.m === results.objective.metric) - Number(a.m === results.objective.metric));
  const statuses = new Map<string, Record<string, number>>();
  for (const s of summaries) {
    const counts = statuses.get(s.variantId) ?? {};
    counts[s.status] = (counts[s.status] ?? 0) + 1;
    statuses.set(s.variantId, counts);
  }
  const { dims } = readSpace(spec.search.space, Object.keys(spec.compare ?? {}));
  const axes: SearchAxis[] = dims.map((d) =>
    d.kind === 'choice'
      ? { key: d.key, kind: 'choice', lo: null, hi: null, choices: d.choices.map(choiceText) }
      : { key: d.key, kind: d.kind, lo: d.lo, hi: d.hi, choices: null },
  );
  return {
    method: results.method,
    objective: results.objective,
    axes,
    metrics: metrics.map((x) => x.m),
    importanceMethod: IMPORTANCE_METHOD,
    cells: results.cells.map((c) => {
      const ranked = c.trials.filter((t) => t.objective);
      return {
        cell: c.cell,
        trials: c.trials.map((t) => ({
          variantId: t.variantId,
          trial: t.trial,
          label: t.label,
          values: Object.fromEntries(Object.entries(t.values).map(([k, v]) => [k, typeof v === 'number' ? v : choiceText(v)])),
          rank: t.objective ? ranked.indexOf(t) + 1 : null,
          metrics: Object.fromEntries(
            metrics.flatMap(({ m, bySeed }) => {
              const seeds = bySeed.get(t.variantId);
              return seeds && seeds.size > 0 ? [[m, trialMetric(seeds, m)]] : [];
            }),
          ),
          statuses: statuses.get(t.variantId) ?? {},
        })),
        best: c.best?.variantId ?? null,
        runnerUp: c.runnerUp?.variantId ?? null,
        bestVsRunnerUp: c.bestVsRunnerUp,
        importance: c.importance.map((f) => ({
          key: f.key,
          mean: f.mean,
          lower: f.lower,
          upper: f.upper,
          perSeed: f.seeds.map((seed, i) => ({ seed, value: f.perSeed[i] })),
          chance: f.chance,
        })),
      };
    }),
  };
}

function trialMetric(bySeed: ReadonlyMap<number, number>, metric: string): TrialMetric {
  const seeds = [...bySeed.entries()].sort((a, b) => a[0] - b[0]).map(([seed, value]) => ({ seed, value }));
  const s = summarize(
    seeds.map((x) => x.value),
    undefined,
    metricRange(metric),
  );
  return { mean: s.mean!, lower: s.ci?.lower ?? null, upper: s.ci?.upper ?? null, n: s.n, seeds };
}

/** A listed value as text: strings as they are, anything else (numbers, objects) as JSON. */
function choiceText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

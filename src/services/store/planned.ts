/**
 * The runs an experiment plans: its grid (variants x seeds) expanded from the stored spec, so a
 * listing counts planned runs, not folders, and can name runs that never started. Expansions are
 * cached by spec hash (a store's listing is refreshed often; a spec never changes under its hash).
 * A bayes search plans the trials proposed so far, from the finished runs' summaries given.
 * Main thread.
 */
import { expandExperiment } from '../experiments/spec/expand.js';
import { observedRuns } from '../experiments/search/observed.js';
import type { RunSummary, StoredExperiment } from '../experiments/types.js';

export interface PlannedRunRef {
  runId: string;
  variantId: string;
  seed: number;
}

const cache = new Map<string, PlannedRunRef[] | null>();
const CACHE_ENTRIES = 256;

/** The experiment's runs in plan order; null when its spec cannot be expanded (written by another version, or damaged). */
export function plannedRuns(experiment: StoredExperiment, summaries: readonly RunSummary[] = []): PlannedRunRef[] | null {
  // A bayes search's plan grows with its finished runs (search/trials.ts): not cached.
  const observed = observedRuns(experiment.spec, summaries);
  const key = experiment.specHash;
  const hit = observed ? undefined : cache.get(key);
  if (hit !== undefined) return hit;
  let plan: PlannedRunRef[] | null;
  try {
    plan = expandExperiment(experiment.spec, undefined, observed).runs.map((r) => ({ runId: r.id, variantId: r.variant.id, seed: r.seed }));
  } catch {
    plan = null;
  }
  if (observed) return plan;
  if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, plan);
  return plan;
}

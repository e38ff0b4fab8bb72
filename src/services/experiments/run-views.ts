/**
 * The app's views of runs, from the one run-state model over the experiment's whole plan: the
 * list item of an experiment (its runs counted by state) and the view of each planned run, given
 * what the live runner of this process knows (queued, running on its team, its latest progress).
 * Main thread (reads the store).
 */
import type { ExperimentListItem, RunView } from '../../shared/api.js';
import { countComplete, experimentState, isActive, type RunFacts } from '../../shared/run-state.js';
import type { ExperimentListing, LoadedExperiment } from '../store/reader.js';
import { errorMessage } from '../../engine/index.js';
import { experimentCounts, plannedRunStates } from './run-states.js';

type LiveFacts = (runId: string) => RunFacts['live'];

/** The list item without the user's labels (meta.json), which the app adds. */
type CountedItem = Omit<ExperimentListItem, 'labels'>;

export async function experimentListItem(e: ExperimentListing, live: LiveFacts): Promise<CountedItem> {
  const item: CountedItem = {
    id: e.id,
    name: e.name ?? e.id,
    createdAt: e.createdAt ?? '',
    runCount: e.runCount,
    completedRuns: e.completedRuns,
    status: 'error',
    counts: null,
    error: e.error,
  };
  if (e.error) return item;
  try {
    const counts = await experimentCounts(e.path, live);
    return { ...item, counts, runCount: counts.total, completedRuns: countComplete(counts), status: experimentState(counts) };
  } catch (err) {
    return { ...item, error: errorMessage(err) };
  }
}

export function runViews(loaded: LoadedExperiment, live: LiveFacts, progress: (runId: string) => RunView['progress']): RunView[] {
  return plannedRunStates(loaded.experiment.spec, loaded.runs, live).map(({ plan, stored, state }) => ({
    runId: plan.id,
    variantId: plan.variant.id,
    seed: plan.seed,
    status: state.state,
    threads: state.threads,
    epochs: plan.config.train.epochs,
    damage: state.damage,
    progress: isActive(state.state) ? progress(plan.id) : null,
    summary: stored?.summary ?? null,
    hasOnnx: stored?.hasOnnx ?? false,
  }));
}

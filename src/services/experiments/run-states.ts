/**
 * Every run of an experiment's plan (the expanded grid, not the folders that happen to exist)
 * with its state in the one run-state model (src/shared/run-state.ts), from the store's files and,
 * in the app, the live runner's facts. What `ablate show`, `ablate list` and the app's views are
 * built from. Pure, but for experimentCounts (which reads the store).
 */
import { countStates, runState, type RunFacts, type RunStateOf, type StateCounts } from '../../shared/run-state.js';
import { loadExperiment, type LoadedRun } from '../store/reader.js';
import { observedRuns } from './search/observed.js';
import { expandExperiment } from './spec/expand.js';
import type { ExperimentSpec, PlannedRun } from './types.js';

export interface PlannedRunState {
  plan: PlannedRun;
  /** Its folder in the store, when it has one. */
  stored: LoadedRun | null;
  state: RunStateOf;
}

/** The store's facts about one run folder: damaged when its files contradict its summary (verify.ts) or the summary cannot be read. */
export function storedFacts(run: LoadedRun | null | undefined): RunFacts['stored'] {
  if (!run) return null;
  const damage =
    run.state === 'damaged' ? run.damage.join(' ') : run.state === 'unreadable' ? (run.error ?? 'summary.json cannot be read') : null;
  return { summary: run.summary, damage };
}

export function plannedRunStates(
  spec: ExperimentSpec,
  stored: readonly LoadedRun[],
  live: (runId: string) => RunFacts['live'] = () => null,
): PlannedRunState[] {
  const byId = new Map(stored.map((r) => [r.runId, r]));
  const observed = observedRuns(
    spec,
    stored.flatMap((r) => (r.summary ? [r.summary] : [])),
  );
  return expandExperiment(spec, undefined, observed).runs.map((plan) => {
    const folder = byId.get(plan.id) ?? null;
    return { plan, stored: folder, state: runState({ stored: storedFacts(folder), live: live(plan.id) }) };
  });
}

export function countPlanned(runs: readonly PlannedRunState[]): StateCounts {
  return countStates(runs.map((r) => r.state.state));
}

/** The state counts of the experiment in `dir` over its whole plan (reads its runs' summaries). */
export async function experimentCounts(dir: string, live?: (runId: string) => RunFacts['live']): Promise<StateCounts> {
  const loaded = await loadExperiment(dir);
  return countPlanned(plannedRunStates(loaded.experiment.spec, loaded.runs, live));
}

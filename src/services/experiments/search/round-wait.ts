/**
 * Between the rounds of a bayes search shared by several processes (`ablate run --claim` or
 * `--shard I/N`, docs/cluster.md): the next round is proposed only from a complete previous round
 * (trials.ts), and a process whose own part of a round is done may find other processes still
 * training the rest. It waits here until every run of the plan has finished in the shared store
 * (a summary that is not "cancelled": what the proposals read, observed.ts), then expands the plan
 * again. Main thread (reads the store), plain Node.
 */
import { loadExperiment } from '../../store/reader.js';

/** Runs of the plan (by id) that have not finished in the experiment folder `dir`. */
export async function unfinishedRuns(dir: string, planIds: readonly string[]): Promise<string[]> {
  const finished = new Set(
    (await loadExperiment(dir)).runs.filter((r) => r.summary !== null && r.summary.status !== 'cancelled').map((r) => r.runId),
  );
  return planIds.filter((id) => !finished.has(id));
}

export interface RoundWaitOptions {
  pollMs: number;
  /** Told when the runs waited for change (the CLI prints it). */
  onWaiting?: (runIds: string[]) => void;
  /** True once the process is told to stop (a signal): the wait ends without the round. */
  stopped: () => boolean;
}

/** Waits until every run of the plan has finished; false when stopped first. */
export async function waitForRound(dir: string, planIds: readonly string[], o: RoundWaitOptions): Promise<boolean> {
  let told = '';
  for (;;) {
    if (o.stopped()) return false;
    const left = await unfinishedRuns(dir, planIds);
    if (left.length === 0) return true;
    const key = left.join(',');
    if (key !== told) o.onWaiting?.(left);
    told = key;
    await new Promise((resolve) => setTimeout(resolve, o.pollMs));
  }
}

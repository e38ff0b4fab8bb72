/**
 * Where an ExperimentRunner gets its runs: a ClaimingRunSource hands out, one at a time, runs of the
 * plan (all of them, or a fixed shard) that are not complete, each claimed for this process first
 * (run claims, src/services/store/run-claims.ts), so any number of processes, on one machine or
 * many sharing the store, can train one experiment at once and every run is trained by one of
 * them. A run another process holds is waited for: when its holder finishes it, it is dropped;
 * when its holder dies (its claim goes stale), this process takes it over. The source is done
 * when every run of its slice is complete or was tried here once (a run that failed here is not
 * retried by this process: another process, or the next `ablate run`, retries it).
 *
 * It decides which runs; the runner decides how (lanes, teams). Main thread only.
 */
import type { ClaimInspection } from '../store/claim.js';
import type { ExperimentHandle } from '../store/experiment-store.js';
import type { PlannedRun } from './types.js';

export interface RunSource {
  /** The next run for this process, its claim held; null when none is left. Lanes may call it concurrently. */
  next(): Promise<PlannedRun | null>;
  /** Runs it may still hand out (an estimate, for the scheduling policy). */
  readonly waiting: number;
  /** Hands out nothing more; pending next() calls resolve null (cancel all). */
  stop(): void;
}

/** A fixed slice of the plan: runs whose position in plan order is `index` modulo `count` (0-based, as Slurm array and Kubernetes job indexes are). */
export interface Shard {
  index: number;
  count: number;
}

/** Runs that other live processes hold while this one has nothing else to do. */
export interface Waiting {
  runs: Array<{ runId: string; holder: ClaimInspection }>;
}

export interface ClaimingSourceOptions {
  shard?: Shard;
  /** How often to look again at runs others hold; default 5 s. */
  pollMs?: number;
  /** Told each time this process starts waiting for runs others hold (the CLI prints it). */
  onWaiting?: (w: Waiting) => void;
  /** Told when this process lost a run it was training (it must stop it: its files are another's now). */
  onLost?: (runId: string) => void;
}

export const DEFAULT_POLL_MS = 5000;

/** The runs of `runs` (plan order) in the shard. */
export function shardOf<T>(runs: readonly T[], shard: Shard | undefined): T[] {
  return shard === undefined ? [...runs] : runs.filter((_, i) => i % shard.count === shard.index);
}

export class ClaimingRunSource implements RunSource {
  /** Runs still to be trained or waited for, in plan order. */
  private pending: PlannedRun[];
  private stopped = false;
  private lock: Promise<unknown> = Promise.resolve();
  private wake: (() => void) | null = null;

  constructor(
    private readonly handle: ExperimentHandle,
    runs: readonly PlannedRun[],
    completed: ReadonlySet<string>,
    private readonly o: ClaimingSourceOptions = {},
  ) {
    this.pending = shardOf(runs, o.shard).filter((r) => !completed.has(r.id));
  }

  get waiting(): number {
    return this.pending.length;
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  next(): Promise<PlannedRun | null> {
    // One lane at a time: two lanes of this process must never be handed the same run.
    const turn = this.lock.then(() => this.find());
    this.lock = turn.catch(() => undefined);
    return turn;
  }

  private async find(): Promise<PlannedRun | null> {
    let announced = '';
    while (!this.stopped) {
      const heldElsewhere: Waiting['runs'] = [];
      for (const run of [...this.pending]) {
        if (this.stopped) return null;
        const r = await this.handle.claimRun(run.id, { onLost: () => this.o.onLost?.(run.id) });
        if (!r.held) {
          heldElsewhere.push({ runId: run.id, holder: r.holder });
          continue;
        }
        // Claimed: from here on nobody else writes the run. Another process may have finished it
        // just before (it released the claim after its summary), so look before training it.
        this.pending = this.pending.filter((p) => p !== run);
        if (await this.handle.isRunComplete(run.id)) {
          await this.handle.releaseRun(run.id);
          continue;
        }
        return run;
      }
      if (heldElsewhere.length === 0) return null;
      const key = heldElsewhere.map((w) => `${w.runId}@${w.holder.token}`).join(',');
      if (key !== announced) this.o.onWaiting?.({ runs: heldElsewhere });
      announced = key;
      await this.pause();
    }
    return null;
  }

  /** Waits a poll interval (a little jittered, so processes started together spread out), or until stop(). */
  private pause(): Promise<void> {
    const ms = (this.o.pollMs ?? DEFAULT_POLL_MS) * (0.75 + Math.random() / 2);
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    }).finally(() => (this.wake = null));
  }
}

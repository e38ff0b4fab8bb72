/**
 * A team is the set of threads training one run. Work is handed out in phases: each thread
 * claims unit ids with `next(n)` until it gets -1, then waits at `barrier()` (the loops are
 * written out in train/step.ts: a closure per phase would allocate on every step). Which thread takes
 * which unit never changes a result (units write disjoint outputs; see work-plan.ts).
 *
 * SoloTeam runs everything in the calling thread. SharedTeam synchronizes threads through
 * Atomics on the run's sync words: a counter for claims and a generation-counting barrier
 * (spin briefly, then Atomics.wait). The pool aborts a team by setting the abort word and
 * notifying; every waiting thread then throws CancelledError.
 */
import { CancelledError } from '../errors.js';
import { Sync } from './run-memory.js';

export interface Team {
  readonly index: number;
  readonly size: number;
  /** The next unit id in [0, n) of the current phase, or -1 when all are taken. */
  next(n: number): number;
  /** Waits for every thread of the team and starts a new phase. */
  barrier(): void;
  /** Seconds this thread has spent waiting in barriers (synchronization overhead). */
  readonly waitSeconds: number;
}

export class SoloTeam implements Team {
  readonly index = 0;
  readonly size = 1;
  readonly waitSeconds = 0;
  private claimed = 0;
  next(n: number): number {
    return this.claimed < n ? this.claimed++ : -1;
  }
  barrier(): void {
    this.claimed = 0;
  }
}

const SPINS = 4000;

export class SharedTeam implements Team {
  private waitMs = 0;

  constructor(
    private readonly sync: Int32Array,
    readonly index: number,
    readonly size: number,
  ) {}

  next(n: number): number {
    const i = Atomics.add(this.sync, Sync.workCounter, 1);
    return i < n ? i : -1;
  }

  get waitSeconds(): number {
    return this.waitMs / 1000;
  }

  barrier(): void {
    const t0 = performance.now();
    this.arrive();
    this.waitMs += performance.now() - t0;
  }

  private arrive(): void {
    const s = this.sync;
    const generation = Atomics.load(s, Sync.barrierGeneration);
    if (Atomics.add(s, Sync.barrierCount, 1) === this.size - 1) {
      Atomics.store(s, Sync.barrierCount, 0);
      Atomics.store(s, Sync.workCounter, 0);
      Atomics.add(s, Sync.barrierGeneration, 1);
      Atomics.notify(s, Sync.barrierGeneration);
    } else {
      let spins = 0;
      while (Atomics.load(s, Sync.barrierGeneration) === generation) {
        if (Atomics.load(s, Sync.abort) !== 0)
          throw new CancelledError('The run was stopped because another thread of its team failed or the pool shut down.');
        if (spins < SPINS) spins++;
        else Atomics.wait(s, Sync.barrierGeneration, generation, 100);
      }
    }
    if (Atomics.load(s, Sync.abort) !== 0)
      throw new CancelledError('The run was stopped because another thread of its team failed or the pool shut down.');
  }
}

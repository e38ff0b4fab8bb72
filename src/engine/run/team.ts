/**
 * A team is the set of threads training one run. Work is handed out in phases: each thread
 * claims unit ids with `next(n)` until it gets -1, then waits at `barrier()` (the loops are
 * written out in train/step.ts: a closure per phase would allocate on every step). Which thread takes
 * which unit never changes a result (units write disjoint outputs; see work-plan.ts).
 *
 * SoloTeam runs everything in the calling thread. SharedTeam synchronizes threads through
 * Atomics on the run's sync words: a counter for claims and a generation-counting barrier
 * (spin for up to an adaptive budget, spin-budget.ts, then Atomics.wait). The pool aborts a team by setting the abort word and
 * notifying; every waiting thread then throws CancelledError.
 */
import { CancelledError } from '../errors.js';
import { threadClock, type Clock } from './clock.js';
import { Sync } from './run-memory.js';
import { SPIN_BUDGET_MS, SpinBudget } from './spin-budget.js';

/**
 * What the phase that ends at a barrier was, for the team's wait profile (BENCHMARKS.md, "Where
 * the second worker's time goes"): forward and input gradients per row chunk, batch-norm
 * statistics or reductions, weight gradients, the optimizer update, anything else (evaluation,
 * set-up).
 */
export const Phase = { other: 0, rows: 1, batchNorm: 2, weights: 3, update: 4 } as const;
export const PHASE_NAMES = ['other', 'rows', 'batchNorm', 'weights', 'update'] as const;
export type PhaseName = (typeof PHASE_NAMES)[number];

/** One thread's barriers by phase: how many, the time working before them and waiting in them. */
export interface PhaseProfile {
  phase: PhaseName;
  barriers: number;
  workSeconds: number;
  waitSeconds: number;
  /** Barriers in which this thread slept (Atomics.wait) after spinning. */
  sleeps: number;
}

export interface Team {
  readonly index: number;
  readonly size: number;
  /** The next unit id in [0, n) of the current phase, or -1 when all are taken. */
  next(n: number): number;
  /** Waits for every thread of the team and starts a new phase; `phase` (a Phase) only labels the profile. */
  barrier(phase?: number): void;
  /**
   * Within a phase: waits until flags[i] === value, set (Atomics.store) by the thread running a
   * unit claimed earlier in the same phase, so the wait always ends. Counted as wait of the phase,
   * at its barrier.
   */
  waitFlag(flags: Int32Array, i: number, value: number): void;
  /** Seconds this thread has spent waiting in barriers (synchronization overhead). */
  readonly waitSeconds: number;
  /** This thread's barriers by phase (empty for a team of one). */
  profile(): PhaseProfile[];
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
  waitFlag(flags: Int32Array, i: number, value: number): void {
    // One thread runs the units in claim order, so an earlier unit has always set the flag.
    if (flags[i] !== value) throw new Error(`unit order broken: flag ${i} is ${flags[i]}, expected ${value}`);
  }
  profile(): PhaseProfile[] {
    return [];
  }
}

const [RELEASED, WAITED, ARRIVED] = [0, 1, 2];

export class SharedTeam implements Team {
  private readonly spin = new SpinBudget();
  private readonly stats = new Float64Array(PHASE_NAMES.length * 4); // barriers, work ms, wait ms, sleeps
  /**
   * The clock readings kept between calls, in ms: [the last release, all waits, this barrier's
   * arrival]. In a typed array, not in fields or arguments, where a double may be boxed per store.
   */
  private readonly times = new Float64Array(3);
  /**
   * The current phase's flag waits (waitFlag) as clock readings, [start, end] per wait, which its
   * barrier folds into the profile. waitFlag runs in few steps, so V8 may never optimize it; in
   * unoptimized code every double read or computed is a new heap number. So it only copies
   * readings with set() and does no arithmetic: the barrier, hot and optimized, does that.
   */
  private flagWaits = new Float64Array(16);
  private flagWaitCount = 0;

  constructor(
    private readonly sync: Int32Array,
    readonly index: number,
    readonly size: number,
    /** The thread's clock; a test may give one whose readings it knows. */
    private readonly clock: Clock = threadClock(),
  ) {
    this.clock.tick();
    this.times[RELEASED] = this.clock.reading[0];
  }

  next(n: number): number {
    const i = Atomics.add(this.sync, Sync.workCounter, 1);
    return i < n ? i : -1;
  }

  get waitSeconds(): number {
    return this.times[WAITED] / 1000;
  }

  // The clock is read inline (tick, then reading[0]) and never through a helper returning the
  // time: unless V8 inlines such a helper, each return is a new heap number.
  barrier(phase: number = Phase.other): void {
    const times = this.times;
    const clock = this.clock;
    clock.tick();
    times[ARRIVED] = clock.reading[0];
    const slept = this.arrive();
    clock.tick();
    const t1 = clock.reading[0];
    const t0 = times[ARRIVED];
    let flagWait = 0;
    const log = this.flagWaits;
    for (let k = 0; k < this.flagWaitCount; k++) flagWait += log[2 * k + 1] - log[2 * k];
    this.flagWaitCount = 0;
    times[WAITED] += t1 - t0 + flagWait;
    const st = this.stats;
    const i = phase * 4;
    st[i] += 1;
    st[i + 1] += t0 - times[RELEASED] - flagWait;
    st[i + 2] += t1 - t0 + flagWait;
    st[i + 3] += slept;
    times[RELEASED] = t1;
  }

  profile(): PhaseProfile[] {
    const st = this.stats;
    return PHASE_NAMES.map((phase, p) => ({
      phase,
      barriers: st[p * 4],
      workSeconds: st[p * 4 + 1] / 1000,
      waitSeconds: st[p * 4 + 2] / 1000,
      sleeps: st[p * 4 + 3],
    })).filter((p) => p.barriers > 0);
  }

  waitFlag(flags: Int32Array, i: number, value: number): void {
    if (Atomics.load(flags, i) === value) return;
    const n = this.flagWaitCount;
    // The log first holds 8 waits, enough below 10 threads: a thread takes a chunk's backward once
    // every forward is taken (train/step.ts), so it waits at most once per other thread in a phase.
    if (2 * n + 2 > this.flagWaits.length) this.growFlagWaits();
    const log = this.flagWaits;
    const clock = this.clock;
    clock.tick();
    log.set(clock.reading, 2 * n);
    while (!this.spinUntilFlag(flags, i, value, 2 * n)) {
      // Beyond the spin budget the other thread was descheduled: poll gently.
      this.checkAbort();
      Atomics.wait(flags, i, Atomics.load(flags, i), 0.05);
    }
    clock.tick();
    log.set(clock.reading, 2 * n + 1);
    this.flagWaitCount = n + 1;
  }

  private growFlagWaits(): void {
    const grown = new Float64Array(2 * this.flagWaits.length);
    grown.set(this.flagWaits);
    this.flagWaits = grown;
  }

  /** Returns 1 when this thread slept in Atomics.wait, else 0. */
  private arrive(): number {
    const s = this.sync;
    const generation = Atomics.load(s, Sync.barrierGeneration);
    if (Atomics.add(s, Sync.barrierCount, 1) === this.size - 1) {
      Atomics.store(s, Sync.barrierCount, 0);
      Atomics.store(s, Sync.workCounter, 0);
      Atomics.add(s, Sync.barrierGeneration, 1);
      Atomics.notify(s, Sync.barrierGeneration);
      this.checkAbort();
      return 0;
    }
    const slept = this.spinUntilReleased(generation) ? 0 : 1;
    if (slept) {
      this.spin.slept();
      while (Atomics.load(s, Sync.barrierGeneration) === generation) {
        this.checkAbort();
        Atomics.wait(s, Sync.barrierGeneration, generation, 100);
      }
    } else {
      this.spin.spun();
    }
    this.checkAbort();
    return slept;
  }

  // The two spin loops are functions of their own with nothing after the loop but a return. V8
  // compiles a long-running loop on the stack (OSR) and keeps that code for later entries; code
  // in it that had not run before (the sleep after a spin that outlasted its budget, say) then
  // deoptimized it on every such entry, up to hundreds of times a run, and the unoptimized code
  // allocates a heap number per clock reading. Both read the clock every 64 spins, a few
  // microseconds apart.

  /** Spins while the barrier's generation is `generation`: true when it moved (or the team aborts), false when the budget ran out. */
  private spinUntilReleased(generation: number): boolean {
    const s = this.sync;
    const clock = this.clock;
    const t0 = this.times[ARRIVED];
    const budget = SPIN_BUDGET_MS[this.spin.level];
    let spins = 0;
    while (Atomics.load(s, Sync.barrierGeneration) === generation) {
      if ((++spins & 63) === 0) {
        if (Atomics.load(s, Sync.abort) !== 0) return true; // the caller throws
        clock.tick();
        if (clock.reading[0] - t0 >= budget) return false;
      }
    }
    return true;
  }

  /**
   * Spins until flags[i] === value: true then, false when the budget, counted from the reading at
   * flagWaits[startAt], ran out. It reads no double before its 64th spin (see flagWaits).
   */
  private spinUntilFlag(flags: Int32Array, i: number, value: number, startAt: number): boolean {
    let spins = 0;
    let t0 = 0;
    let budget = 0;
    while (Atomics.load(flags, i) !== value) {
      if ((++spins & 63) === 0) {
        if (spins === 64) {
          t0 = this.flagWaits[startAt];
          budget = SPIN_BUDGET_MS[this.spin.level];
        }
        this.clock.tick();
        if (this.clock.reading[0] - t0 >= budget) return false;
      }
    }
    return true;
  }

  private checkAbort(): void {
    if (Atomics.load(this.sync, Sync.abort) !== 0)
      throw new CancelledError('The run was stopped because another thread of its team failed or the pool shut down.');
  }
}

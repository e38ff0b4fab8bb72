/**
 * A flag wait inside a phase (SharedTeam.waitFlag, the backward of a chunk waiting for the
 * forward another thread is finishing) counts as wait of that phase, not as its work. Even where
 * V8 runs it unoptimized it makes no heap number before its spin's first budget check, 64 spins
 * in: it only copies clock readings, and the phase's barrier adds them up. Checked here by hand
 * on a clock that advances a fixed step per reading and sets the awaited flag at a reading chosen
 * by the test, on a team of one (its barrier never waits).
 * The allocation itself is measured on real runs by pool-allocation.test.ts, where either thread
 * read up to 55 bytes per step before this (BENCHMARKS.md).
 */
import { describe, expect, it } from 'vitest';
import type { Clock } from '../src/engine/run/clock.js';
import { Sync } from '../src/engine/run/run-memory.js';
import { CancelledError } from '../src/engine/errors.js';
import { Phase, SharedTeam } from '../src/engine/run/team.js';

/** A clock at ms, 2 ms, 3 ms, ... on its 1st, 2nd, 3rd, ... tick, calling `at[n]` on its nth tick. */
function steppingClock(at: Record<number, () => void>, ms = 1): Clock & { ticks: () => number } {
  const reading = new Float64Array(1);
  let ticks = 0;
  return {
    reading,
    readingMs: new Int32Array(1), // the team reads only reading
    allocates: false,
    ticks: () => ticks,
    tick() {
      ticks += 1;
      reading[0] = ticks * ms;
      at[ticks]?.();
    },
  };
}

const syncWords = () => new Int32Array(new SharedArrayBuffer(Sync.length * 4));
const team = (clock: Clock, sync = syncWords()) => new SharedTeam(sync, 0, 1, clock);

describe('a flag wait', () => {
  it('is wait of the phase it is in, and the phase work leaves it out', () => {
    const flags = new Int32Array(new SharedArrayBuffer(8));
    // Ticks: 1 made (released), 2 wait starts, 3 the spin's first check (the flag is set then; one
    // ms spent, the 1 ms budget is out: a 0.05 ms sleep, then the spin sees it), 4 wait ends,
    // 5 barrier arrival, 6 barrier release.
    const t = team(steppingClock({ 3: () => Atomics.store(flags, 1, 7) }));
    t.waitFlag(flags, 1, 7);
    t.barrier(Phase.rows);
    const rows = t.profile().find((p) => p.phase === 'rows')!;
    expect(rows).toEqual({ phase: 'rows', barriers: 1, workSeconds: 0.002, waitSeconds: 0.003, sleeps: 0 });
    expect(t.waitSeconds).toBeCloseTo(0.003, 12);
  });

  it('returns at once, reading no clock, when the flag is already set', () => {
    const flags = Int32Array.of(0, 5);
    const clock = steppingClock({});
    const t = team(clock);
    const before = clock.ticks();
    t.waitFlag(flags, 1, 5);
    expect(clock.ticks()).toBe(before);
  });

  it('ends inside its spin when the flag comes before the 1 ms budget is out', () => {
    const flags = new Int32Array(new SharedArrayBuffer(8));
    // 0.5 ms per reading. Ticks: 1 made (0.5 ms), 2 wait starts (1 ms), 3 first check (1.5 ms, half the
    // budget: the flag is set then, the spin goes on and sees it), 4 wait ends (2 ms).
    const t = team(steppingClock({ 3: () => Atomics.store(flags, 0, 1) }, 0.5));
    t.waitFlag(flags, 0, 1);
    t.barrier(Phase.rows); // ticks 5 and 6: arrival at 2.5 ms, release at 3 ms
    const rows = t.profile().find((p) => p.phase === 'rows')!;
    expect(rows.waitSeconds).toBeCloseTo(0.0015, 12); // 1 ms on the flag, 0.5 in the barrier
    expect(rows.workSeconds).toBeCloseTo(0.001, 12); // 0.5 ms (made) to 2.5 ms, less the flag's 1 ms
  });

  it('spins for its budget, counted from its own start, before it first checks for an abort', () => {
    // The abort word is set from the start; the wait sees it only once its spin gives up. The
    // flag never comes: the wait ends by CancelledError, after the wait's start and its checks.
    for (const [ms, checks] of [
      [0.5, 2], // 0.5 ms spent at the first check, 1 ms at the second: the budget is out
      [0.25, 4],
    ]) {
      const sync = syncWords();
      Atomics.store(sync, Sync.abort, 1);
      const clock = steppingClock({}, ms);
      const t = team(clock, sync);
      const before = clock.ticks();
      expect(() => t.waitFlag(new Int32Array(new SharedArrayBuffer(4)), 0, 1)).toThrow(CancelledError);
      expect(clock.ticks() - before).toBe(1 + checks);
    }
  });

  it('adds up many waits of one phase (more than its log first holds)', () => {
    const waits = 20;
    const flags = new Int32Array(new SharedArrayBuffer(4 * waits));
    // Wait w spans ticks 2 + 3w (start) to 4 + 3w (end); its flag is set at 3 + 3w.
    const at: Record<number, () => void> = {};
    for (let w = 0; w < waits; w++) at[3 + 3 * w] = () => Atomics.store(flags, w, 1);
    const t = team(steppingClock(at));
    for (let w = 0; w < waits; w++) t.waitFlag(flags, w, 1);
    t.barrier(Phase.rows); // arrival at 2 + 3 * waits, release one later
    const rows = t.profile().find((p) => p.phase === 'rows')!;
    const arrival = 2 + 3 * waits;
    expect(rows.waitSeconds).toBeCloseTo((2 * waits + 1) / 1000, 12);
    expect(rows.workSeconds).toBeCloseTo((arrival - 1 - 2 * waits) / 1000, 12);
    // The next phase starts with an empty log.
    t.barrier(Phase.update);
    expect(t.profile().find((p) => p.phase === 'update')!.waitSeconds).toBeCloseTo(0.001, 12);
  });
});

/**
 * A flag wait inside a phase (SharedTeam.waitFlag, the backward of a chunk waiting for the
 * forward another thread is finishing) counts as wait of that phase, not as its work, and allocates
 * nothing even where V8 runs it unoptimized (it only copies clock readings; the phase's barrier
 * adds them up). Checked here by hand on a clock that advances 1 ms per reading and sets the
 * awaited flag at a reading chosen by the test, on a team of one (its barrier never waits).
 * The allocation itself is measured on real runs by pool-allocation.test.ts, where thread 1 read
 * 12-40 bytes per step before this.
 */
import { describe, expect, it } from 'vitest';
import type { Clock } from '../src/engine/run/clock.js';
import { Sync } from '../src/engine/run/run-memory.js';
import { Phase, SharedTeam } from '../src/engine/run/team.js';

/** A clock at 1, 2, 3, ... ms on its 1st, 2nd, 3rd, ... tick, calling `at[n]` on its nth tick. */
function steppingClock(at: Record<number, () => void>): Clock {
  const reading = new Float64Array(1);
  return {
    reading,
    allocates: false,
    tick() {
      reading[0] += 1;
      at[reading[0]]?.();
    },
  };
}

const team = (clock: Clock) => new SharedTeam(new Int32Array(new SharedArrayBuffer(Sync.length * 4)), 0, 1, clock);

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
    let ticks = 0;
    const clock = steppingClock({});
    const counting: Clock = { ...clock, tick: () => (ticks++, clock.tick()) };
    const t = team(counting);
    ticks = 0;
    t.waitFlag(flags, 1, 5);
    expect(ticks).toBe(0);
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

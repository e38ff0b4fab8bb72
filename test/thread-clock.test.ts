/**
 * The clock a team's barriers read (run/clock.ts): the native addon's, which writes into a typed
 * array instead of returning a new heap number, measures the same intervals as performance.now()
 * and allocates nothing per reading. Intervals are bracketed, never timed: readings of the two
 * clocks are interleaved, so the addon's interval must lie inside performance.now()'s outer and
 * over its inner interval, however slow or busy the machine.
 */
import { describe, expect, it } from 'vitest';
import { leastAddedBy } from './helpers/allocation.js';
import { nativeSupported } from '../src/engine/kernels/native/kernels.js';
import { threadClock } from '../src/engine/run/clock.js';

/** Reads the clock `n` times into a typed array, as the team does. */
function readInto(out: Float64Array, n: number): void {
  const clock = threadClock();
  for (let i = 0; i < n; i++) {
    clock.tick();
    out[i & 7] = clock.reading[0];
  }
}

describe.skipIf(!nativeSupported() && process.env.CI === undefined)("the addon's clock", () => {
  it('is the one used where the addon loads, and never steps back', () => {
    const clock = threadClock();
    expect(clock.allocates).toBe(false);
    let last = -Infinity;
    for (let i = 0; i < 10_000; i++) {
      clock.tick();
      expect(clock.reading[0]).toBeGreaterThanOrEqual(last);
      last = clock.reading[0];
    }
  });

  it('writes the same reading in whole milliseconds modulo 2^30 beside it', () => {
    const clock = threadClock();
    for (let i = 0; i < 1000; i++) {
      clock.tick();
      expect(clock.readingMs[0]).toBe(Math.floor(clock.reading[0]) % 2 ** 30);
    }
  });

  it("measures intervals within performance.now()'s bracketing intervals", async () => {
    const clock = threadClock();
    for (const sleepMs of [0, 5, 30]) {
      const p0 = performance.now();
      clock.tick();
      const a = clock.reading[0];
      const p1 = performance.now();
      await new Promise((resolve) => setTimeout(resolve, sleepMs));
      const p2 = performance.now();
      clock.tick();
      const b = clock.reading[0];
      const p3 = performance.now();
      // Both are monotonic clocks in ms; 0.01 ms of slack for their rounding.
      expect(b - a).toBeGreaterThanOrEqual(p2 - p1 - 0.01);
      expect(b - a).toBeLessThanOrEqual(p3 - p0 + 0.01);
    }
  });

  it('allocates nothing per reading', () => {
    const out = new Float64Array(8);
    readInto(out, 100_000); // optimized by V8 by then
    const least = leastAddedBy(() => readInto(out, 10_000), 10, 0);
    // performance.now() would make 10,000 heap numbers here (160,000 bytes); the readings of the
    // statistics around the window may differ by one.
    expect(least, 'every window saw a garbage collection').not.toBeNull();
    expect(least!).toBeLessThan(10 * 16);
  });
});

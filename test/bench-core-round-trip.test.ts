/**
 * The train suite's cache-line round trip (src/bench/core-round-trip.ts): the worker answers every
 * bounce exactly once, the time is a real duration, and no thread is left behind. Its value is a
 * host's, so it is not checked against a number here (BENCHMARKS.md compares it with
 * native/test/core_to_core_probe.c).
 */
import { describe, expect, it } from 'vitest';
import { measureCoreRoundTrip, WARM_UP_BOUNCES } from '../src/bench/core-round-trip.js';
import { expectExitsByItself } from './helpers/exits-by-itself.js';

describe('the cache-line round trip between two threads', () => {
  it('is answered once per bounce, and takes a positive, finite time', async () => {
    for (const bounces of [1, 1000]) {
      const trip = await measureCoreRoundTrip(bounces);
      expect(trip.answered).toBe(WARM_UP_BOUNCES + bounces);
      expect(Number.isFinite(trip.nanoseconds)).toBe(true);
      expect(trip.nanoseconds).toBeGreaterThan(0);
    }
  });

  it('leaves no thread behind: a process that measured it exits by itself', () => {
    const script = `
      import { measureCoreRoundTrip } from ${JSON.stringify(new URL('../src/bench/core-round-trip.ts', import.meta.url).href)};
      const a = await measureCoreRoundTrip(500);
      const b = await measureCoreRoundTrip(500);
      console.log(a.answered - ${WARM_UP_BOUNCES}, b.answered - ${WARM_UP_BOUNCES});
    `;
    expectExitsByItself(script, '500 500');
  });
});

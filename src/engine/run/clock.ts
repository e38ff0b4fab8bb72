/**
 * The clock a team's barriers and a pool worker's progress read, several times per training step
 * (team.ts, parallel/worker.ts). Node 20's performance.now() returns a new heap number on every
 * call (16 bytes of garbage), so a step that reads it allocates; the native addon's clock writes
 * its reading into a Float64Array instead (native/src/clock.c), and code that copies it from
 * there into another typed array or into arithmetic, once V8 has optimized it, allocates
 * nothing. Where the addon does not load (no C compiler at install), performance.now() fills the
 * same array, allocating its reading as before. The two clocks have different origins: compare
 * readings of one clock only.
 */
import { loadNativeAddon } from '../kernels/native/addon.js';

export interface Clock {
  /** reading[0] is the time in milliseconds at the last tick(). */
  readonly reading: Float64Array;
  tick(): void;
  /** True where each tick allocates (performance.now() stands in for the addon). */
  readonly allocates: boolean;
}

let clock: Clock | undefined;

/** This thread's clock. */
export function threadClock(): Clock {
  if (clock) return clock;
  const { addon } = loadNativeAddon();
  if (addon) {
    clock = { reading: addon.clockReading, tick: addon.clock, allocates: false };
  } else {
    const reading = new Float64Array(1);
    clock = { reading, tick: () => void (reading[0] = performance.now()), allocates: true };
  }
  return clock;
}

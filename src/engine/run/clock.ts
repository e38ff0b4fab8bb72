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

/** readingMs wraps at 2^30 ms (12.4 days): compare two readings as (b - a) & WHOLE_MS_MASK. */
export const WHOLE_MS_MASK = 0x3fffffff;

export interface Clock {
  /** reading[0] is the time in milliseconds at the last tick(). */
  readonly reading: Float64Array;
  /**
   * readingMs[0] is the same in whole milliseconds modulo 2^30: a small integer to V8 (pointer
   * compression, as in Electron, leaves 31 bits), so that code comparing readings makes no heap
   * number even where V8 has not optimized it (a worker's progress check in short runs).
   */
  readonly readingMs: Int32Array;
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
    clock = { reading: addon.clockReading, readingMs: addon.clockReadingMs, tick: addon.clock, allocates: false };
  } else {
    const reading = new Float64Array(1);
    const readingMs = new Int32Array(1);
    const tick = (): void => {
      reading[0] = performance.now();
      readingMs[0] = Math.floor(reading[0]) & WHOLE_MS_MASK;
    };
    clock = { reading, readingMs, tick, allocates: true };
  }
  return clock;
}

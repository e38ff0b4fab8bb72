/**
 * Seeded random inputs for the benchmarks: engine streams (rng/stream.ts) under a purpose of the
 * benchmarks' own, so the same seed gives the same numbers on every platform and run, and never
 * those of a training stream. Pure; any thread.
 */
import { type RandomStream, stream } from '../engine/index.js';

/** Purpose key of benchmark inputs, far above the engine's own (rng/hash.ts Purpose). */
export const BENCH_PURPOSE = 1000;

/** The benchmark stream for (seed, ...keys). */
export function benchStream(seed: number, ...keys: number[]): RandomStream {
  return stream(seed, BENCH_PURPOSE, ...keys);
}

/**
 * The allocation tests' measurement: what a piece of code adds to the young generation, counted
 * over windows measured beside empty ones (train/heap-meter.ts's allocatedBy).
 */
import { allocatedBy } from '../../src/engine/train/heap-meter.js';

/**
 * The least bytes `run` (given the window's index) adds over a window measured alongside an empty
 * one (`empty`, by default nothing: reading the heap statistics allocates by itself, a few dozen
 * bytes more or less each time), over up to `windows` windows without a garbage collection,
 * stopping at the first that reads `enough` or less: V8 may still finish a compilation in one (a
 * one-off; later on a busy machine), while an allocation on every call shows in every window.
 * Null when every window saw a collection.
 */
export function leastAddedBy(run: (window: number) => void, windows: number, enough: number, empty: () => void = () => {}): number | null {
  let least: number | null = null;
  for (let window = 0; window < windows && (least === null || least > enough); window++) {
    const base = allocatedBy(empty);
    const bytes = allocatedBy(() => run(window));
    if (base !== null && bytes !== null) least = Math.min(least ?? Infinity, bytes - base);
  }
  return least;
}

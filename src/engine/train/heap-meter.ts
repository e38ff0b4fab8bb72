/**
 * Counts the JavaScript heap memory a thread allocates per training step (issue 17: "nothing
 * allocated per step"). Counted, not timed: the young generation's used bytes (new space and new
 * large objects, where short-lived objects such as boxed numbers and arrays are made) before and
 * after one epoch's step loop, in windows where v8.GCProfiler saw no garbage collection (a
 * scavenge empties new space, so such a window says nothing and is left out). Reading the heap
 * statistics allocates their own result; that cost, measured on empty windows when the meter is
 * made, is subtracted.
 *
 * The figure is the least over the clean windows, leaving out the first epoch when there are more
 * (V8 still compiles then): a per-step allocation shows in every window, a one-off in one.
 */
import v8 from 'node:v8';
import type { StepMeter } from './outcome.js';

/** Bytes in use in the young generation. */
function youngBytes(): number {
  let bytes = 0;
  for (const s of v8.getHeapSpaceStatistics())
    if (s.space_name === 'new_space' || s.space_name === 'new_large_object_space') bytes += s.space_used_size;
  return bytes;
}

/** Young-generation bytes allocated from its making to bytes(), counting what the readings allocate. */
export class AllocationWindow {
  private readonly profiler = new v8.GCProfiler();
  private readonly before: number;

  constructor() {
    this.profiler.start();
    this.before = youngBytes();
  }

  /** The bytes so far, or null when a garbage collection ran (it empties new space). Ends the window. */
  bytes(): number | null {
    const after = youngBytes();
    const collections = this.profiler.stop()?.statistics.length ?? 0;
    return collections === 0 ? after - this.before : null;
  }
}

/** Young-generation bytes allocated while `run` runs (with the window's own), or null as above. */
export function allocatedBy(run: () => void): number | null {
  const window = new AllocationWindow();
  run();
  return window.bytes();
}

export class HeapMeter implements StepMeter {
  private window: AllocationWindow | null = null;
  private windows = 0;
  private least: number | null = null;
  /** Bytes a window allocates by itself (0 when every calibration window saw a collection). */
  private readonly overhead: number;

  constructor() {
    let overhead: number | null = null;
    for (let i = 0; i < 3; i++) {
      const bytes = allocatedBy(() => {});
      if (bytes !== null) overhead = Math.min(overhead ?? Infinity, bytes);
    }
    this.overhead = overhead ?? 0;
  }

  begin(): void {
    this.window = new AllocationWindow();
  }

  end(steps: number): void {
    const bytes = this.window?.bytes() ?? null;
    this.window = null;
    this.windows += 1;
    // The first epoch's window counts only while it is the only one.
    if (this.windows === 2) this.least = null;
    if (bytes === null || steps === 0) return;
    const perStep = Math.max(0, bytes - this.overhead) / steps;
    this.least = Math.min(this.least ?? Infinity, perStep);
  }

  /** Least bytes per step over the clean windows, or null when there was none. */
  bytesPerStep(): number | null {
    return this.least;
  }
}

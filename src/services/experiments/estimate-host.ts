/**
 * The costs of an experiment outside its workers' training, for the time estimate (estimate.ts),
 * each measured on this machine by doing the same work once:
 *
 * - `signal`: the runner measures each run's signal at initialization (signal.ts) on the main
 *   thread before submitting it, synchronously, so the lanes wait for one another there. Timed by
 *   calling the same function on the run's config and data (after one untimed call, so the
 *   main thread's compilation is not counted: the estimate itself warms it up).
 * - `storeBefore` / `storeAfter`: a run's crash-safe file writes (store/atomic.ts: temp file,
 *   fsync, rename, folder fsync) before it trains (its folder, config.json) and after (weights.bin
 *   of the network's size, its index, summary.json): the same number of atomic writes of the same
 *   sizes, timed in a temporary folder. I/O: the lane waits, the main thread does not.
 * - `storeExperiment`: opening and closing the experiment's folder (spec, lock and record files),
 *   taken as one run's writes (both parts).
 *
 * Main thread.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PreparedData, ResolvedRunConfig } from '../../engine/index.js';
import { writeFileAtomic } from '../store/atomic.js';
import { signalRecord } from './signal.js';

export interface StoreCost {
  /** Seconds of a run's writes before training (folder, config) and after (weights, index, summary). */
  before: number;
  after: number;
}

/** Seconds of one signal measurement of `config` on `prepared`, as the runner makes it (0 if it fails: the runner skips it too). */
export function timeSignal(config: ResolvedRunConfig, prepared: PreparedData): number {
  const t0 = performance.now();
  try {
    signalRecord(config, prepared);
  } catch {
    return 0;
  }
  return (performance.now() - t0) / 1000;
}

/** A small JSON file of the size of a run's config or summary (a few KiB). */
const SMALL_FILE = new Uint8Array(4096).fill(0x20);

/**
 * Times a run's store writes for weights of `weightBytes` bytes, in a temporary folder removed
 * afterwards; zero when no temporary folder can be written (the estimate then leaves them out).
 */
export async function timeStoreWrites(weightBytes: number): Promise<StoreCost> {
  let root: string;
  try {
    root = mkdtempSync(path.join(tmpdir(), 'ablate-estimate-store-'));
  } catch {
    return { before: 0, after: 0 };
  }
  try {
    const dir = path.join(root, 'run');
    let t0 = performance.now();
    await mkdir(dir);
    await writeFileAtomic(path.join(dir, 'config.json'), SMALL_FILE);
    const before = (performance.now() - t0) / 1000;
    t0 = performance.now();
    await writeFileAtomic(path.join(dir, 'weights.bin'), new Uint8Array(weightBytes));
    await writeFileAtomic(path.join(dir, 'weights.index.json'), SMALL_FILE);
    await writeFileAtomic(path.join(dir, 'summary.json'), SMALL_FILE);
    return { before, after: (performance.now() - t0) / 1000 };
  } catch {
    return { before: 0, after: 0 };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Bytes of a network's weights and biases as float32 (weights.bin without its padding and buffers). */
export function weightBytes(config: ResolvedRunConfig): number {
  const widths = [config.model.inputSize, ...config.model.hidden.map((h) => h.width), config.model.outputSize];
  let values = 0;
  for (let l = 1; l < widths.length; l++) values += widths[l - 1] * widths[l] + widths[l];
  return 4 * values;
}

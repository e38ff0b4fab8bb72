/**
 * The epoch records of a run's metrics.ndjson (the curves of the Compare tab and the metrics
 * export), and a cache of them for complete runs: a complete run's files never change (the store
 * refuses to reset it), so its records are read once per process, not on every refresh of a
 * comparison while its siblings train. Main thread (file reads).
 */
import { readMetrics } from '../store/metrics-reader.js';
import type { LoadedRun } from '../store/reader.js';
import type { MetricRecord } from './types.js';

export type EpochRecord = Extract<MetricRecord, { kind: 'epoch' }>;

const isEpoch = (m: MetricRecord): m is EpochRecord => m.kind === 'epoch';

/** Every epoch record of `<runDir>/metrics.ndjson`, in file order; [] when it has none yet. */
export async function readEpochs(runDir: string): Promise<EpochRecord[]> {
  return (await readMetrics(runDir)).records.filter(isEpoch);
}

/**
 * Epoch records by run. Complete runs are cached, keyed by folder and summary (a folder deleted
 * and trained again by the same spec gets a new summary, so a new key), least recently used first
 * out beyond `maxRuns`; other runs are read each time. The arrays returned are shared: read only.
 */
export class EpochCache {
  private readonly entries = new Map<string, EpochRecord[]>();

  constructor(private readonly maxRuns = 4096) {}

  async epochsOf(run: LoadedRun): Promise<EpochRecord[]> {
    const key =
      run.complete && run.summary ? `${run.path}\u0000${run.summary.timings?.finishedAt}\u0000${run.summary.weightsSha256}` : null;
    if (key !== null) {
      const hit = this.entries.get(key);
      if (hit) {
        this.entries.delete(key); // most recently used last
        this.entries.set(key, hit);
        return hit;
      }
    }
    const epochs = await readEpochs(run.path);
    if (key !== null) {
      this.entries.set(key, epochs);
      if (this.entries.size > this.maxRuns) this.entries.delete(this.entries.keys().next().value!);
    }
    return epochs;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The epochs of a run through `cache` when given, else read from its folder. */
export function epochsOf(run: LoadedRun, cache?: EpochCache): Promise<EpochRecord[]> {
  return cache ? cache.epochsOf(run) : readEpochs(run.path);
}

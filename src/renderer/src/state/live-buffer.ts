/**
 * The runs' live data between two renders: metric records and progress arrive at any rate and
 * are collected here, deliberately not reactive; the session drains the buffer a few times a
 * second and hands copies to Svelte, so training never makes the UI re-render per step.
 */
import type { MetricRecord, RunView } from '../../../shared/api';
import { appendLossRecords, emptyLossSeries, type LossSeries } from '../lib/runs';

/** A read-only copy of a run's loss series for rendering. */
export interface SeriesView {
  train: { x: number[]; y: number[] };
  val: { x: number[]; y: number[] };
  stepsPerEpoch: number | null;
}

export class LiveBuffer {
  readonly #series = new Map<string, LossSeries>();
  readonly #dirty = new Set<string>();
  #progress = new Map<string, RunView['progress']>();

  /** Adds records of a run (any order, duplicates ignored); true when the series changed. */
  append(runId: string, records: readonly MetricRecord[]): boolean {
    let s = this.#series.get(runId);
    if (!s) {
      s = emptyLossSeries();
      this.#series.set(runId, s);
    }
    const changed = appendLossRecords(s, records);
    if (changed) this.#dirty.add(runId);
    return changed;
  }

  progress(runId: string, p: RunView['progress']): void {
    this.#progress.set(runId, p);
  }

  forget(runId: string): void {
    this.#progress.delete(runId);
  }

  /** Copies of the series that changed and the latest progress since the last drain. */
  drain(): { series: Array<[string, SeriesView]>; progress: Map<string, RunView['progress']> } {
    const series: Array<[string, SeriesView]> = [];
    for (const id of this.#dirty) {
      const b = this.#series.get(id);
      if (b)
        series.push([
          id,
          {
            train: { x: b.train.x.slice(), y: b.train.y.slice() },
            val: { x: b.val.x.slice(), y: b.val.y.slice() },
            stepsPerEpoch: b.stepsPerEpoch,
          },
        ]);
    }
    this.#dirty.clear();
    const progress = this.#progress;
    this.#progress = new Map();
    return { series, progress };
  }
}

/**
 * The UI benchmark's view of the store (bench-ui.ts): how many runs of an experiment have started
 * and finished, read from the files the server writes. A run's folder appears when a worker takes
 * the run (experiment-runner.ts prepares it just before training) and its summary.json when it
 * ends, so a run is training between the two. `watchRuns` samples that while a measurement window
 * lasts, so the report can show the window was live: the fraction of it with a run training, and
 * how many still trained at its end. Measures only; test-only.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface RunCounts {
  started: number;
  finished: number;
  /** Variants with a run started (so with curves to draw): run folders are named <variant>-s<seed>. */
  variants: number;
}

/** Started and finished runs of the stored experiment named `name` (zeros before it exists). */
export function runCounts(store: string, name: string): RunCounts {
  for (const id of existsSync(store) ? readdirSync(store) : []) {
    const file = path.join(store, id, 'experiment.json');
    if (!existsSync(file) || (JSON.parse(readFileSync(file, 'utf8')) as { spec: { name: string } }).spec.name !== name) continue;
    const runs = path.join(store, id, 'runs');
    const dirs = existsSync(runs) ? readdirSync(runs).filter((r) => !r.startsWith('.')) : [];
    return {
      started: dirs.length,
      finished: dirs.filter((r) => existsSync(path.join(runs, r, 'summary.json'))).length,
      variants: new Set(dirs.map((r) => r.replace(/-s\d+$/, ''))).size,
    };
  }
  return { started: 0, finished: 0, variants: 0 };
}

export interface LiveStats {
  /** Fraction of the samples with at least one run training. */
  liveFraction: number;
  /** Runs training (started, not finished) at the last sample. */
  trainingAtEnd: number;
  finishedAtEnd: number;
  /** Variants with a run started by the end. */
  variantsAtEnd: number;
  samples: number;
}

/** Samples `runCounts` every `everyMs` until the returned function is called; that returns the summary. */
export function watchRuns(store: string, name: string, everyMs = 250): () => LiveStats {
  let samples = 0;
  let live = 0;
  let last: RunCounts = runCounts(store, name);
  const sample = () => {
    last = runCounts(store, name);
    samples += 1;
    if (last.started > last.finished) live += 1;
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return () => {
    clearInterval(timer);
    sample();
    return {
      liveFraction: live / samples,
      trainingAtEnd: last.started - last.finished,
      finishedAtEnd: last.finished,
      variantsAtEnd: last.variants,
      samples,
    };
  };
}

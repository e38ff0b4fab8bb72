/**
 * Runs an experiment: opens (or resumes) its folder in the store, loads and prepares the data
 * once per distinct data spec of its runs (run-data.ts), registers them with the worker pool, expands the grid, and hands every run that is not
 * complete yet to an ExperimentRunner (experiment-runner.ts) through a ClaimingRunSource
 * (run-source.ts: each run claimed for this process, so other processes sharing the store train
 * other runs), which trains them on the pool's workers as its scheduling policy shares them. A
 * search in rounds (bayes, or halving) trains the trials of the rounds so far (search/trials.ts);
 * its caller starts the experiment again for the next round (cli run.ts). Reports progress as events; a run is "started"
 * when its team starts training. A run whose files cannot be written (disk full) fails alone, and
 * the experiment folder is closed only once every run has settled. A crash loses at most the runs
 * in flight: rerunning the same spec keeps completed runs and reruns the rest. Main thread only
 * (plain Node, no Electron).
 */
import {
  absoluteDataPaths,
  checkConfigFitsData,
  DEFAULT_DIAGNOSTICS,
  ENGINE_VERSION,
  errorMessage,
  type KernelSetName,
  type PreparedData,
  type SharedDataset,
  type WorkerPool,
} from '../../engine/index.js';
import type { ExperimentStore } from '../store/experiment-store.js';
import { specHashOf } from '../store/canonical.js';
import { loadExperiment } from '../store/reader.js';
import { halvingRules } from './search/halving.js';
import { observedRuns, searchHasRounds } from './search/observed.js';
import { expandExperiment } from './spec/expand.js';
import { ExperimentRunner } from './experiment-runner.js';
import { dataShape, ExperimentData, type RunData } from './run-data.js';
import { ClaimingRunSource, type Shard, shardOf, type Waiting } from './run-source.js';
import type { ExperimentEvent } from '../../shared/types/events.js';
import type { ExperimentSpec, PlannedRun, RunSummary } from './types.js';

export interface RunnerOptions {
  pool: WorkerPool;
  store: ExperimentStore;
  embeddedDir: string;
  /** Relative data paths in the spec resolve against this folder. */
  baseDir?: string;
  kernels?: KernelSetName;
  /** The runner's events (src/shared/types/events.ts), in the documented order. */
  onEvent?: (event: ExperimentEvent) => void;
  /** How this process shares the experiment with others (docs/cluster.md); default: its one writer. */
  sharing?: Sharing;
}

/**
 * Without `shared`, the process opens the experiment as its one writer (the writer lock refuses a
 * second such process); with it, as one of any number (cluster tasks). Either way each run is
 * claimed before it is trained, runs other processes hold are waited for (and taken over when
 * their holder dies), and `shard` restricts the process to a fixed slice of the plan.
 */
export interface Sharing {
  shared?: boolean;
  shard?: Shard;
  /** How often to look again at runs other processes hold (run-source.ts). */
  pollMs?: number;
  onWaiting?: (w: Waiting) => void;
}

export interface ExperimentJob {
  id: string;
  dir: string;
  /** The runs of the plan this process works on: all of them, or its shard's. */
  runs: PlannedRun[];
  /** Ids of every run of the plan (all shards'), as expanded when the job started. */
  planIds: string[];
  /** Ids of the runs that were complete already (a resume): they are not trained again. */
  skipped: string[];
  /** The experiment's own data (the first variant's when data factors change every variant's). */
  prepared: PreparedData;
  /** Every prepared dataset of the runs (one per distinct data spec), the first being `prepared`. */
  data: RunData[];
  /**
   * Resolves when every run has ended (completed, stopped, failed or cancelled) with the summaries
   * of the runs trained. A run's own failure (a store error) is a failed run, never a rejection;
   * rejects only when the experiment as a whole fails (its folder could not be closed).
   */
  done: Promise<RunSummary[]>;
  cancelRun(runId: string): void;
  cancelAll(): void;
}

/**
 * Opens the experiment, loads the data and starts training. No run starts before the caller's
 * `await` has resumed, so a caller that registers the job right away sees every run event; only
 * experiment-started is emitted before this resolves.
 */
export async function startExperiment(given: ExperimentSpec, o: RunnerOptions): Promise<ExperimentJob> {
  // Stored with absolute data paths, so the store's copy can reload the data from anywhere
  // (exports, the app); the same file in the same place still hashes to the same experiment.
  const spec = withAbsoluteDataPaths(given, o.baseDir ?? process.cwd());
  let { variants, runs } = expandExperiment(spec);
  // Each distinct data spec of the runs (data factors) is prepared once (run-data.ts); every
  // variant's config is checked against its own data before anything is stored.
  const data = new ExperimentData(spec.data, 'experiment', { embeddedDir: o.embeddedDir, baseDir: o.baseDir });
  const checkFits = async () => {
    await data.prepareFor(runs);
    for (const v of variants) {
      const run = runs.find((r) => r.variant.id === v.id)!;
      checkConfigFitsData(run.config, dataShape(data.of(run).prepared));
    }
  };
  await checkFits();
  const handle = await o.store.createOrOpen(spec, specHashOf(spec), ENGINE_VERSION, { shared: o.sharing?.shared });
  const datasetIdOf = (d: RunData) => d.datasetId.replace(/^experiment/, `experiment:${handle.id}`);
  let completed: Set<string>;
  try {
    if (searchHasRounds(spec)) {
      // The trials proposed (bayes) or revealed (halving) so far follow from the finished runs
      // (search/trials.ts); the startup trials above were checked against the data, later ones
      // share their shapes. With halving, each run's bars follow from them too (search/halving.ts).
      const stored = (await loadExperiment(handle.dir)).runs.flatMap((r) => (r.summary ? [r.summary] : []));
      ({ variants, runs } = expandExperiment(spec, undefined, observedRuns(spec, stored)));
      await checkFits();
      const rules = halvingRules(spec, runs, stored);
      runs = runs.map((r) => (rules.has(r.id) ? { ...r, halving: rules.get(r.id) } : r));
    }
    completed = await handle.completedRunIds();
    for (const d of data.all()) o.pool.addDataset(datasetIdOf(d), sharedDataset(d.prepared));
  } catch (err) {
    await handle.close().catch(() => undefined); // release the lock: nothing runs
    throw err;
  }
  // A shard's process knows only its slice: its events and job list the slice's runs.
  const mine = shardOf(runs, o.sharing?.shard);
  const skipped = mine.filter((r) => completed.has(r.id)).map((r) => r.id);
  const emit = (e: ExperimentEvent) => {
    try {
      o.onEvent?.(e);
    } catch {
      // A broken listener must not fail runs (progress arrives inside the pool's message handler).
    }
  };
  const plans = mine.map((r) => ({ runId: r.id, variantId: r.variant.id, seed: r.seed, epochs: r.config.train.epochs }));
  emit({ type: 'experiment-started', experimentId: handle.id, runs: plans, skipped });

  const source = new ClaimingRunSource(handle, mine, completed, {
    pollMs: o.sharing?.pollMs,
    onWaiting: o.sharing?.onWaiting,
    onLost: (runId) => runner.cancelRun(runId),
  });
  const runner: ExperimentRunner = new ExperimentRunner({
    pool: o.pool,
    handle,
    dataOf: (run) => {
      const d = data.of(run);
      return { datasetId: datasetIdOf(d), spec: d.spec, prepared: d.prepared };
    },
    source,
    diagnostics: { ...DEFAULT_DIAGNOSTICS, ...spec.diagnostics },
    kernels: spec.execution?.kernels ?? o.kernels,
    fixedThreads: spec.execution?.threadsPerRun,
    emit,
  });

  const done = (async () => {
    // Let the caller's `await startExperiment(...)` resume (and register the job) before any run event.
    await new Promise<void>((resolve) => setImmediate(resolve));
    let fatal: unknown;
    let summaries: RunSummary[] = [];
    try {
      summaries = await runner.runAll();
    } catch (err) {
      fatal = err;
    }
    for (const d of data.all()) o.pool.dropDataset(datasetIdOf(d));
    try {
      await handle.close();
    } catch (err) {
      fatal ??= err;
    }
    if (fatal !== undefined) {
      emit({ type: 'experiment-finished', experimentId: handle.id, error: errorMessage(fatal) });
      throw fatal;
    }
    emit({ type: 'experiment-finished', experimentId: handle.id });
    return summaries;
  })();

  return {
    id: handle.id,
    dir: handle.dir,
    runs: mine,
    planIds: runs.map((r) => r.id),
    skipped,
    prepared: data.all()[0].prepared,
    data: data.all(),
    done,
    cancelRun: (runId) => runner.cancelRun(runId),
    cancelAll: () => runner.cancelAll(),
  };
}

/** `spec` with its data file paths made absolute against `baseDir` (the data layer knows which fields are files). */
export function withAbsoluteDataPaths(spec: ExperimentSpec, baseDir: string): ExperimentSpec {
  const data = absoluteDataPaths(spec.data, baseDir);
  return data === spec.data ? spec : { ...spec, data };
}

/** Prepared data as the pool shares it with its workers. */
export function sharedDataset(p: PreparedData): SharedDataset {
  const t = p.dataset.targets;
  return {
    features: p.features,
    d: p.dataset.d,
    labels: t.kind === 'class' ? t.labels : null,
    values: t.kind === 'vector' ? t.values : null,
    width: t.kind === 'vector' ? t.width : 1,
  };
}

export { dataShape };

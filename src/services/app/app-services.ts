/**
 * The back end of the desktop app: every `Api` method implemented on the services (store, runner,
 * statistics, ONNX, data) in plain Node, so the Electron IPC handlers and the web server of
 * `ablate serve` call exactly the same code. `invoke(method, args)` checks the arguments (api-guard.ts), runs the
 * method and returns a Result: errors cross the boundary as data. Native dialogs come from a
 * `Dialogs` object the host provides. Data and experiment files are accepted only from paths chosen
 * through the dialogs (or registered by the host), or typed paths under the file roots (the store,
 * and the folders a browser host was given). Main thread only.
 */
import os from 'node:os';
import path from 'node:path';
import {
  dataFilePaths,
  effectiveKernelSet,
  ENGINE_VERSION,
  errorMessage,
  loadPrepared,
  LR_RANGE_DEFAULTS,
  printable,
  validateDataSpec,
  type PreparedData,
  WorkerPool,
} from '../../engine/index.js';
import type {
  ApiArgs,
  ApiEvent,
  ApiMethod,
  ApiValue,
  DataPreview,
  ExperimentListItem,
  ExperimentView,
  FieldError,
  LrFindResult,
  MetricRecord,
  Result,
  RunTimeEstimate,
} from '../../shared/api.js';
import { compareExperiment, experimentVariants } from '../experiments/compare.js';
import { crossComparison, picksProblem } from '../experiments/cross-compare-view.js';
import { EpochCache } from '../experiments/epochs.js';
import { searchView } from '../experiments/search/search-view.js';
import { estimateOnPool } from '../experiments/estimate.js';
import { lrFind } from '../experiments/lr-find.js';
import { preparedPerSpec, runDataSpec } from '../experiments/run-data.js';
import { startExperiment, withAbsoluteDataPaths } from '../experiments/runner.js';
import { expandExperiment } from '../experiments/spec/expand.js';
import { experimentListItem, runViews } from '../experiments/run-views.js';
import { readExperimentFile } from '../experiments/spec/file.js';
import { readJsonText } from '../experiments/spec/json-text.js';
import { validateExperiment } from '../experiments/spec/validate.js';
import { experimentWarnings } from '../experiments/spec/warnings.js';
import type { ExperimentSpec, StoredExperiment } from '../experiments/types.js';
import { exportRun } from '../export-run.js';
import { canonicalJson } from '../canonical-json.js';
import { specHashOf } from '../store/canonical.js';
import { ExperimentStore } from '../store/experiment-store.js';
import { exists } from '../store/files.js';
import { experimentId as experimentIdOf } from '../store/ids.js';
import { readMetrics, readMetricsFrom } from '../store/metrics-reader.js';
import { readMeta } from '../store/meta.js';
import {
  listExperiments,
  loadExperiment,
  loadRun,
  readStoredExperiment,
  type ExperimentListing,
  type LoadedExperiment,
  type LoadedRun,
} from '../store/reader.js';
import { loadTrainedModel } from '../trained-model.js';
import { checkApiCall } from './api-guard.js';
import { FileRoots } from './file-roots.js';
import { exampleCards } from './examples.js';
import { LiveExperiments } from './live.js';
import { manageHandlers } from './manage-handlers.js';
import { StoreWatcher } from './store-watch.js';
import { exportMetrics } from './metrics-export.js';
import { gatherReport } from '../report/report-data.js';
import { reportHtml } from '../report/report-html.js';
import { shortenPaths } from './display-paths.js';
import { dataPreview, decisionBoundary, runDiagnostics } from './previews.js';
import { designSignal } from './design-signal.js';
import { unitsLearned } from '../units/units-learned.js';

export interface Dialogs {
  chooseDataFile(kind: 'csv' | 'idx-images' | 'idx-labels'): Promise<string | null>;
  /** Path of an experiment file the user picked, or null. */
  openExperimentFile(): Promise<string | null>;
  saveFile(suggestedName: string, data: Buffer): Promise<string | null>;
  openFolder(folder: string): Promise<void>;
  /** Moves a folder to the system's trash; absent where there is none (a browser host). */
  trashItem?(folder: string): Promise<void>;
}

export interface AppServicesOptions {
  storeRoot: string;
  workerPath: string;
  embeddedDir: string;
  appVersion: string;
  dialogs: Dialogs;
  /** Whether `dialogs` are native dialogs (the desktop app) or refuse (a browser host; default true). */
  nativeDialogs?: boolean;
  /**
   * Folders whose files may be named by path without a dialog (data files, experiment files). The
   * store is always one. A browser host adds the folders the user named (`ablate serve --data`).
   */
  fileRoots?: string[];
  poolSize?: number;
  /** Show what other processes write into the store (cluster tasks) as it happens; default true. */
  watchStore?: boolean;
}

/** One handler per method of the Api table, taking its arguments and resolving to its value. */
type Handlers = { [M in ApiMethod]: (...args: ApiArgs<M>) => Promise<ApiValue<M>> };

export class AppServices {
  readonly pool: WorkerPool;
  private readonly store: ExperimentStore;
  private readonly live: LiveExperiments;
  /** Runs other processes train in the store, reported as the runner's own events. */
  private readonly watcher: StoreWatcher;
  private readonly allowedPaths = new Set<string>();
  private readonly prepared = new Map<string, Promise<PreparedData>>();
  /** Epoch records of complete runs, for comparisons refreshed while an experiment trains. */
  private readonly epochs = new EpochCache();
  private readonly handlers: Handlers;
  /** The store, then the host's extra folders. */
  private readonly roots: FileRoots;
  private readonly nativeDialogs: boolean;

  constructor(private readonly o: AppServicesOptions) {
    this.pool = new WorkerPool({ workerPath: o.workerPath, size: o.poolSize });
    this.store = new ExperimentStore(o.storeRoot);
    this.live = new LiveExperiments(() => this.pool.status());
    this.roots = new FileRoots([o.storeRoot, ...(o.fileRoots ?? [])]);
    this.nativeDialogs = o.nativeDialogs ?? true;
    this.watcher = new StoreWatcher(o.storeRoot, (e) => this.live.emit(e));
    if (o.watchStore !== false) this.watcher.start();
    this.live.remote = (experimentId, runId) => this.watcher.remote(experimentId, runId);
    this.handlers = {
      appInfo: async () => ({
        name: 'Ablate',
        version: o.appVersion,
        engineVersion: ENGINE_VERSION,
        workers: this.pool.size,
        kernels: effectiveKernelSet(undefined),
        storePath: o.storeRoot,
        nativeDialogs: this.nativeDialogs,
        fileRoots: this.roots.paths,
        trash: o.dialogs.trashItem ? 'os' : 'store',
      }),
      listExperiments: () => this.listExperiments(),
      ...manageHandlers({ store: this.store, isRunning: (id) => this.live.isRunning(id), trashItem: o.dialogs.trashItem?.bind(o.dialogs) }),
      loadExperiment: (id) => this.loadExperimentView(id),
      validateExperiment: async (spec) => {
        let valid: ExperimentSpec;
        try {
          valid = this.checkSpec(spec);
        } catch (err) {
          return fieldErrors(err);
        }
        // A valid experiment may still get warnings (a learning rate far outside the usual range).
        return experimentWarnings(valid).map((w) => ({ ...w, severity: 'warning' as const }));
      },
      previewData: async (data) => {
        this.checkDataPaths(data);
        return this.preview((await loadPrepared(data, { embeddedDir: o.embeddedDir })).prepared);
      },
      startExperiment: (spec) => this.start(spec),
      resumeExperiment: (experimentId) => this.resume(experimentId),
      estimateExperiment: (spec) => this.estimate(spec),
      findLearningRate: (spec) => this.findLearningRate(spec),
      designSignal: async (raw) => {
        const spec = withAbsoluteDataPaths(this.checkSpec(raw), process.cwd());
        return designSignal(spec, preparedPerSpec({ embeddedDir: o.embeddedDir }));
      },
      cancelRun: async (experimentId, runId) => {
        this.live.experiments.get(experimentId)?.job.cancelRun(runId);
        return null;
      },
      cancelExperiment: async (experimentId) => {
        this.live.experiments.get(experimentId)?.job.cancelAll();
        return null;
      },
      runMetrics: (experimentId, runId, fromOffset) => this.runMetrics(experimentId, runId, fromOffset),
      runDiagnostics: async (experimentId, runId) => {
        const run = await this.storedRun(experimentId, runId);
        return runDiagnostics(runId, (await readMetrics(run.path)).records, run.summary);
      },
      compare: async (experimentId, baseline) => compareExperiment(await this.loaded(experimentId), baseline, this.epochs),
      compareExperiments: async (picks, baseline) => {
        const problem = picksProblem(picks);
        if (problem) throw new Error(problem);
        const loaded = await Promise.all(picks.map((p) => this.loaded(p.experimentId)));
        return crossComparison(loaded, picks, baseline, this.epochs);
      },
      searchView: async (experimentId) => {
        const loaded = await this.loaded(experimentId);
        const summaries = loaded.runs.flatMap((r) => (r.summary ? [r.summary] : []));
        return searchView(loaded.experiment.spec, experimentVariants(loaded), summaries);
      },
      decisionBoundary: async (experimentId, runId, resolution) => {
        const { run, model } = await loadTrainedModel(await this.storedRun(experimentId, runId));
        const experiment = await readStoredExperiment(this.store.experimentDir(experimentId));
        return decisionBoundary(model, await this.preparedFor(experiment, runDataSpec(experiment, run.config)), resolution);
      },
      unitsLearned: async (experimentId, seed) => {
        const loaded = await this.loaded(experimentId);
        return unitsLearned(loaded, await this.preparedFor(loaded.experiment), seed);
      },
      exportOnnx: async (experimentId, runId, options) => {
        const run = await this.storedRun(experimentId, runId);
        const result = await exportRun(run.path, {
          embeddedDir: o.embeddedDir,
          prepared: (e, data) => this.preparedFor(e, data),
          ...options,
        });
        return { path: result.path, report: result.report };
      },
      exportMetrics: async (experimentId, format) => exportMetrics(await this.loaded(experimentId), format),
      exportReport: async (experimentId) => {
        const loaded = await this.loaded(experimentId);
        return {
          fileName: `${loaded.experiment.id}.report.html`,
          text: reportHtml(await gatherReport(loaded, this.epochs, undefined, () => this.preparedFor(loaded.experiment))),
        };
      },
      examples: async () => exampleCards(),
      chooseDataFile: async (kind) => {
        const chosen = await o.dialogs.chooseDataFile(kind);
        if (!chosen) return null;
        this.allowPath(chosen);
        return { path: path.resolve(chosen), name: path.basename(chosen) };
      },
      openExperimentFile: async (typed) => {
        const file = typed === null ? await o.dialogs.openExperimentFile() : this.typedPath(typed, 'experiment file');
        if (!file) return null;
        const text = await readExperimentFile(file);
        // The CLI's reader: a syntax error says line and column and quotes what it found safely
        // (JSON.parse's message echoes the file's bytes, control characters included).
        const read = readJsonText(text);
        if (!read.ok) throw new Error(`${path.basename(file)} is not valid JSON: ${read.issue.message}`);
        return { spec: read.value, path: file };
      },
      saveFile: async (name, content, encoding) => {
        const saved = await o.dialogs.saveFile(name, Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8'));
        return saved ? { path: saved } : null;
      },
      openStoreFolder: async () => {
        await o.dialogs.openFolder(o.storeRoot);
        return null;
      },
    };
  }

  /** The single entry point: validate the call, run it, return a Result. */
  async invoke(method: string, args: unknown[]): Promise<Result<unknown>> {
    const problem = checkApiCall(method, args);
    if (problem) return { ok: false, error: problem };
    try {
      const handler = this.handlers[method as ApiMethod] as (...a: unknown[]) => Promise<unknown>;
      return { ok: true, value: await handler(...args) };
    } catch (err) {
      return { ok: false, error: errorMessage(err) };
    }
  }

  onEvent(listener: (e: ApiEvent) => void): () => void {
    return this.live.subscribe(listener);
  }

  /** The data preview, its paths shown as <built-in>/…, <store>/… or ~/… (display-paths.ts). */
  private preview(p: PreparedData): DataPreview {
    const folders = [
      { dir: this.o.embeddedDir, as: '<built-in>' },
      { dir: this.o.storeRoot, as: '<store>' },
      { dir: os.homedir(), as: '~' },
    ];
    return dataPreview(p, (text) => shortenPaths(text, folders));
  }

  /** Lets a data file chosen in a dialog be used in data specs. */
  private allowPath(file: string): void {
    this.allowedPaths.add(path.resolve(file));
  }

  async dispose(): Promise<void> {
    for (const live of this.live.experiments.values()) live.job.cancelAll();
    await Promise.allSettled([...this.live.experiments.values()].map((l) => l.job.done));
    await this.watcher.stop();
    this.live.dispose();
    await this.pool.shutdown();
  }

  private checkSpec(spec: unknown) {
    const valid = validateExperiment(spec, 'experiment');
    this.checkDataPaths(valid.data);
    return valid;
  }

  private checkDataPaths(data: unknown): void {
    for (const f of dataFilePaths(data)) {
      if (this.allowedPaths.has(path.resolve(f)) || this.roots.contains(f)) continue;
      if (this.nativeDialogs) {
        throw new Error(`data file ${f} was not chosen in this session; pick it with the file dialog (Data card > Choose file)`);
      }
      this.typedPath(f, 'data file');
    }
  }

  /** A typed path, resolved, when it lies under the file roots; otherwise an error naming them. */
  private typedPath(file: string, what: string): string {
    if (this.roots.contains(file)) return path.resolve(file);
    const hint = this.nativeDialogs ? 'open it with the file dialog instead' : 'start ablate serve with --data <its folder> to allow it';
    throw new Error(`${what} ${file} is outside the folders this workbench may read (${this.roots.paths.join(', ')}); ${hint}`);
  }

  private async start(raw: unknown): Promise<{ experimentId: string }> {
    const spec = withAbsoluteDataPaths(this.checkSpec(raw), process.cwd());
    const id = experimentIdOf(spec, specHashOf(spec));
    if (this.live.isRunning(id)) throw new Error(`experiment ${id} is already running`);
    return this.run(spec);
  }

  private async run(spec: ExperimentSpec): Promise<{ experimentId: string }> {
    const job = await startExperiment(spec, {
      pool: this.pool,
      store: this.store,
      embeddedDir: this.o.embeddedDir,
      onEvent: (e) => {
        if (e.type === 'run-started') this.watcher.markOwn(e.experimentId, e.runId);
        this.live.onRunnerEvent(e);
      },
    });
    // Right away: the runner starts no run before this line has run, so no run event is missed.
    this.live.track(job);
    for (const d of job.data) this.prepared.set(preparedKey(job.id, d.spec), Promise.resolve(d.prepared));
    return { experimentId: job.id };
  }

  /** Every experiment of the store, its runs counted over its whole plan in the run-state model. */
  private async listExperiments(): Promise<ExperimentListItem[]> {
    const listings = await listExperiments(this.o.storeRoot);
    const item = async (e: ExperimentListing) => ({
      ...(await experimentListItem(e, (runId) => this.live.liveFacts(e.id, runId))),
      labels: (await readMeta(e.path)).meta,
    });
    return Promise.all(listings.map(item));
  }

  private async loadExperimentView(id: string): Promise<ExperimentView> {
    const loaded = await this.loaded(id);
    const live = this.live.experiments.get(id);
    const runs = runViews(
      loaded,
      (runId) => this.live.liveFacts(id, runId),
      (runId) => this.live.progressOf(id, runId),
    );
    const data = await this.preparedFor(loaded.experiment).then(
      (p) => this.preview(p),
      () => null,
    );
    const { meta } = await readMeta(loaded.path);
    return { experiment: loaded.experiment, variants: experimentVariants(loaded), runs, data, running: live !== undefined, labels: meta };
  }

  /** Trains the runs of a stored experiment that are not complete (its spec as stored, data files included). */
  private async resume(experimentId: string): Promise<{ experimentId: string }> {
    const stored = await readStoredExperiment(this.store.experimentDir(experimentId));
    if (this.live.isRunning(stored.id)) throw new Error(`experiment ${stored.id} is already running`);
    // The stored spec was validated (and its data files accepted) when it first ran.
    return this.run(validateExperiment(stored.spec, `${stored.id}/experiment.json`));
  }

  /** The time a spec would take on this machine, calibrated on its own networks on the pool. */
  private async estimate(raw: unknown): Promise<RunTimeEstimate> {
    const spec = withAbsoluteDataPaths(this.checkSpec(raw), process.cwd());
    return estimateOnPool(expandExperiment(spec).runs, this.pool, spec, this.o.embeddedDir);
  }

  /**
   * The learning-rate range test of a spec's variants with the default ramp. It trains in this
   * thread: a hundred steps of one small batch each, well under a second for the examples.
   */
  private async findLearningRate(raw: unknown): Promise<LrFindResult> {
    const spec = this.checkSpec(raw);
    return lrFind(spec, { options: LR_RANGE_DEFAULTS, baseDir: process.cwd(), embeddedDir: this.o.embeddedDir });
  }

  /**
   * A run's metrics from a byte offset to the end of what is written: readMetricsFrom returns
   * about 4 MiB per call, so this reads on while it says there is `more`.
   */
  private async runMetrics(
    experimentId: string,
    runId: string,
    fromOffset: number,
  ): Promise<{ records: MetricRecord[]; nextOffset: number }> {
    const dir = this.store.runDir(experimentId, runId);
    const records: MetricRecord[] = [];
    let offset = fromOffset;
    let line: number | undefined;
    for (;;) {
      const tail = await readMetricsFrom(dir, offset, { line });
      for (const r of tail.records) records.push(r);
      offset = tail.nextOffset;
      line = tail.nextLine;
      if (!tail.more) return { records, nextOffset: offset };
    }
  }

  /** One run of an experiment (its folder only); an error when it has no such run. */
  private async storedRun(experimentId: string, runId: string): Promise<LoadedRun> {
    const dir = this.store.runDir(experimentId, runId);
    if (!(await exists(dir))) throw new Error(`experiment ${experimentId} has no run ${runId}`);
    return loadRun(dir, runId);
  }

  private async loaded(id: string): Promise<LoadedExperiment> {
    return loadExperiment(this.store.experimentDir(id));
  }

  /** The prepared data of an experiment for one data spec (a run's own, runDataSpec; default the experiment's). */
  private preparedFor(experiment: StoredExperiment, data: unknown = experiment.spec.data): Promise<PreparedData> {
    let id: string;
    try {
      id = preparedKey(experiment.id, data);
    } catch (err) {
      return Promise.reject(err);
    }
    let p = this.prepared.get(id);
    if (!p) {
      p = loadPrepared(data, { embeddedDir: this.o.embeddedDir }).then((r) => r.prepared);
      p.catch(() => this.prepared.delete(id));
      this.prepared.set(id, p);
      if (this.prepared.size > 4) this.prepared.delete(this.prepared.keys().next().value!);
    }
    return p;
  }
}

/** The cache key of an experiment's prepared data for a data spec (resolved, so written and stored forms agree). */
function preparedKey(experimentId: string, data: unknown): string {
  return `${experimentId}\u0000${canonicalJson(validateDataSpec(data))}`;
}

/** A validation's ConfigError/ExperimentError issues as field errors (anything else as one error). */
function fieldErrors(err: unknown): FieldError[] {
  const issues = (err as { issues?: Array<{ path: string; message: string }> }).issues;
  return issues
    ? issues.map((i) => ({ path: printable(i.path), message: printable(i.message) }))
    : [{ path: '', message: errorMessage(err) }];
}

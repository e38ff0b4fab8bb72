/**
 * The contract between the UI and the back end, as ONE table: per Api method its IPC channel, its
 * parameters (name and JSON Schema) and the type of its result. Everything else derives from it:
 * the `Api` type the renderer is handed, the preload's `window.api` (src/preload), the app's IPC
 * handlers (src/main/ipc.ts), the page side of `ablate serve`'s web transport (web-client.ts), the
 * argument guard (src/services/app/api-guard.ts), the handler table of AppServices, and the fake
 * Api of the UI tests (test/ui/fake-api.ts) through the `Api` type. docs/api.md tells the whole
 * story.
 *
 * Adding a method: one entry here, its handler in AppServices (the compiler asks for it), the
 * fake's behaviour (the compiler asks for that too). Nothing else lists methods.
 *
 * Every request resolves to a `Result`: failures cross the boundary as data, never as a rejected
 * promise. Progress is pushed as `ApiEvent`s (types/events.ts). Plain JSON only.
 */
import { array, boolean, integer, jsonObject, nullable, object, oneOf, string, type Schema } from './api-schema.js';
import type { ApiEvent } from './types/events.js';
import type { MetricRecord } from './types/experiment.js';
import type { LrFindResult } from './types/lr-find.js';
import type { ValidationReport } from './types/onnx-report.js';
import type { SearchView } from './types/search.js';
import type { DesignSignal } from './types/signal.js';
import type { UnitsLearned } from './types/units.js';
import type {
  AppInfo,
  Comparison,
  CrossComparison,
  DataPreview,
  DecisionBoundary,
  DeletedExperiment,
  ExampleCard,
  ExperimentListItem,
  ExperimentView,
  FieldError,
  RunDiagnostics,
  RunTimeEstimate,
  TrashItem,
} from './types/views.js';

export type * from './types/events.js';
export type * from './types/experiment.js';
export type * from './types/lr-find.js';
export type * from './types/onnx-report.js';
export type * from './types/search.js';
export type * from './types/signal.js';
export type * from './types/units.js';
export type * from './types/views.js';

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

/** Carries a method's result type (the table holds no value for it). */
declare const RESULT: unique symbol;
interface Returns<R> {
  readonly [RESULT]?: () => R;
}
const returns = <R>(): Returns<R> => ({});

/** An IPC channel: a namespaced verb-noun such as "experiment:load". */
export type Channel = `${string}:${string}`;
type Param = readonly [name: string, schema: Schema<unknown>];

export interface ApiEntry<P extends readonly Param[] = readonly Param[], R = unknown> extends Returns<R> {
  readonly channel: Channel;
  readonly params: P;
}

const request = <const P extends readonly Param[], R>(channel: Channel, params: P, _result: Returns<R>): ApiEntry<P, R> => ({
  channel,
  params,
});

/** Experiment and run ids: the store's folder names (no separators, no leading dot). */
const id = string({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9][A-Za-z0-9._=,+-]*$' });
const dataFileKind = oneOf('csv', 'idx-images', 'idx-labels');
/** A trash entry: the deletion time (20261206T001512123Z), a dot, the experiment id. */
const trashId = string({ minLength: 22, maxLength: 230, pattern: '^[0-9]{8}T[0-9]{9}Z\\.[A-Za-z0-9][A-Za-z0-9._=,+-]*$' });
/** A name the user types (the services trim it and refuse control characters). */
const displayName = string({ minLength: 1, maxLength: 200 });

export const API = {
  /** Name, versions, pool size, store folder, and what the host offers (native dialogs or paths). */
  appInfo: request('app:info', [], returns<AppInfo>()),
  listExperiments: request('experiment:list', [], returns<ExperimentListItem[]>()),
  /**
   * Sets the name shown for a stored experiment (null or its spec's name: shows the spec's name).
   * Labels only (meta.json): the spec, its hash and the folder id stay. Refused while it trains.
   */
  renameExperiment: request(
    'experiment:rename',
    [
      ['id', id],
      ['name', nullable(displayName)],
    ],
    returns<null>(),
  ),
  /** Replaces an experiment's tags (trimmed, duplicates dropped; at most 20 of 40 characters). */
  tagExperiment: request(
    'experiment:tag',
    [
      ['id', id],
      ['tags', array(string({ maxLength: 40 }), 20)],
    ],
    returns<null>(),
  ),
  /** Archives (hides from the default list) or unarchives an experiment. */
  archiveExperiment: request(
    'experiment:archive',
    [
      ['id', id],
      ['archived', boolean],
    ],
    returns<null>(),
  ),
  /** A new stored experiment with the same spec under a new name ("X (copy)"), no runs yet. */
  duplicateExperiment: request('experiment:duplicate', [['id', id]], returns<{ experimentId: string }>()),
  /**
   * Moves an experiment to the trash: the system's (desktop app) or the store's (AppInfo.trash).
   * Refused while it trains. The UI asks for confirmation first.
   */
  deleteExperiment: request('experiment:delete', [['id', id]], returns<DeletedExperiment>()),
  /** The store's trash, most recently deleted first. */
  listTrash: request('trash:list', [], returns<TrashItem[]>()),
  /** Moves an experiment back from the store's trash; returns its id. */
  restoreExperiment: request('trash:restore', [['trashId', trashId]], returns<{ experimentId: string }>()),
  loadExperiment: request('experiment:load', [['id', id]], returns<ExperimentView>()),
  /** Checks a spec without running it: [] when valid. */
  validateExperiment: request('experiment:validate', [['spec', jsonObject]], returns<FieldError[]>()),
  /** Loads (or generates) the data a spec describes and returns a preview. */
  previewData: request('data:preview', [['data', jsonObject]], returns<DataPreview>()),
  /** Validates, stores and starts running; returns the experiment id (an existing id resumes it). */
  startExperiment: request('experiment:start', [['spec', jsonObject]], returns<{ experimentId: string }>()),
  /**
   * Signal propagation at initialization of each variant of a spec (first seed, first training
   * batch): per layer the variance of the forward signal and of the gradient, before any run.
   */
  designSignal: request('design:signal', [['spec', jsonObject]], returns<DesignSignal>()),
  /** How long the spec would take to train on this machine (a short calibration on the pool). */
  estimateExperiment: request('experiment:estimate', [['spec', jsonObject]], returns<RunTimeEstimate>()),
  /** The learning-rate range test of each variant at the spec's first seed (default ramp; nothing stored). */
  findLearningRate: request('experiment:lr-find', [['spec', jsonObject]], returns<LrFindResult>()),
  /** Trains a stored experiment's runs that are not complete (planned, incomplete, failed, cancelled, damaged). */
  resumeExperiment: request('experiment:resume', [['experimentId', id]], returns<{ experimentId: string }>()),
  cancelRun: request(
    'run:cancel',
    [
      ['experimentId', id],
      ['runId', id],
    ],
    returns<null>(),
  ),
  cancelExperiment: request('experiment:cancel', [['experimentId', id]], returns<null>()),
  /** Metrics of one run, from a byte offset of its metrics.ndjson (0 = all). */
  runMetrics: request(
    'run:metrics',
    [
      ['experimentId', id],
      ['runId', id],
      ['fromOffset', integer(0, Number.MAX_SAFE_INTEGER)],
    ],
    returns<{ records: MetricRecord[]; nextOffset: number }>(),
  ),
  runDiagnostics: request(
    'run:diagnostics',
    [
      ['experimentId', id],
      ['runId', id],
    ],
    returns<RunDiagnostics>(),
  ),
  compare: request(
    'experiment:compare',
    [
      ['experimentId', id],
      ['baseline', nullable(string({ maxLength: 2000 }))],
    ],
    returns<Comparison>(),
  ),
  /**
   * Variants picked from several experiments of the store in one comparison (at least two
   * experiments, each at most once, at least one variant of each): refused, with the experiments
   * and fields named, when they were trained on different data. Paired by seed where seeds match.
   * `baseline`: "<experiment id>/<variant id>" among the picked (null: the first picked).
   */
  compareExperiments: request(
    'experiment:compare-across',
    [
      ['picks', array(object({ experimentId: id, variantIds: array(string({ minLength: 1, maxLength: 2000 }), 500) }), 20)],
      ['baseline', nullable(string({ minLength: 1, maxLength: 2000 }))],
    ],
    returns<CrossComparison>(),
  ),
  /** A search's trials, metrics over seeds, best trial and factor importance; null without `search`. */
  searchView: request('experiment:search', [['experimentId', id]], returns<SearchView | null>()),
  decisionBoundary: request(
    'run:boundary',
    [
      ['experimentId', id],
      ['runId', id],
      ['resolution', integer(10, 200)],
    ],
    returns<DecisionBoundary>(),
  ),
  /**
   * What the units learned, from stored weights: image data, the first layer's units as images
   * per variant (the seed given, null: the first); 2-D data, unit response maps per variant and
   * every run's decision boundary with where they disagree.
   */
  unitsLearned: request(
    'run:units-learned',
    [
      ['experimentId', id],
      ['seed', nullable(integer(0, Number.MAX_SAFE_INTEGER))],
    ],
    returns<UnitsLearned>(),
  ),
  /** Exports the run's model to the store (model.onnx) and validates it in onnxruntime. */
  exportOnnx: request(
    'model:export',
    [
      ['experimentId', id],
      ['runId', id],
      ['options', object({ probabilities: boolean, opset: oneOf(17, 20) })],
    ],
    returns<{ path: string; report: ValidationReport }>(),
  ),
  /** Metrics of every run as CSV or JSON text (the UI offers it for saving or copying). */
  exportMetrics: request(
    'metrics:export',
    [
      ['experimentId', id],
      ['format', oneOf('csv', 'json')],
    ],
    returns<{ fileName: string; text: string }>(),
  ),
  /** The experiment's one-file report (self-contained HTML, as `ablate report` writes it), for saving. */
  exportReport: request('report:export', [['experimentId', id]], returns<{ fileName: string; text: string }>()),
  examples: request('example:list', [], returns<ExampleCard[]>()),
  /**
   * Native open dialog for a data file (CSV, or the images/labels file of an IDX pair). Only paths
   * chosen here, or typed paths under the host's file roots, are accepted in a data spec.
   */
  chooseDataFile: request('file:choose-data', [['kind', dataFileKind]], returns<{ path: string; name: string } | null>()),
  /**
   * Reads an experiment file: `path` null opens the native dialog (null when the user cancelled);
   * a typed path must lie under the host's file roots (AppInfo.fileRoots).
   */
  openExperimentFile: request(
    'file:open-experiment',
    [['path', nullable(string({ minLength: 1, maxLength: 4096 }))]],
    returns<{ spec: unknown; path: string } | null>(),
  ),
  /** Save dialog for an export (figure, metrics): text as UTF-8, or base64 for binary (PNG). */
  saveFile: request(
    'file:save',
    [
      [
        'suggestedName',
        string({ minLength: 1, maxLength: 255, pattern: '^[^/\\\\:*?"<>|\\u0000-\\u001f]+$', not: { pattern: '^\\.\\.?$' } }),
      ],
      ['content', string({ maxLength: 64 * 1024 * 1024 })],
      ['encoding', oneOf('utf8', 'base64')],
    ],
    returns<{ path: string } | null>(),
  ),
  openStoreFolder: request('store:open-folder', [], returns<null>()),
} as const satisfies Record<string, ApiEntry>;

/** The request methods of `Api` (everything but the event subscription). */
export type ApiMethod = keyof typeof API;

type ParamTypes<P> = { -readonly [K in keyof P]: P[K] extends readonly [string, Schema<infer T>] ? T : never };
/** The arguments of a method, as a tuple. */
export type ApiArgs<M extends ApiMethod> = ParamTypes<(typeof API)[M]['params']>;
/** What a method's Result carries when it succeeds. */
export type ApiValue<M extends ApiMethod> = (typeof API)[M] extends Returns<infer R> ? R : never;

export type Api = { [M in ApiMethod]: (...args: ApiArgs<M>) => Promise<Result<ApiValue<M>>> } & {
  /** Subscribes to pushed events; returns an unsubscribe function. */
  onEvent(listener: (event: ApiEvent) => void): () => void;
};

export const API_METHODS = Object.keys(API) as ApiMethod[];

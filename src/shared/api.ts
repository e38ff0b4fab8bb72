/**
 * The contract between the UI and the back end. The renderer only ever sees an `Api`; the app
 * implements it over IPC (src/preload), the browser test harness over a WebSocket. Every request
 * resolves to a `Result`: failures cross the boundary as data, never as a rejected promise.
 * Progress is pushed as `ApiEvent`s (throttled). Plain JSON only: no typed arrays, no shared memory.
 * Data-model types are imported (type-only, erased at build) from the engine and services.
 */
import type { EpochMetrics, RunStatus, SplitMetrics } from '../engine/portable.js';
import type { MetricRecord, RunSummary, StoredExperiment, Variant, ExperimentSpec } from '../services/experiments/types.js';
import type { ValidationReport } from '../services/onnx/report.js';

export type {
  ExperimentSpec,
  MetricRecord,
  RunSummary,
  StoredExperiment,
  Variant,
  RunStatus,
  EpochMetrics,
  SplitMetrics,
  ValidationReport,
};

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

export interface AppInfo {
  /** Product name shown to the user. */
  name: string;
  /** The desktop app's version (package.json). */
  version: string;
  /** The engine's version, recorded in every run's files. */
  engineVersion: string;
  /** Worker threads of the pool and the kernel set in use. */
  workers: number;
  kernels: 'wasm' | 'naive';
  /** Where experiments are stored. */
  storePath: string;
}

export interface FieldError {
  /** Dotted path into the experiment spec, e.g. "train.optimizer.lr" or "model.hidden[1].dropout". */
  path: string;
  message: string;
}

export interface ExperimentListItem {
  id: string;
  name: string;
  createdAt: string;
  runCount: number;
  completedRuns: number;
  /** running | done | partial (some runs incomplete) | failed | error (unreadable folder). */
  status: 'running' | 'done' | 'partial' | 'failed' | 'error';
  error?: string;
}

export interface RunView {
  runId: string;
  variantId: string;
  seed: number;
  /** queued and running only exist while this app is running the experiment. */
  status: RunStatus | 'queued' | 'running' | 'incomplete';
  /** Latest progress of a running run. */
  progress: { epoch: number; epochs: number; step: number; loss: number | null } | null;
  summary: RunSummary | null;
  hasOnnx: boolean;
}

export interface ExperimentView {
  experiment: StoredExperiment;
  variants: Variant[];
  runs: RunView[];
  /** Dataset facts for the Compare tab (2-D sets get a decision boundary). */
  data: DataPreview | null;
  running: boolean;
}

export interface DataPreview {
  name: string;
  n: number;
  d: number;
  task: 'classification' | 'regression';
  classNames: string[];
  featureNames: string[];
  /** Up to 20 rows of raw features (and the target rendered as text) for a table. */
  rows: Array<{ features: number[]; target: string }>;
  /** For 2-D data: up to 2000 points for a scatter preview. */
  scatter: { x: number[]; y: number[]; label: number[] } | null;
  splits: { train: number; validation: number; test: number };
  provenance: string;
}

/** Mean and 95% t-interval across seeds; null bounds when fewer than 2 seeds. */
export interface Interval {
  mean: number;
  sd: number | null;
  lower: number | null;
  upper: number | null;
  n: number;
}

export interface VariantResult {
  variantId: string;
  label: string;
  /** Metric name (e.g. "final.valLoss", "best.valAccuracy", "test.accuracy", "epochsRun", "seconds") -> interval. */
  metrics: Record<string, Interval>;
  /** Paired difference to the baseline (this - baseline) by seed, with p-value; null for the baseline itself. */
  vsBaseline: Record<string, (Interval & { p: number | null }) | null> | null;
  statuses: Record<string, number>;
}

/** A curve's mean and 95% band across seeds, per x (epoch or step). */
export interface Band {
  x: number[];
  mean: number[];
  lower: number[];
  upper: number[];
  n: number[];
}

export interface Comparison {
  baseline: string;
  metrics: string[];
  variants: VariantResult[];
  /** variantId -> metric ("trainLoss", "valLoss", "trainAccuracy", "valAccuracy") -> band over epochs. */
  curves: Record<string, Record<string, Band>>;
}

/** Per run, layer diagnostics over time for the gradient-flow and units views. */
export interface RunDiagnostics {
  runId: string;
  layers: string[];
  steps: number[];
  /** [layer][time] */
  gradNorm: number[][];
  weightNorm: number[][];
  updateRatio: number[][];
  zeroFraction: number[][];
  saturation: Array<Array<number | null>>;
  /** [layer][time][bin] with the histogram range. */
  histograms: number[][][];
  histogramRange: [number, number];
  /** Per epoch: [layer][epoch] dead fraction. */
  deadEpochs: number[];
  deadFraction: number[][];
  epochs: EpochMetrics[];
  bestEpoch: number | null;
  stoppedEpoch: number | null;
}

export interface DecisionBoundary {
  xs: number[];
  ys: number[];
  /** [row][col] predicted class (argmax) and its probability. */
  classes: number[][];
  confidence: number[][];
  points: { x: number[]; y: number[]; label: number[] };
}

export interface ExampleCard {
  id: string;
  title: string;
  description: string;
  spec: ExperimentSpec;
}

export type ApiEvent =
  | { type: 'experiment-started'; experimentId: string }
  | {
      type: 'run-progress';
      experimentId: string;
      runId: string;
      epoch: number;
      epochs: number;
      step: number;
      loss: number | null;
      records: MetricRecord[];
    }
  | { type: 'run-finished'; experimentId: string; runId: string; summary: RunSummary }
  /** `error`: the experiment as a whole failed (not one of its runs; those fail in their summaries). */
  | { type: 'experiment-finished'; experimentId: string; error?: string }
  | { type: 'pool'; busy: number; workers: number; queued: number; samplesPerSec: number }
  /** An application-menu command for the page to carry out. */
  | { type: 'menu'; command: 'new-experiment' | 'open-experiment' | 'export' };

export interface Api {
  appInfo(): Promise<Result<AppInfo>>;
  listExperiments(): Promise<Result<ExperimentListItem[]>>;
  loadExperiment(id: string): Promise<Result<ExperimentView>>;
  /** Checks a spec without running it: [] when valid. */
  validateExperiment(spec: unknown): Promise<Result<FieldError[]>>;
  /** Loads (or generates) the data a spec describes and returns a preview. */
  previewData(data: unknown): Promise<Result<DataPreview>>;
  /** Validates, stores and starts running; returns the experiment id (an existing id resumes it). */
  startExperiment(spec: unknown): Promise<Result<{ experimentId: string }>>;
  cancelRun(experimentId: string, runId: string): Promise<Result<null>>;
  cancelExperiment(experimentId: string): Promise<Result<null>>;
  /** Metrics of one run, from a byte offset of its metrics.ndjson (0 = all). */
  runMetrics(experimentId: string, runId: string, fromOffset: number): Promise<Result<{ records: MetricRecord[]; nextOffset: number }>>;
  runDiagnostics(experimentId: string, runId: string): Promise<Result<RunDiagnostics>>;
  compare(experimentId: string, baseline: string | null): Promise<Result<Comparison>>;
  decisionBoundary(experimentId: string, runId: string, resolution: number): Promise<Result<DecisionBoundary>>;
  /** Exports the run's model to the store (model.onnx) and validates it in onnxruntime. */
  exportOnnx(
    experimentId: string,
    runId: string,
    options: { probabilities: boolean; opset: 17 | 20 },
  ): Promise<Result<{ path: string; report: ValidationReport }>>;
  /** Metrics of every run as CSV or JSON text (the UI offers it for saving or copying). */
  exportMetrics(experimentId: string, format: 'csv' | 'json'): Promise<Result<{ fileName: string; text: string }>>;
  examples(): Promise<Result<ExampleCard[]>>;
  /**
   * Native open dialog for a data file (CSV, or the images/labels file of an IDX pair). Only paths
   * chosen here (or under the store, or shipped examples) are accepted later in a data spec.
   */
  chooseDataFile(kind: 'csv' | 'idx-images' | 'idx-labels'): Promise<Result<{ path: string; name: string } | null>>;
  /** Native dialogs (app only; the test harness answers with files it was told about). */
  openExperimentFile(): Promise<Result<{ spec: unknown; path: string } | null>>;
  /** Save dialog for an export (figure, metrics): text as UTF-8, or base64 for binary (PNG). */
  saveFile(suggestedName: string, content: string, encoding: 'utf8' | 'base64'): Promise<Result<{ path: string } | null>>;
  openStoreFolder(): Promise<Result<null>>;
  /** Subscribes to pushed events; returns an unsubscribe function. */
  onEvent(listener: (event: ApiEvent) => void): () => void;
}

/** The request methods of `Api` (everything but the event subscription). */
export type ApiMethod = Exclude<keyof Api, 'onEvent'>;

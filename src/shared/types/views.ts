/**
 * What the Api's requests answer with: the views the UI shows (experiment list, experiment and run
 * views, data previews, comparisons, diagnostics, decision boundaries, example cards). Plain JSON
 * only: no typed arrays, no shared memory. The experiment data model they embed lives in
 * types/experiment.ts, the ONNX validation report in types/onnx-report.ts.
 */
import type { IntervalMethod } from '../intervals.js';
import type { ExperimentState, RunState, StateCounts } from '../run-state.js';
import type { EpochMetrics, ExperimentSpec, RunSummary, StoredExperiment, Variant } from './experiment.js';

export interface AppInfo {
  /** Product name shown to the user. */
  name: string;
  /** The desktop app's version (package.json). */
  version: string;
  /** The engine's version, recorded in every run's files. */
  engineVersion: string;
  /** Worker threads of the pool and the kernel set in use. */
  workers: number;
  kernels: 'native' | 'wasm' | 'naive';
  /** Where experiments are stored. */
  storePath: string;
  /**
   * What the host offers (a capability, so the UI never has to guess where it runs). true in the
   * desktop app: native open and save dialogs and a file manager. false in a browser (`ablate
   * serve`): data and experiment files are typed as paths under `fileRoots`, and saved files are
   * downloaded by the browser.
   */
  nativeDialogs: boolean;
  /** Folders a typed path may name: the store and the folders given to `ablate serve --data`. */
  fileRoots: string[];
  /**
   * Where a deleted experiment goes: `os`, the system's trash (the desktop app); `store`, the
   * store's own trash folder (`<store>/.trash`), restorable from the app (a browser host).
   */
  trash: 'os' | 'store';
}

export interface FieldError {
  /** Dotted path into the experiment spec, e.g. "train.optimizer.lr" or "model.hidden[1].dropout". */
  path: string;
  message: string;
  /** 'warning': allowed but unusual (the experiment is valid); absent: an error. */
  severity?: 'warning';
}

/**
 * What the user set on a stored experiment beside its spec (meta.json): never part of the spec,
 * its hash or its folder id.
 */
export interface ExperimentLabels {
  /** The name the user gave it (a rename); null: its spec's name is shown. */
  name: string | null;
  tags: string[];
  /** Hidden from the default list. */
  archived: boolean;
  /** The experiment it was duplicated from (an id), or null. */
  copiedFrom: string | null;
}

/** An experiment in the store's trash (deleted, restorable). */
export interface TrashItem {
  /** The trash entry: what restoreExperiment takes. */
  trashId: string;
  /** The experiment's id, its folder once restored. */
  id: string;
  name: string;
  deletedAt: string;
}

/** Where deleteExperiment put the experiment: the system's trash, or the store's (restorable by its trashId). */
export type DeletedExperiment = { where: 'os'; trashId: null } | { where: 'store'; trashId: string };

export interface ExperimentListItem {
  id: string;
  name: string;
  createdAt: string;
  /** Runs of the experiment's plan (the expanded grid), whether they have a folder or not. */
  runCount: number;
  /** Runs that ended for good (done, stopped early, diverged): a resume keeps them. */
  completedRuns: number;
  /** The experiment as a whole (run-state.ts, experimentState), or error: its folder cannot be read. */
  status: ExperimentState | 'error';
  /** Its planned runs per state (run-state.ts); null when the folder cannot be read. */
  counts: StateCounts | null;
  /** The user's name, tags and archive flag. `name` above is the spec's name. */
  labels: ExperimentLabels;
  error?: string;
}

export interface RunView {
  runId: string;
  variantId: string;
  seed: number;
  /** The run's state in the one run-state model (src/shared/run-state.ts). */
  status: RunState;
  /** Workers training it (running only). */
  threads: number | null;
  /** Epochs it is configured to train. */
  epochs: number;
  /** What is wrong with a damaged run's files. */
  damage: string | null;
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
  labels: ExperimentLabels;
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
  /**
   * For image data (IDX, MNIST): a few raw images, pixels as bytes 0-255 row-major, one or more
   * per class first, for thumbnails; null for other data.
   */
  images: { height: number; width: number; samples: Array<{ pixels: number[]; label: string }> } | null;
  splits: { train: number; validation: number; test: number };
  /** Where the data came from, paths shown relative to the home folder or the store. */
  provenance: string;
}

/**
 * Mean and 95% interval across seeds (src/shared/intervals.ts: Student's t, on the log scale for
 * metrics >= 0, on the logit scale for metrics in [0, 1]); null bounds when fewer than 2 seeds.
 */
export interface Interval {
  mean: number;
  sd: number | null;
  lower: number | null;
  upper: number | null;
  /** Seeds (runs that ended healthy) behind the figure. */
  n: number;
  /** How the bounds were made: "t", "log-t" or "logit-t"; null without bounds. */
  method: IntervalMethod | null;
}

/**
 * A difference to the baseline (this - baseline): paired by seed (`n` pairs), or, in a comparison
 * across experiments whose variants share no seed with the baseline, unpaired with Welch's
 * t-interval (`test` "welch": `n` is this variant's seeds, `nBaseline` the baseline's).
 */
export interface PairedResult extends Interval {
  /** How it was made; absent: "paired". */
  test?: 'paired' | 'welch';
  /** Welch only: the baseline's seeds behind it. */
  nBaseline?: number;
  /** Welch only: the Welch-Satterthwaite degrees of freedom (fractional); null without a test. */
  df?: number | null;
  /** Two-sided p-value (paired t-test, or Welch's test); null with fewer than 2 pairs (2 seeds each side for Welch). */
  p: number | null;
  /** p adjusted by Holm's method over every variant compared with the baseline on this metric. */
  pHolm: number | null;
  /** Cohen's d_z: mean difference over the standard deviation of the differences; null for Welch (no pairs). */
  dz: number | null;
  /** Seeds for 80% power (paired t-test, alpha 0.05) to detect a difference as large as the observed one; null for Welch. */
  seedsFor80: number | null;
}

export interface VariantResult {
  variantId: string;
  label: string;
  /**
   * Metric name (e.g. "weights.valLoss", "final.valLoss", "best.valAccuracy", "test.accuracy",
   * "epochsRun", "seconds") -> interval, over the runs that ended healthy (completed or stopped early).
   */
  metrics: Record<string, Interval>;
  /** Paired difference to the baseline by seed; null for the baseline itself. */
  vsBaseline: Record<string, PairedResult | null> | null;
  /**
   * Runs per stored status, every ended run of the variant (those left out of the statistics
   * included); a run whose files are damaged counts as "damaged", whatever its summary says.
   */
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
  /** The target of the "curve.epochsToTarget" metric; absent or null without validation curves (or without reading them). */
  curveTarget?: CurveTarget | null;
}

/** What "epochs to target" means in a comparison: the first epoch whose validation metric reaches `value`. */
export interface CurveTarget {
  /** Accuracy reaches it at or above, loss at or below. */
  metric: 'valAccuracy' | 'valLoss';
  value: number;
  /** How `value` was chosen, in words. */
  rule: string;
  /** Per variant id: healthy runs with that validation curve, and those that reached the target. */
  reached: Record<string, { reached: number; runs: number }>;
}

/** Counts in equal bins over [lo, hi] (lo = hi: every count is exactly at that value). */
export interface BinnedCounts {
  lo: number;
  hi: number;
  counts: number[];
}

export interface ProjectionSeries {
  /** Index of the hidden layer whose residual P this is. */
  layer: number;
  gradNorm: number[];
  weightNorm: number[];
  updateRatio: number[];
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
  /** [layer][time]: W and dL/dW histograms, each on its own power-of-two range; null in runs older than them. */
  weightHistograms: Array<Array<BinnedCounts | null>>;
  gradHistograms: Array<Array<BinnedCounts | null>>;
  /** Residual projections P of hidden layers whose widths differ: [time] norms as for the layers. */
  projections: ProjectionSeries[];
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

/** How long an experiment will take on this machine (src/services/experiments/estimate.ts). */
export interface RunTimeEstimate {
  /** The expected wall time, and the range around it: a factor either side from the calibration's spread, so `low` is above zero; early stopping lowers `low`. */
  seconds: number;
  low: number;
  high: number;
  /** Some runs stop early when they stop improving: they may take less than `seconds`. */
  earlyStopping: boolean;
  /** The calibrations behind it, per network calibrated and team size: seconds per step, fixed seconds per epoch and per run. */
  calibrated: Array<{ stepSeconds: number; epochSeconds: number; runSeconds: number; threads: number; batch: number }>;
}

/**
 * Variants picked from several experiments of the store in one comparison (Api
 * `compareExperiments`, services/experiments/cross-compare-view.ts). Variant ids are
 * "<experiment id>/<variant id>", labels "<experiment name>: <variant label>".
 */
export interface CrossComparison {
  /** The experiments in the order picked, with the seeds of their runs that ended healthy. */
  experiments: Array<{ id: string; name: string; seeds: number[] }>;
  /**
   * Intervals per variant and differences to the baseline (paired by seed, or Welch's where no
   * seed is shared), the validation curves' summaries with one target for every picked variant,
   * and curves per epoch.
   */
  comparison: Comparison;
  /**
   * Per picked variant, each of its runs that count in the curves (training, or ended healthy):
   * its seed, best and early-stop epochs (0-based; null while training or without them) and its
   * epoch records, for the curves of each seed and the best-epoch markers.
   */
  runs: Record<string, CrossRunCurve[]>;
  /**
   * Per variant other than the baseline: the seeds at which both it and the baseline have a run
   * that ended healthy, the pairs its differences are computed over. Empty: nothing to pair, so no
   * difference is shown (each variant's own interval only).
   */
  sharedSeeds: Record<string, number[]>;
}

/**
 * The part of an epoch's metrics that learning curves plot (Compare's curves, in one experiment and
 * across experiments): `epoch` is 0-based, as in metrics.ndjson; the plots add 1 where they show it.
 */
export type CurveEpoch = Pick<EpochMetrics, 'epoch' | 'trainLoss' | 'trainAccuracy' | 'valLoss' | 'valAccuracy' | 'steps' | 'seconds'>;

/** One run's learning curve in a comparison across experiments: its epochs' metrics. */
export interface CrossRunCurve {
  seed: number;
  bestEpoch: number | null;
  stoppedEpoch: number | null;
  epochs: CurveEpoch[];
}

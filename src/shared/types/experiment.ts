/**
 * The experiment data model every layer above the engine speaks: the experiment file, its
 * variants, the records of a run's metrics.ndjson, the run summary and what experiment.json holds.
 * The runner, the store, the statistics and the CLI use these types, and the UI receives them
 * through the Api. Plain JSON types only; the engine's own types are imported (type-only) from below.
 */
import type {
  ConfusionMatrices,
  DataSpec,
  DeadUnits,
  EpochMetrics,
  KernelSetName,
  ModelConfig,
  RunStatus,
  SignalRecord,
  SplitMetrics,
  StepDiagnostics,
  StepEvent,
  TrainConfig,
} from '../../engine/portable.js';

export type { EpochMetrics, RunStatus, SplitMetrics };

/** The experiment file (JSON), validated against schema/experiment.schema.json. */
export interface ExperimentSpec {
  version: 1;
  name: string;
  description?: string;
  data: DataSpec;
  /** The base model and training recipe every variant starts from. */
  model: ModelConfig;
  train: TrainConfig;
  /**
   * Factors to compare: a named factor (activation, regularizer, init, optimizer, lr, batchSize,
   * width, depth) or a config path ("train.optimizer.lr", "model.hidden[*].dropout") -> values.
   * The grid is their cartesian product, in key order.
   */
  compare?: Record<string, unknown[]>;
  /** Trials drawn from a space, run by every compare variant (docs/experiments.md, "Search"). */
  search?: SearchSpec;
  /** Explicit seeds, or a count starting at `start` (default 0). */
  seeds: number[] | { count: number; start?: number };
  /** Variant id to compare the others against (default: the first variant). */
  baseline?: string;
  diagnostics?: { everySteps?: number; histogramBins?: number; histogramRange?: [number, number]; deadUnits?: boolean };
  execution?: { kernels?: KernelSetName; threadsPerRun?: number };
}

export interface SearchSpec {
  method: 'random' | 'sobol' | 'bayes';
  trials: number;
  /** bayes or halving: trials per later round (default 4). */
  batch?: number;
  /** bayes or halving: trials of the first round (default 8, at most trials). */
  startup?: number;
  /** Seed of the draws (default 0). */
  seed?: number;
  /** Factor (named or config path) -> a list of values or {uniform|log|int|logInt: [lo, hi]}. */
  space: Record<string, unknown>;
  /** Default {metric: "best.valLoss", goal: "min"}. */
  objective?: { metric: string; goal: 'min' | 'max' };
  /** Successive halving: rungs at minEpochs x eta^k epochs (eta default 3); see search/halving.ts. */
  halving?: { minEpochs: number; eta?: number };
}

export interface Variant {
  /** Stable id from the factor values, e.g. "activation=relu,regularizer=dropout-0.2" (or "base"). */
  id: string;
  /** Human label, e.g. "relu · dropout-0.2". */
  label: string;
  factors: Record<string, unknown>;
}

/** One line of metrics.ndjson. */
export type MetricRecord =
  | ({ kind: 'step' } & StepEvent)
  | ({ kind: 'epoch' } & EpochMetrics)
  | StepDiagnostics
  | DeadUnits
  | SignalRecord
  | {
      kind: 'event';
      step: number;
      epoch: number;
      event: 'early_stop' | 'pruned' | 'restored_best' | 'diverged' | 'cancelled' | 'failed';
      detail: string;
    };

export interface RunSummary {
  runId: string;
  variantId: string;
  seed: number;
  status: RunStatus;
  stopReason: string;
  epochsRun: number;
  steps: number;
  /** 0-based. */
  bestEpoch: number | null;
  stoppedEpoch: number | null;
  restoredBestWeights: boolean;
  /**
   * 0-based epoch whose weights the run kept (weights.bin, an exported model, the test metrics):
   * the best epoch when early stopping restored it, else the last epoch trained; null when the run
   * stopped inside an epoch. Absent in summaries written before it existed: read it through
   * weightsOf() (src/shared/run-weights.ts), which derives it for those.
   */
  weightsEpoch?: number | null;
  divergedAtStep: number | null;
  /** Metrics of the last epoch and of the best epoch. */
  final: EpochMetrics | null;
  best: EpochMetrics | null;
  test: SplitMetrics | null;
  /**
   * Confusion matrices of the kept weights (`epoch` = weightsEpoch) on validation and test, with
   * the data set's class names. Absent in summaries written before it existed ("not recorded");
   * null when the run has none (regression or multi-label head, no kept weights).
   */
  confusion?: RunConfusion | null;
  timings: { startedAt: string; finishedAt: string; seconds: number; samplesPerSec: number };
  weightsSha256: string | null;
  kernels: KernelSetName;
  /** The path the kernels ran on: native's CPU path ("avx512", "avx2", "neon", "portable") or wasm's build ("relaxed-simd", "simd128"); absent for naive. */
  kernelPath?: string;
  threads: number;
  engineVersion: string;
  /**
   * A search with successive halving: the run's value at each rung it reached and the bar it had
   * to pass there (null: nothing to compare with). What later rounds' bars are computed from.
   */
  halving?: { rungs: Array<{ epochs: number; value: number | null; bar: number | null }> };
}

/** RunSummary.confusion: counts[true class][predicted class]. */
export interface RunConfusion extends ConfusionMatrices {
  /** Display names of the classes, index = label value. */
  classNames: string[];
}

/** What experiment.json holds: the spec as given plus bookkeeping. */
export interface StoredExperiment {
  id: string;
  spec: ExperimentSpec;
  engineVersion: string;
  createdAt: string;
  /** SHA-256 of the canonical JSON of the spec (the same file resumes the same experiment). */
  specHash: string;
}

/**
 * What a training run reports: per-epoch metrics, per-step events for live plots, and the final
 * outcome with its status and stop reason. Plain data (crosses threads and files as JSON).
 */

import type { DeadUnits, StepDiagnostics, StepNorms } from '../probes/types.js';

export type RunStatus = 'completed' | 'early_stopped' | 'pruned' | 'diverged' | 'cancelled' | 'failed';

export interface EpochMetrics {
  epoch: number;
  lr: number;
  trainLoss: number;
  /** null for regression heads. */
  trainAccuracy: number | null;
  valLoss: number | null;
  valAccuracy: number | null;
  /** Value of the l1/l2 penalty terms at the end of the epoch (0 without penalties). */
  penalty: number;
  steps: number;
  seconds: number;
}

export interface StepEvent {
  step: number;
  epoch: number;
  /** Mean loss of the batch (before the update). */
  loss: number;
  /** Global gradient norm before clipping (including penalty gradients). */
  gradNorm: number;
  clipCoef: number;
  lr: number;
}

export interface SplitMetrics {
  loss: number;
  accuracy: number | null;
  n: number;
}

/** Confusion counts of the kept weights (train/confusion.ts): rows = true class, columns = predicted class. */
export interface ConfusionMatrices {
  /** 0-based epoch whose weights were evaluated (the kept weights). */
  epoch: number;
  /** null when the split is empty. */
  validation: number[][] | null;
  test: number[][] | null;
}

export interface RunOutcome {
  status: RunStatus;
  stopReason: string;
  epochs: EpochMetrics[];
  steps: number;
  /** 0-based epoch of the best monitored value (early stopping), or of the lowest val/train loss. */
  bestEpoch: number | null;
  stoppedEpoch: number | null;
  restoredBestWeights: boolean;
  divergedAtStep: number | null;
  /** Metrics of the final weights on the test split (never used for any training decision). */
  test: SplitMetrics | null;
  /**
   * Confusion matrices of the kept weights on validation and test (classification heads with one
   * predicted class per row; null otherwise, and for a run that stopped inside an epoch).
   */
  confusion: ConfusionMatrices | null;
  seconds: number;
  /** Seconds the leader thread waited in barriers (0 in process): synchronization overhead. */
  syncWaitSeconds: number;
  /**
   * This thread's barriers by phase (absent or empty in process): run/team.ts's PhaseProfile,
   * written out here because this file is part of the renderer's type world and team.ts is not.
   */
  syncProfile?: Array<{ phase: string; barriers: number; workSeconds: number; waitSeconds: number; sleeps: number }>;
  /** This thread's CPU seconds over the loop, where the OS tells (Linux); absent elsewhere. */
  threadCpuSeconds?: number;
  /**
   * JavaScript heap bytes this thread allocated per training step (train/heap-meter.ts), where
   * measured (pool workers); null when every epoch saw a garbage collection.
   */
  heapBytesPerStep?: number | null;
}

/** Diagnostics collected by the leader (see probes/probe.ts). */
export interface TrainProbe {
  beforeStep(step: number): void;
  /** Inside the step, before its closing barrier, while the batch's activations are intact. */
  observeActivations(rows: number): void;
  /**
   * The step's norms come as the step program's fields, read on diagnostic steps only: computed
   * as arguments every step, in the epoch loop V8 leaves unoptimized, each was a new heap number.
   */
  afterStep(step: number, epoch: number, norms: StepNorms): StepDiagnostics | null;
  startEval(): void;
  observeEval(rows: number): void;
  finishEval(epoch: number): DeadUnits | null;
}

/** Where the steps write their records: train/step-log.ts's StepLog (named here, as plain data). */
export interface StepRecords {
  /** The offset of a new record in `records` (step-log.ts's StepField order); may replace `records`. */
  reserve(): number;
  readonly records: Float64Array;
}

/** Brackets each epoch's step loop (every thread of the team): see train/heap-meter.ts. */
export interface StepMeter {
  begin(): void;
  end(steps: number): void;
}

export interface TrainHooks {
  /** Leader only: layer diagnostics, reported through onDiagnostics. */
  probe?: TrainProbe;
  onDiagnostics?(record: StepDiagnostics | DeadUnits): void;
  /** Called by every thread of the team before each step (test fault injection). */
  beforeStep?(step: number): void;
  /** Called by the team's leader thread after every step (an event object per step: allocates). */
  onStep?(event: StepEvent): void;
  /**
   * The allocation-free alternative to onStep (pool workers): the leader's steps write their
   * records into this log (train/step-log.ts), and afterStep is called on the leader after each.
   */
  stepLog?: StepRecords;
  afterStep?(): void;
  /** Called by the leader after every epoch. */
  onEpoch?(metrics: EpochMetrics): void;
  /** Called by every thread around each epoch's step loop. */
  stepMeter?: StepMeter;
}

/**
 * The pool's message protocol: tagged unions with ids, errors as data. Messages carry shared
 * memory (the run's WebAssembly.Memory, the dataset's SharedArrayBuffers) by reference; nothing
 * large is ever copied. Per-step synchronization never uses messages (see team.ts); workers only
 * post batched progress, completion and errors.
 */
import type { ResolvedRunConfig } from '../config/defaults.js';
import type { KernelSetName } from '../kernels/types.js';
import type { DeadUnits, DiagnosticsOptions, StepDiagnostics } from '../probes/types.js';
import type { EpochMetrics, RunOutcome, StepEvent } from '../train/outcome.js';
import type { HalvingRule } from '../train/halving.js';

/** Progress of a run since the previous batch (steps are never dropped, only batched). */
export interface ProgressBatch {
  steps: StepEvent[];
  epochs: EpochMetrics[];
  diagnostics: Array<StepDiagnostics | DeadUnits>;
}

/** A dataset as shared with workers: SharedArrayBuffer-backed views, posted once per worker. */
export interface SharedDataset {
  features: Float32Array;
  d: number;
  labels: Int32Array | null;
  values: Float32Array | null;
  width: number;
}

/** Test-only failure switch (the pool refuses it unless created with allowFaultInjection). */
export interface FaultInjection {
  teamIndex: number;
  atStep: number;
  kind: 'throw' | 'exit';
}

export type ToWorker =
  | { type: 'dataset'; datasetId: string; dataset: SharedDataset }
  | { type: 'drop-dataset'; datasetId: string }
  | {
      type: 'run';
      runId: string;
      config: ResolvedRunConfig;
      datasetId: string;
      train: Int32Array;
      validation: Int32Array;
      test: Int32Array;
      memory: WebAssembly.Memory;
      teamIndex: number;
      teamSize: number;
      kernels: KernelSetName;
      /** Minimum milliseconds between progress messages (steps are batched, none is lost). */
      progressIntervalMs: number;
      /** Layer diagnostics options; null disables them. */
      diagnostics: DiagnosticsOptions | null;
      /** Successive halving's stop rule (train/halving.ts); null: none. */
      halving: HalvingRule | null;
      fault?: FaultInjection;
    };

export type FromWorker =
  | { type: 'ready'; kernels: KernelSetName[] }
  /** stepRecords: the steps' records as train/step-log.ts lays them out (the pool makes the events). */
  | ({ type: 'progress'; runId: string; stepRecords: Float64Array } & Omit<ProgressBatch, 'steps'>)
  | { type: 'done'; runId: string; teamIndex: number; outcome: RunOutcome }
  | { type: 'error'; runId: string; teamIndex: number; message: string; cancelled: boolean };

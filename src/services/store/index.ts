/**
 * The experiment store (docs/store.md): one folder per experiment, one per run, plain files written
 * crash-safely. Writer side: ExperimentStore → ExperimentHandle → RunWriter, one writer per
 * experiment by its lock (a claim: tryClaim, reusable for other exclusive names). Reader side:
 * listExperiments, loadExperiment, readMetrics(From), readWeights. Main thread (Electron main or
 * the CLI), never the renderer.
 */
export { canonicalJson, sha256Hex, specHashOf } from './canonical.js';
export { HeldClaim, inspectClaim, tryClaim, type ClaimInspection, type ClaimOptions, type ClaimOwner, type ClaimResult } from './claim.js';
export { StoreError } from './errors.js';
export { ExperimentHandle, ExperimentStore, type OpenOptions, type StoreOptions } from './experiment-store.js';
export { experimentId, resolveInside, segmentProblem, slugify } from './ids.js';
export {
  CONFIG_FILE,
  EXPERIMENT_FILE,
  FINAL_STATUSES,
  isFinalStatus,
  META_FILE,
  METRICS_FILE,
  ONNX_FILE,
  ONNX_VALIDATION_FILE,
  RUNS_DIR,
  SUMMARY_FILE,
  TRASH_DIR,
  WEIGHTS_FILE,
  type StoredRunConfig,
} from './layout.js';
export {
  archiveExperiment,
  duplicateExperiment,
  listTrash,
  renameExperiment,
  restoreExperiment,
  tagExperiment,
  trashEntryPath,
  trashExperiment,
  type TrashEntry,
} from './manage.js';
export { readMeta, type ExperimentMeta } from './meta.js';
export type { AppenderOptions } from './metrics-appender.js';
export { readMetrics, readMetricsFrom, type MetricsRead, type MetricsTail } from './metrics-reader.js';
export {
  listExperiments,
  loadExperiment,
  loadRun,
  readStoredExperiment,
  type ExperimentListing,
  type LoadedExperiment,
  type LoadedRun,
  type StatusSummary,
} from './reader.js';
export { readRunClaims, RUN_LEASE_MS, type RunClaimResult, type RunClaimState } from './run-claims.js';
export { RunWriter } from './run-writer.js';
export { readWeights, type LoadedWeights } from './weights.js';

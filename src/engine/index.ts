/**
 * The engine's one entry: everything the services, the CLI, the benchmarks and the app use.
 * Code outside src/engine imports from here (lint-enforced; eslint.config.js); the exceptions
 * are listed in src/engine/README.md ("The front door"). Inside the engine, no file imports this
 * one: folders import each other directly, downward only.
 */
export * from './portable.js';

// The run config: defaults, validation, fit against the data (its vocabulary is in portable.ts).
export { BN_EPS, BN_MOMENTUM, defaultAlpha, resolveRunConfig } from './config/defaults.js';
export { validateRunConfig } from './config/validate.js';
export { Checker, describe } from './config/check.js';
export { checkConfigFitsData, type DataShape } from './config/fit-data.js';

// Datasets: sources, loading, preprocessing, splits.
export * from './data/index.js';

// Seeded randomness.
export { Purpose } from './rng/hash.js';
export { RandomStream, stream } from './rng/stream.js';

// The model: its plan (shapes and named tensors), initialization, activations' constants.
export { planModel, type BufferEntry, type HiddenSpec, type LinearSpec, type ModelPlan, type ParamEntry } from './model/plan.js';
export { initializeModel } from './init/initializers.js';
export { SELU_ALPHA, SELU_SCALE } from './math/activations.js';

// Kernel sets and the memory they run in.
export type { KernelFactory, Kernels } from './kernels/types.js';
export {
  availableKernelSets,
  createKernels,
  describeKernelSet,
  effectiveKernelSet,
  kernelFactory,
  kernelPath,
  kernelSetNotice,
} from './kernels/select.js';
export { checkNativeAgainstWasm, type NativeCheck } from './kernels/native/self-check.js';
export { createRunMemory, MAX_RUN_MEMORY_BYTES } from './memory/wasm-memory.js';
export { runLayoutStart } from './run/run-memory.js';

// Training: in process, or on the worker pool.
export { runMemoryBytes, runShape } from './train/setup.js';
export { trainInProcess, type InProcessOptions, type TrainedModel } from './train/trainer.js';
export { weightsSha256 } from './train/fingerprint.js';
export { lrRangeTest } from './train/lr-finder.js';
export {
  LR_RANGE_DEFAULTS,
  lrAt,
  lrRangeProblems,
  type LrRangeOptions,
  type LrRangePoint,
  type LrRangeResult,
  type LrRule,
} from './train/lr-range.js';
export {
  WorkerPool,
  emptyRunResult,
  maxPoolWorkers,
  type PoolOptions,
  type RunHandle,
  type RunRequest,
  type RunResult,
  type TeamMemberProfile,
} from './parallel/pool.js';
export { TEAM_MIN_FLOPS_PER_STEP, trainingFlopsPerStep, workersForRun } from './parallel/policy.js';
export type { ProgressBatch, SharedDataset } from './parallel/protocol.js';

// Inference on a trained model (eval mode).
export { Predictor, applyHead, type PredictableModel } from './inference/predictor.js';
export { firstBatchRows, signalAtInit } from './inference/signal.js';

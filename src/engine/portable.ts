/**
 * The part of the engine's entry that needs no Node: the plain-data types (the run config as
 * written and as resolved, the data spec, what a run reports, diagnostics records, kernel-set
 * names), the error classes, the version and the config vocabulary. Every module named here is
 * free of Node imports, so code type-checked without Node (src/shared and the services files its
 * types reach) imports this file; all other code imports index.ts, which re-exports it.
 */
export { ENGINE_NAME, ENGINE_VERSION } from './version.js';
export { CancelledError, ConfigError, DataError, errorMessage, printable, quoteInput, shownJson, type FieldIssue } from './errors.js';
export * from './config/types.js';
export * from './config/vocabulary/index.js';
export type { ResolvedEarlyStopping, ResolvedHiddenLayer, ResolvedOptimizer, ResolvedRunConfig } from './config/defaults.js';
export type * from './data/spec.js';
export { KERNEL_SETS, type KernelSetName } from './kernels/sets.js';
export * from './probes/types.js';
export type * from './probes/signal-types.js';
export type * from './train/outcome.js';
export { HALVING_METRICS, halvingStop, passes, rungValue, type HalvingMetric, type HalvingRule } from './train/halving.js';
export type * from './train/lr-range.js';

/**
 * The layout of the store on disk: file names, the record config.json holds, which run statuses
 * are final, and how the store names its own hidden files (temp files, folders being deleted, the
 * writer lock). Every name the store itself creates starts with a dot, and readers skip every dot
 * name, so a user's tools and the reader API see only the documented files. See docs/store.md.
 */
import type { KernelSetName, ResolvedDataSpec, ResolvedRunConfig, RunStatus } from '../../engine/index.js';
import type { Variant } from '../experiments/types.js';

export const EXPERIMENT_FILE = 'experiment.json';
export const RUNS_DIR = 'runs';
export const CONFIG_FILE = 'config.json';
export const METRICS_FILE = 'metrics.ndjson';
export const SUMMARY_FILE = 'summary.json';
export const WEIGHTS_FILE = 'weights.bin';
/** Where each tensor lies in weights.bin (weights-index.ts). */
export const WEIGHTS_INDEX_FILE = 'weights.index.json';
export const ONNX_FILE = 'model.onnx';
export const ONNX_VALIDATION_FILE = 'model.validation.json';
/** In the experiment folder while a writer has it open: a claim (claim.ts) holding its owner. */
export const LOCK_FILE = '.writer.lock';
/** Beside experiment.json: the user's name, tags and archive flag (meta.ts); not part of the spec. */
export const META_FILE = 'meta.json';
/** In the store root: deleted experiments, restorable (manage.ts). A dot name: readers skip it. */
export const TRASH_DIR = '.trash';
/** In the experiment folder: one claim per run being trained (run-claims.ts), named by the run id. */
export const CLAIMS_DIR = '.claims';

/** What runs/<run-id>/config.json holds. */
export interface StoredRunConfig {
  runId: string;
  variant: Variant;
  seed: number;
  /** The fully resolved run config the engine trained. */
  config: ResolvedRunConfig;
  /** How the data was prepared for this run (source, rows, split sizes, ...), as the runner reports it. */
  data: Record<string, unknown>;
  /**
   * The data spec this run trained on, defaults filled: the experiment's, changed by its data
   * factors. Absent in runs stored before data factors existed: their data is the experiment's.
   */
  dataSpec?: ResolvedDataSpec;
  kernels: KernelSetName;
  threads: number;
}

/**
 * Statuses that end a run for good: a run whose summary.json has one of these is complete and a
 * resume skips it. `failed` and `cancelled` are not final: a resume reruns those runs.
 */
export const FINAL_STATUSES: readonly RunStatus[] = ['completed', 'early_stopped', 'pruned', 'diverged'];

export function isFinalStatus(status: unknown): status is RunStatus {
  return (FINAL_STATUSES as readonly unknown[]).includes(status);
}

/** Names the store uses for itself (temp files, folders being deleted, the lock); readers skip them. */
export function isHiddenName(name: string): boolean {
  return name.startsWith('.');
}

/** A leftover of an interrupted write or delete, safe to remove by the writer holding the lock. */
export function isLeftoverName(name: string): boolean {
  return name.startsWith('.') && (name.endsWith('.tmp') || name.endsWith('.deleting'));
}

let counter = 0;
/** A unique hidden name beside `base` ending in `suffix` (`.tmp` or `.deleting`). */
export function hiddenSibling(base: string, suffix: '.tmp' | '.deleting'): string {
  counter = (counter + 1) % 0x100000000;
  return `.${base}.${process.pid}-${Date.now().toString(36)}-${counter.toString(36)}${suffix}`;
}

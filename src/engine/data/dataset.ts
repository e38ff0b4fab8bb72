/**
 * The dataset model: features as one row-major float32 matrix (n x d) and targets as class
 * indices or float vectors, with names and provenance. Storage is a SharedArrayBuffer so the
 * worker pool shares one copy with every worker and run (no copies, read-only after creation).
 * Pure data and allocation helpers; loaders live beside it (registry.ts dispatches by source).
 * Any thread may read a Dataset; only the loader that creates one writes to it.
 */

export type Targets =
  { kind: 'class'; labels: Int32Array; classNames: string[] } | { kind: 'vector'; values: Float32Array; width: number; names: string[] };

export interface Dataset {
  /** Short identity, e.g. "mnist", "spiral", "fashion-mnist", "iris.csv". */
  name: string;
  n: number;
  d: number;
  /** (n, d) row-major, backed by a SharedArrayBuffer. */
  features: Float32Array;
  featureNames: string[];
  targets: Targets;
  /** Where the data came from and how it was turned into numbers (human readable). */
  provenance: string;
  /** For images: [height, width] so a UI can draw a row. */
  imageShape?: [number, number];
  /**
   * Set when every feature lies in this range by construction of the format (IDX pixels are
   * bytes / 255, so [0, 1]); `scale01` then uses it instead of fitting min/max per feature.
   */
  valueRange?: [number, number];
  /** The source name in the registry that produced it ("mnist", "synthetic", "idx", "csv"). */
  source?: string;
}

/** Row indices of each split. The test split never influences training or early stopping. */
export interface Splits {
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

export function sharedFloat32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(length * 4));
}

export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * 4));
}

export function targetWidth(t: Targets): number {
  return t.kind === 'class' ? 1 : t.width;
}

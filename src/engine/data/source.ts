/**
 * The contract every data source implements, so the registry (registry.ts) can validate and load
 * a DataSpec by its `source` name alone. Types only.
 */
import type { Checker } from '../config/check.js';
import type { Dataset } from './dataset.js';
import type { DataSpec, Preprocess } from './spec.js';

export interface LoadContext {
  /** The folder holding the embedded MNIST cache (resources/runtime/mnist in the repo). */
  embeddedDir: string;
  /** Relative paths in a spec resolve against this folder (the experiment file's); default: cwd. */
  baseDir?: string;
  /**
   * The memory ceiling of the loaded dataset's arrays, in bytes (limits.ts); default: the
   * environment's ABLATE_DATASET_MEMORY, else min(8 GiB, half the machine's memory).
   */
  memoryLimitBytes?: number;
}

/** S: the spec as written; R: the same with the source's defaults filled (what `load` receives). */
export interface DataSourceDef<S extends DataSpec = DataSpec, R extends S = S> {
  name: S['source'];
  /** The source's own fields, besides source, split and preprocess. */
  fields: readonly string[];
  /**
   * Those of `fields` that name a file: relative paths resolve against LoadContext.baseDir when
   * loading, and absoluteDataPaths (paths.ts) makes them absolute before a spec is saved.
   */
  fileFields: readonly (keyof S & string)[];
  /** Preprocessing used when the spec names none. */
  defaultPreprocess: Preprocess;
  /** Records every problem with the source's own fields; `path` is the spec's path, e.g. "data". */
  check(c: Checker, path: string, spec: Record<string, unknown>): void;
  /** Fills the source's defaults into a checked spec. */
  resolve(spec: S): R;
  /** Loads a checked spec whose defaults `resolve` has filled (validateDataSpec does both). */
  load(spec: R, ctx: LoadContext): Promise<Dataset>;
}

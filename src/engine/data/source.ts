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
}

export interface DataSourceDef<S extends DataSpec = DataSpec> {
  name: S['source'];
  /** The source's own fields, besides source, split and preprocess. */
  fields: readonly string[];
  /** Preprocessing used when the spec names none. */
  defaultPreprocess: Preprocess;
  /** Records every problem with the source's own fields; `path` is the spec's path, e.g. "data". */
  check(c: Checker, path: string, spec: Record<string, unknown>): void;
  /** Fills the source's defaults into a checked spec. */
  resolve(spec: S): S;
  load(spec: S, ctx: LoadContext): Promise<Dataset>;
}

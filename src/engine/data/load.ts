/**
 * Entry points: validate a DataSpec, dispatch to its source through the registry, and optionally
 * prepare it (split + preprocess). Anything a loader throws that is not already a DataError or a
 * ConfigError is wrapped in a DataError naming the source, so callers never see an untyped error.
 * Node only for file sources; main thread or worker.
 */
import { ConfigError, DataError } from '../errors.js';
import type { Dataset } from './dataset.js';
import { prepare, type PreparedData } from './prepare.js';
import { getDataSource } from './registry.js';
import type { LoadContext } from './source.js';
import type { ResolvedDataSpec } from './spec.js';
import { validateDataSpec } from './validate.js';

export async function loadDataset(spec: unknown, opts: LoadContext): Promise<Dataset> {
  return loadResolved(validateDataSpec(spec), opts);
}

async function loadResolved(resolved: ResolvedDataSpec, opts: LoadContext): Promise<Dataset> {
  const def = getDataSource(resolved.source)!;
  try {
    return await def.load(resolved, opts);
  } catch (err) {
    if (err instanceof DataError || err instanceof ConfigError) throw err;
    const msg = err instanceof Error ? err.message : String(err);
    throw Object.assign(new DataError(`Loading ${resolved.source} data failed unexpectedly: ${msg}`), { cause: err });
  }
}

/** Validates, loads and prepares in one go; returns the resolved spec to save with the experiment. */
export async function loadPrepared(
  spec: unknown,
  opts: LoadContext,
): Promise<{ spec: ResolvedDataSpec; dataset: Dataset; prepared: PreparedData }> {
  const resolved = validateDataSpec(spec);
  const dataset = await loadResolved(resolved, opts);
  return { spec: resolved, dataset, prepared: prepare(dataset, resolved.split, resolved.preprocess, resolved.trainSize) };
}

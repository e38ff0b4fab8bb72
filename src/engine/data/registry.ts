/**
 * The registry of data sources, keyed by the `source` name used in experiment files and the UI.
 * Adding a source = implementing DataSourceDef (source.ts) and listing it here. Read-only after
 * module load; any thread may import it (loading itself needs Node file APIs for file sources).
 */
import { csvSource } from './csv/source.js';
import { idxSource } from './idx-source.js';
import { mnistSource } from './mnist.js';
import type { DataSourceDef } from './source.js';
import type { DataSpec } from './spec.js';
import { syntheticSource } from './synthetic.js';

// Each entry is typed for its own spec; the registry looks them up by name only.
const SOURCES: ReadonlyMap<string, DataSourceDef> = new Map<string, DataSourceDef>(
  ([mnistSource, syntheticSource, idxSource, csvSource] as unknown as DataSourceDef<DataSpec>[]).map((s) => [s.name, s]),
);

export const DATA_SOURCE_NAMES: readonly string[] = [...SOURCES.keys()];

export function getDataSource(name: string): DataSourceDef | undefined {
  return SOURCES.get(name);
}

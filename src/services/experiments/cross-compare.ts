/**
 * One comparison of variants from several experiments of the store (`ablate compare DIR...`).
 * Comparing runs only means something on the same data: every experiment must have the same data
 * spec (source, its fields, split and preprocessing, compared as canonical JSON), else
 * `dataMismatch` names the experiments and the fields that differ. For file sources (idx, csv) the
 * paths are compared as written, not the files' contents.
 *
 * Variants keep their experiment's id as a prefix ("<experiment id>/<variant id>"), so ids never
 * collide; statistics are compare.ts's (compareSummaries): every variant against the baseline
 * (default the first experiment's baseline), paired by seed over the seeds both ran, which is all
 * of them when the experiments list the same seeds and none when they share no seed (then there is
 * no paired difference, only each variant's own interval). Experiments with a search also report
 * their search results (search/results.ts). Pure.
 */
import { canonicalJson } from '../canonical-json.js';
import type { Comparison } from '../../shared/api.js';
import { compareSummaries, experimentVariants, storedSummaries } from './compare.js';
import { searchResults, type SearchResults } from './search/results.js';
import type { LoadedExperiment } from '../store/reader.js';
import type { RunSummary, Variant } from './types.js';

export interface CrossComparison {
  experiments: { id: string; name: string; dir: string; seeds: number[] }[];
  statistics: Omit<Comparison, 'curves'>;
  search: { experimentId: string; results: SearchResults }[];
}

/** Why these experiments cannot be compared (different data), or null. */
export function dataMismatch(loaded: readonly LoadedExperiment[]): string | null {
  const [first, ...rest] = loaded;
  for (const other of rest) {
    const a = first.experiment.spec.data as unknown;
    const b = other.experiment.spec.data as unknown;
    if (canonicalJson(a) === canonicalJson(b)) continue;
    const fields = differingPaths(a, b, 'data').slice(0, 6);
    return (
      `${other.experiment.id} was trained on other data than ${first.experiment.id} (${fields.join(', ')} differ); ` +
      'runs are only compared on the same data: the same source, fields, split and preprocessing'
    );
  }
  return null;
}

export function compareAcross(loaded: readonly LoadedExperiment[], baselineId: string | null = null): CrossComparison {
  const mismatch = dataMismatch(loaded);
  if (mismatch) throw new Error(mismatch);
  const variants: Variant[] = [];
  const summaries: RunSummary[] = [];
  const damaged: RunSummary[] = [];
  const search: CrossComparison['search'] = [];
  for (const l of loaded) {
    const { id, spec } = l.experiment;
    const own = experimentVariants(l);
    const mine = storedSummaries(l);
    const prefixed = (s: RunSummary) => ({ ...s, variantId: `${id}/${s.variantId}` });
    variants.push(...own.map((v) => ({ ...v, id: `${id}/${v.id}`, label: `${spec.name}: ${v.label}` })));
    summaries.push(...mine.summaries.map(prefixed));
    damaged.push(...mine.damaged.map(prefixed));
    const results = searchResults(spec, own, mine.summaries);
    if (results) search.push({ experimentId: id, results });
  }
  const first = loaded[0].experiment;
  const baseline = baselineId ?? (first.spec.baseline ? `${first.id}/${first.spec.baseline}` : null);
  return {
    experiments: loaded.map((l) => ({
      id: l.experiment.id,
      name: l.experiment.spec.name,
      dir: l.path,
      seeds: [...new Set(l.runs.flatMap((r) => (r.summary ? [r.summary.seed] : [])))].sort((a, b) => a - b),
    })),
    statistics: compareSummaries(variants, summaries, baseline, damaged),
    search,
  };
}

/** Paths where two JSON values differ ("data.n", "data.split.seed"). */
function differingPaths(a: unknown, b: unknown, path: string): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(a) || !isObject(b)) return canonicalJson(a ?? null) === canonicalJson(b ?? null) ? [] : [path];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.flatMap((k) => differingPaths(a[k], b[k], `${path}.${k}`));
}

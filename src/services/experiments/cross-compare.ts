/**
 * One comparison of variants from several experiments of the store (`ablate compare DIR...`).
 * Comparing runs only means something on the same data: every experiment must have the same data
 * (source, its fields, split and preprocessing, compared as canonical JSON with defaults filled),
 * else `dataMismatch` names the experiments and the fields that differ. An experiment with data
 * factors trains its runs on several data specs (each run's own, config.json's dataSpec): then the
 * set of its runs' data specs must be the same in every experiment. For file sources (idx, csv) the
 * paths are compared as written, not the files' contents.
 *
 * Variants keep their experiment's id as a prefix ("<experiment id>/<variant id>"), so ids never
 * collide; statistics are compare.ts's (compareSummaries): every variant against the baseline
 * (default the first experiment's baseline), paired by seed over the seeds both ran, which is all
 * of them when the experiments list the same seeds; when a variant shares no seed with the
 * baseline, the unpaired difference of the two means with Welch's t-interval and test, labelled
 * as such and Holm-adjusted with the paired ones. Experiments with a search also report
 * their search results (search/results.ts). Pure.
 */
import { validateDataSpec } from '../../engine/index.js';
import { canonicalJson } from '../canonical-json.js';
import { runDataSpec } from './run-data.js';
import type { Comparison } from '../../shared/api.js';
import { compareSummaries, experimentVariants, healthyRunCurves, storedSummaries } from './compare.js';
import type { RunCurve } from './curve-summaries.js';
import type { EpochCache } from './epochs.js';
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
  const firstSpecs = dataSpecs(first);
  for (const other of rest) {
    const otherSpecs = dataSpecs(other);
    if ([...firstSpecs.keys()].join('\n') === [...otherSpecs.keys()].join('\n')) continue;
    const why =
      firstSpecs.size === 1 && otherSpecs.size === 1
        ? `${differingPaths([...firstSpecs.values()][0], [...otherSpecs.values()][0], 'data')
            .slice(0, 6)
            .join(', ')} differ`
        : `its runs use ${otherSpecs.size} data setting${otherSpecs.size === 1 ? '' : 's'}, ${first.experiment.id}'s ${firstSpecs.size}, and they are not the same (data factors)`;
    return (
      `${other.experiment.id} was trained on other data than ${first.experiment.id} (${why}); ` +
      'runs are only compared on the same data: the same source, fields, split and preprocessing'
    );
  }
  return null;
}

/** The distinct data specs an experiment's runs trained on (defaults filled), by canonical JSON, sorted. */
function dataSpecs(l: LoadedExperiment): Map<string, unknown> {
  const specs = l.runs.flatMap((r) => (r.config ? [runDataSpec(l.experiment, r.config)] : []));
  if (specs.length === 0) specs.push(l.experiment.spec.data);
  const out = new Map<string, unknown>();
  for (const spec of specs) {
    const resolved = resolvedOrAsIs(spec);
    out.set(canonicalJson(resolved), resolved);
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A data spec with its defaults filled (so a stored resolved spec and a written one agree); as it is when invalid. */
function resolvedOrAsIs(spec: unknown): unknown {
  try {
    return validateDataSpec(spec);
  } catch {
    return spec;
  }
}

/**
 * `picked`: the prefixed ids ("<experiment id>/<variant id>") of the variants to compare (default
 * all): the others are left out before the statistics, so Holm's adjustment counts only these.
 */
export function compareAcross(
  loaded: readonly LoadedExperiment[],
  baselineId: string | null = null,
  picked: ReadonlySet<string> | null = null,
): CrossComparison {
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
    const kept = (variantId: string) => picked === null || picked.has(variantId);
    variants.push(...own.map((v) => ({ ...v, id: `${id}/${v.id}`, label: `${spec.name}: ${v.label}` })).filter((v) => kept(v.id)));
    summaries.push(...mine.summaries.map(prefixed).filter((s) => kept(s.variantId)));
    damaged.push(...mine.damaged.map(prefixed).filter((s) => kept(s.variantId)));
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
    statistics: compareSummaries(variants, summaries, baseline, damaged, { welchWhenUnpaired: true }),
    search,
  };
}

/**
 * The healthy runs of every experiment with their epoch records, variant ids prefixed as in the
 * comparison (only `picked` ones when given), for the validation curves' summaries: one target
 * for all of them (curve-summaries.ts), so "epochs to target" means the same in every row.
 */
export async function crossRunCurves(
  loaded: readonly LoadedExperiment[],
  picked: ReadonlySet<string> | null = null,
  cache?: EpochCache,
): Promise<RunCurve[]> {
  const out: RunCurve[] = [];
  for (const l of loaded)
    for (const r of await healthyRunCurves(l, cache)) {
      const variantId = `${l.experiment.id}/${r.summary.variantId}`;
      if (picked === null || picked.has(variantId)) out.push({ ...r, summary: { ...r.summary, variantId } });
    }
  return out;
}

/** Paths where two JSON values differ ("data.n", "data.split.seed"). */
function differingPaths(a: unknown, b: unknown, path: string): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(a) || !isObject(b)) return canonicalJson(a ?? null) === canonicalJson(b ?? null) ? [] : [path];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.flatMap((k) => differingPaths(a[k], b[k], `${path}.${k}`));
}

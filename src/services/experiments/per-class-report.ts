/**
 * Per-class results of a stored experiment, for `ablate classes` and the report: every variant's
 * confusion statistics on validation and test (src/shared/per-class.ts) and each variant's paired
 * recall difference against the baseline (the given one, else the spec's, else the first variant).
 * Pure over a loaded experiment.
 */
import { classDifferences, perClassResults, type ClassDifference, type ClassSplit, type PerClassResults } from '../../shared/per-class.js';
import type { LoadedExperiment } from '../store/reader.js';
import { experimentVariants } from './compare.js';
import type { RunSummary } from './types.js';

export interface PerClassReport {
  baseline: string;
  labels: Record<string, string>;
  splits: Array<{
    split: ClassSplit;
    results: PerClassResults;
    /** By variant id (the baseline has none). */
    vsBaseline: Record<string, ClassDifference>;
  }>;
  /** True when some run of the experiment recorded matrices. */
  recorded: boolean;
}

export function perClassReport(loaded: LoadedExperiment, baselineId: string | null): PerClassReport {
  const variants = experimentVariants(loaded);
  const summaries: RunSummary[] = loaded.runs.flatMap((r) => (r.summary ? [r.summary] : []));
  const wanted = baselineId ?? loaded.experiment.spec.baseline ?? null;
  const baseline = variants.find((v) => v.id === wanted)?.id ?? variants[0]?.id ?? 'base';
  const ids = variants.map((v) => v.id);
  const of = (id: string) => summaries.filter((s) => s.variantId === id);
  const splits = (['validation', 'test'] as const).map((split) => {
    const results = perClassResults(ids, summaries, split);
    const vsBaseline: Record<string, ClassDifference> = {};
    for (const id of ids) if (id !== baseline) vsBaseline[id] = classDifferences(of(baseline), of(id), split, results.level);
    return { split, results, vsBaseline };
  });
  return {
    baseline,
    labels: Object.fromEntries(variants.map((v) => [v.id, v.label])),
    splits: splits.filter((s) => s.results.classNames.length > 0),
    recorded: summaries.some((s) => s.confusion),
  };
}

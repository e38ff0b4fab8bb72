/**
 * The app's comparison across experiments (Api `compareExperiments`): the variants a user picked
 * from several experiments of the store, compared as `ablate compare` does (cross-compare.ts: the
 * same data required, paired by seed where the seeds match, Welch's unpaired difference where
 * none is shared, the validation curves' summaries with one target for all), with each picked
 * variant's mean curves and its runs' epoch records (for each seed's curve), and, per variant, the
 * seeds it shares with the baseline. The picks are checked here, each refusal naming the
 * experiment or variant. Reads run summaries and metrics files (through the EpochCache when the
 * caller keeps one).
 */
import { quoteInput } from '../../engine/index.js';
import type { CrossComparison, CrossRunCurve } from '../../shared/api.js';
import { curveEpoch } from '../../shared/curve-epoch.js';
import type { LoadedExperiment } from '../store/reader.js';
import { addCurveSummaries, compareCurves, countsInStatistics, curveRuns, experimentVariants, storedSummaries } from './compare.js';
import { compareAcross, crossRunCurves, dataMismatch } from './cross-compare.js';
import { epochsOf, type EpochCache, type EpochRecord } from './epochs.js';

export interface CrossPick {
  experimentId: string;
  /** Variant ids of that experiment (unprefixed). */
  variantIds: string[];
}

/** Why these picks cannot be compared as asked (before loading anything), or null. */
export function picksProblem(picks: readonly CrossPick[]): string | null {
  if (picks.length < 2) return 'pick variants from at least two experiments (one experiment is compared in its own Compare tab)';
  const ids = picks.map((p) => p.experimentId);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) return `experiment ${twice} is picked twice`;
  const empty = picks.find((p) => p.variantIds.length === 0);
  if (empty) return `pick at least one variant of experiment ${empty.experimentId}`;
  return null;
}

/**
 * The comparison of the picked variants; `loaded` in the order of `picks`. `baseline`: a prefixed
 * variant id among the picked ones (default the first picked variant).
 */
export async function crossComparison(
  loaded: readonly LoadedExperiment[],
  picks: readonly CrossPick[],
  baseline: string | null,
  cache?: EpochCache,
): Promise<CrossComparison> {
  const problem = picksProblem(picks);
  if (problem) throw new Error(problem);
  const mismatch = dataMismatch(loaded);
  if (mismatch) throw new Error(mismatch);
  const picked = new Set<string>();
  const curves: CrossComparison['comparison']['curves'] = {};
  const runs: Record<string, CrossRunCurve[]> = {};
  const healthySeeds = new Map<string, Set<number>>();
  for (const [i, l] of loaded.entries()) {
    const { id } = l.experiment;
    const variants = experimentVariants(l);
    const wanted = new Set(picks[i].variantIds);
    const unknown = [...wanted].find((v) => !variants.some((own) => own.id === v));
    if (unknown !== undefined) {
      const known = variants.map((v) => v.id);
      throw new Error(
        `experiment ${id} has no variant ${quoteInput(unknown)}; its variants: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', ...' : ''}`,
      );
    }
    const chosen = variants.filter((v) => wanted.has(v.id));
    for (const v of chosen) picked.add(`${id}/${v.id}`);
    for (const [variantId, bands] of Object.entries(await compareCurves(l, chosen, cache))) curves[`${id}/${variantId}`] = bands;
    for (const v of chosen) runs[`${id}/${v.id}`] = await seedCurves(l, v.id, cache);
    for (const s of storedSummaries(l).summaries.filter(countsInStatistics)) {
      const key = `${id}/${s.variantId}`;
      if (!healthySeeds.has(key)) healthySeeds.set(key, new Set());
      healthySeeds.get(key)!.add(s.seed);
    }
  }
  const first = [...picked][0];
  if (baseline !== null && !picked.has(baseline))
    throw new Error(`the baseline ${quoteInput(baseline)} is not among the picked variants; pick it, or choose one of them`);
  const across = compareAcross(loaded, baseline ?? first, picked);
  const stats = addCurveSummaries(await crossRunCurves(loaded, picked, cache), across.statistics, { welchWhenUnpaired: true });
  const baseSeeds = healthySeeds.get(stats.baseline) ?? new Set<number>();
  const sharedSeeds: Record<string, number[]> = {};
  for (const v of stats.variants) {
    if (v.variantId === stats.baseline) continue;
    sharedSeeds[v.variantId] = [...(healthySeeds.get(v.variantId) ?? [])].filter((s) => baseSeeds.has(s)).sort((a, b) => a - b);
  }
  const experiments = loaded.map((l) => ({
    id: l.experiment.id,
    name: l.experiment.spec.name,
    seeds: [
      ...new Set(
        storedSummaries(l)
          .summaries.filter(countsInStatistics)
          .map((s) => s.seed),
      ),
    ].sort((a, b) => a - b),
  }));
  return { experiments, comparison: { ...stats, curves }, sharedSeeds, runs };
}

/** Each run of a variant that counts in the curves, with its epochs (the fields curves need). */
async function seedCurves(l: LoadedExperiment, variantId: string, cache?: EpochCache): Promise<CrossRunCurve[]> {
  return Promise.all(
    curveRuns(l, variantId).map(async (r) => {
      const epochs = await epochsOf(r, cache).catch((): EpochRecord[] => []);
      return {
        seed: r.config!.seed,
        bestEpoch: r.summary?.bestEpoch ?? null,
        stoppedEpoch: r.summary?.stoppedEpoch ?? null,
        epochs: epochs.map(curveEpoch),
      };
    }),
  );
}

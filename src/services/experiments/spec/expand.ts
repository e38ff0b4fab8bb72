/**
 * Expands a validated experiment into its variants and runs: one run per (variant, seed), ordered
 * by variant (grid order, grid.ts) then by seed (as listed). Each run carries its fully resolved
 * engine config, whose `seed` is the run's seed.
 *
 * Common random numbers: the engine keys every random stream by the run's seed (init by layer,
 * data order by epoch, dropout masks by step, layer and row), and the data split has its own seed
 * shared by all runs, so runs with the same seed in different variants see the same split, the
 * same data order and, where shapes agree, the same initial draws and masks. Differences between
 * variants are then paired by seed (stats.ts), which removes much of the seed-to-seed noise.
 *
 * Each run also carries its variant's resolved data spec (data factors, data-factors.ts, change
 * it; the split seed never changes, so runs with the same seed keep the same validation and test rows).
 *
 * A bayes search grows with its finished runs: `observed` (search/observed.ts) gives them, and
 * without it only the startup trials are expanded (search/trials.ts).
 *
 * Expects a spec that passed validateExperiment; throws ExperimentError (naming the variant) if a
 * factor or a variant's config is invalid anyway. Same spec, same ids in the same order. Pure.
 */
import { ConfigError, type ResolvedDataSpec, type ResolvedRunConfig, validateDataSpec, validateRunConfig } from '../../../engine/index.js';
import type { Observed } from '../search/trials.js';
import type { ExperimentSpec, PlannedRun, Variant } from '../types.js';
import { ExperimentError } from './errors.js';
import { experimentFactors, factorPath, plannedGridSize, runId, variantConfig, variantGrid } from './grid.js';
import { checkSeeds, expandSeeds } from './seeds.js';

export interface ExpandedExperiment {
  variants: Variant[];
  runs: PlannedRun[];
  seeds: number[];
}

export function expandExperiment(spec: ExperimentSpec, fileName = 'experiment', observed?: Observed): ExpandedExperiment {
  const seedIssues = checkSeeds(spec.seeds);
  if (seedIssues.length > 0) throw new ExperimentError(fileName, seedIssues);
  const seeds = expandSeeds(spec.seeds);
  const { factors, issues } = experimentFactors(spec, seeds, observed);
  if (issues.length > 0) throw new ExperimentError(fileName, issues);
  const grid = variantGrid(factors);
  const planned = plannedGridSize(factors);
  const runs: PlannedRun[] = [];
  for (const { index, variant, levels } of grid) {
    const { config, error, failed } = variantConfig(spec, levels);
    if (error)
      throw new ExperimentError(fileName, [{ path: factorPath(factors[failed]), message: `in variant "${variant.id}": ${error}` }]);
    let resolved: ResolvedRunConfig;
    try {
      resolved = validateRunConfig({ model: config.model, train: config.train, seed: seeds[0] });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      throw new ExperimentError(
        fileName,
        e.issues.map((i) => ({ path: i.path, message: `in variant "${variant.id}": ${i.message}` })),
      );
    }
    let data: ResolvedDataSpec | undefined;
    try {
      data = config.data === undefined ? undefined : validateDataSpec(config.data);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      throw new ExperimentError(
        fileName,
        e.issues.map((i) => ({ path: i.path, message: `in variant "${variant.id}": ${i.message}` })),
      );
    }
    for (const seed of seeds) {
      // Each run gets its own copy: resolved configs share nested objects with their input.
      const run: PlannedRun = {
        id: runId(index, planned, variant.id, seed),
        variant,
        seed,
        config: { ...structuredClone(resolved), seed },
      };
      if (data !== undefined) run.data = structuredClone(data);
      runs.push(run);
    }
  }
  return { variants: grid.map((g) => g.variant), runs, seeds };
}

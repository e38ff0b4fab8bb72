/**
 * The learning-rate range test of an experiment (docs/experiments.md, "Learning-rate finder"): for
 * each variant chosen (all by default; the base model when the experiment compares nothing), the
 * variant's config at the experiment's first seed, trained in process by the engine's
 * lrRangeTest on its own training split (data factors give variants their own data). Deterministic
 * from that seed. Main thread; no
 * store (nothing is written).
 */
import {
  checkConfigFitsData,
  effectiveKernelSet,
  kernelFactory,
  lrRangeTest,
  type KernelSetName,
  type LrRangeOptions,
} from '../../engine/index.js';
import { preparedPerSpec } from './run-data.js';
import { dataShape, sharedDataset, withAbsoluteDataPaths } from './runner.js';
import { expandExperiment } from './spec/expand.js';
import type { LrFindResult, LrFindVariant } from '../../shared/types/lr-find.js';
import type { ExperimentSpec, Variant } from './types.js';

export type { LrFindResult, LrFindVariant };

/** The experiment's variants (ids and labels), for checking a requested subset before any training. */
export function lrFindVariants(spec: ExperimentSpec): Variant[] {
  return expandExperiment(spec).variants;
}

export async function lrFind(
  given: ExperimentSpec,
  o: { variantIds?: readonly string[]; options: LrRangeOptions; baseDir: string; embeddedDir: string; kernels?: KernelSetName },
): Promise<LrFindResult> {
  const spec = withAbsoluteDataPaths(given, o.baseDir);
  const { variants, runs, seeds } = expandExperiment(spec);
  const chosen = o.variantIds && o.variantIds.length > 0 ? variants.filter((v) => o.variantIds!.includes(v.id)) : variants;
  const kernels = effectiveKernelSet(spec.execution?.kernels ?? o.kernels);
  const preparedOf = preparedPerSpec({ embeddedDir: o.embeddedDir, baseDir: o.baseDir });
  const out: LrFindVariant[] = [];
  let trainRows: number | null = null;
  for (const v of chosen) {
    const run = runs.find((r) => r.variant.id === v.id && r.seed === seeds[0])!;
    const prepared = await preparedOf(run.data ?? spec.data);
    trainRows ??= prepared.splits.train.length;
    checkConfigFitsData(run.config, dataShape(prepared));
    const data = { ...sharedDataset(prepared), ...prepared.splits };
    out.push({ variantId: v.id, label: v.label, result: lrRangeTest(run.config, data, o.options, kernelFactory(kernels)) });
  }
  trainRows ??= (await preparedOf(spec.data)).splits.train.length;
  return { seed: seeds[0], kernels, trainRows, variants: out };
}

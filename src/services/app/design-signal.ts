/**
 * Signal propagation at initialization of a design that has not run yet, for the Design tab:
 * every variant (at most MAX_VARIANTS, first seed of each) measured on its own first training
 * batch of its own data (data factors give variants their own), with the reading of
 * experiments/signal.ts. Main thread.
 */
import { checkConfigFitsData, type PreparedData, signalAtInit } from '../../engine/index.js';
import type { DesignSignal } from '../../shared/types/signal.js';
import { dataShape } from '../experiments/runner.js';
import { batchSource, readSignal } from '../experiments/signal.js';
import { expandExperiment } from '../experiments/spec/expand.js';
import type { ExperimentSpec } from '../experiments/types.js';

/** Designs with more variants than this are measured on their first MAX_VARIANTS (the answer says so). */
export const MAX_VARIANTS = 24;

/**
 * The signal of each variant of a (validated, absolute-path) spec; `preparedOf` prepares a
 * variant's data spec (the same spec may be asked for more than once: cache it, as
 * run-data.ts preparedPerSpec does).
 */
export async function designSignal(spec: ExperimentSpec, preparedOf: (data: unknown) => Promise<PreparedData>): Promise<DesignSignal> {
  const { variants, runs } = expandExperiment(spec);
  const measured: DesignSignal['variants'] = [];
  let first: PreparedData | null = null;
  for (const v of variants.slice(0, MAX_VARIANTS)) {
    const run = runs.find((r) => r.variant.id === v.id)!;
    const prepared = await preparedOf(run.data ?? spec.data);
    first ??= prepared;
    checkConfigFitsData(run.config, dataShape(prepared));
    const s = signalAtInit(run.config, batchSource(prepared), prepared.splits.train);
    measured.push({ variantId: v.id, label: v.label, seed: run.seed, ...s, reading: readSignal(s.layers) });
  }
  const base = first ?? (await preparedOf(spec.data));
  return { dataset: base.dataset.name, trainRows: base.splits.train.length, variants: measured, totalVariants: variants.length };
}

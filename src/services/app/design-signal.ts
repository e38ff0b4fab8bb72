/**
 * Signal propagation at initialization of a design that has not run yet, for the Design tab:
 * every variant (at most MAX_VARIANTS, first seed of each) measured on its own first training
 * batch of the prepared data, with the reading of experiments/signal.ts. Main thread.
 */
import { checkConfigFitsData, type PreparedData, signalAtInit } from '../../engine/index.js';
import type { DesignSignal } from '../../shared/types/signal.js';
import { dataShape } from '../experiments/runner.js';
import { batchSource, readSignal } from '../experiments/signal.js';
import { expandExperiment } from '../experiments/spec/expand.js';
import type { ExperimentSpec } from '../experiments/types.js';

/** Designs with more variants than this are measured on their first MAX_VARIANTS (the answer says so). */
export const MAX_VARIANTS = 24;

/** The signal of each variant of a (validated, absolute-path) spec on already prepared data. */
export function designSignal(spec: ExperimentSpec, prepared: PreparedData): DesignSignal {
  const { variants, runs } = expandExperiment(spec);
  const shape = dataShape(prepared);
  const measured = variants.slice(0, MAX_VARIANTS).map((v) => {
    const run = runs.find((r) => r.variant.id === v.id)!;
    checkConfigFitsData(run.config, shape);
    const s = signalAtInit(run.config, batchSource(prepared), prepared.splits.train);
    return { variantId: v.id, label: v.label, seed: run.seed, ...s, reading: readSignal(s.layers) };
  });
  return { dataset: prepared.dataset.name, trainRows: prepared.splits.train.length, variants: measured, totalVariants: variants.length };
}

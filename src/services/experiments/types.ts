/**
 * The experiment data model of the services. The types the UI sees too live in
 * src/shared/types/experiment.ts and are re-exported here; what stays is what only the services
 * use (a planned run carries its fully resolved engine config).
 */
import type { HalvingRule, ResolvedDataSpec, ResolvedRunConfig } from '../../engine/portable.js';
import type { Variant } from '../../shared/types/experiment.js';

export type {
  ExperimentSpec,
  MetricRecord,
  RunConfusion,
  RunSummary,
  SearchSpec,
  StoredExperiment,
  Variant,
} from '../../shared/types/experiment.js';

export const EXPERIMENT_VERSION = 1;

export interface PlannedRun {
  /** Stable id: `${variant index}-${slug}-s${seed}`, unique in the experiment. */
  id: string;
  variant: Variant;
  seed: number;
  config: ResolvedRunConfig;
  /** The variant's data spec, defaults filled (the experiment's, changed by its data factors); absent only without data. */
  data?: ResolvedDataSpec;
  /** A search with successive halving: the run's stop rule, its bars from earlier rounds (search/halving.ts). */
  halving?: HalvingRule;
}

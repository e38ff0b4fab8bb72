/**
 * What the Compare tab's hyperparameter views draw of a search (services/experiments/search/
 * search-view.ts makes it): the searched dimensions, and per compare variant ("cell") every trial's
 * drawn values and its metrics (mean over the seeds whose runs ended healthy, the 95% interval
 * bounded to the metric's range, and each seed's value), the best trial, the runner-up with the
 * paired difference, and factor importance with its uncertainty over seeds. Plain JSON.
 */

/** A searched dimension: how its values were drawn (a log axis for "log" and "logInt"). */
export interface SearchAxis {
  key: string;
  kind: 'uniform' | 'log' | 'int' | 'logInt' | 'choice';
  /** The range's ends (ranges only). */
  lo: number | null;
  hi: number | null;
  /** The listed values, as text (lists only). */
  choices: string[] | null;
}

/** A metric of one trial over its healthy seeds. */
export interface TrialMetric {
  mean: number;
  /** 95% interval of the mean (null with fewer than two seeds). */
  lower: number | null;
  upper: number | null;
  n: number;
  /** Each healthy seed's value, by seed. */
  seeds: Array<{ seed: number; value: number }>;
}

export interface SearchTrialView {
  variantId: string;
  /** 1-based trial number. */
  trial: number;
  label: string;
  /** The drawn value of each searched factor. */
  values: Record<string, unknown>;
  /** Rank by the objective (1 = best), null when the trial has no healthy run. */
  rank: number | null;
  /** Metrics with at least one healthy value (the objective among them when it has one). */
  metrics: Record<string, TrialMetric>;
  /** Runs of the trial that ended, by recorded status ("completed", "diverged", ...). */
  statuses: Record<string, number>;
}

export interface SearchImportanceView {
  key: string;
  /** Mean over seeds of the importance, its 95% interval (null with one seed). */
  mean: number;
  lower: number | null;
  upper: number | null;
  perSeed: Array<{ seed: number; value: number }>;
  /** What a factor without effect scores on average. */
  chance: number;
}

export interface SearchCellView {
  /** The compare part of the variant ids ("activation=relu"), or "" without compare. */
  cell: string;
  trials: SearchTrialView[];
  /** Variant ids of the best and second-best trials by the objective. */
  best: string | null;
  runnerUp: string | null;
  /** Best minus runner-up, paired by seed; null without two ranked trials sharing a seed. */
  bestVsRunnerUp: { mean: number; lower: number | null; upper: number | null; n: number; p: number | null } | null;
  importance: SearchImportanceView[];
}

export interface SearchView {
  method: string;
  objective: { metric: string; goal: 'min' | 'max' };
  axes: SearchAxis[];
  /** Metrics any trial has, the objective first. */
  metrics: string[];
  /** How importance is computed, in a sentence the views show. */
  importanceMethod: string;
  cells: SearchCellView[];
}

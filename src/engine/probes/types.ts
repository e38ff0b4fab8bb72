/**
 * Diagnostics records: what the probes measure inside a run, per layer, every N steps and per
 * epoch. Plain data that crosses threads and lands in metrics.ndjson. Definitions of every field
 * are in README.md ("Metrics").
 */
import { DIAGNOSTICS_DEFAULTS } from '../config/defaults.js';

export interface ValueStats {
  mean: number;
  std: number;
  /** Fraction of entries exactly 0. */
  zeroFraction: number;
}

export interface Histogram {
  /** Fixed bin edges: `bins` equal bins over [lo, hi]; values outside land in the end bins. */
  lo: number;
  hi: number;
  counts: number[];
}

export interface LayerDiagnostics {
  /** Linear layer index: 0..hidden-1 for hidden layers, hidden for the output layer. */
  layer: number;
  name: string;
  /** Frobenius norm of dLoss/dW (weights only, before clipping, penalty gradients included). */
  gradNorm: number;
  /** Frobenius norm of W after the step. */
  weightNorm: number;
  /** ||W_after - W_before|| / ||W_before|| for this step. */
  updateRatio: number;
  /** Linear outputs z (hidden layers only; null for the output layer). */
  preActivation: ValueStats | null;
  /** Activation outputs a = f(.) of the batch (hidden layers only). */
  activation: ValueStats | null;
  /** Fraction of activations in the flat tails: sigmoid < 0.01 or > 0.99, tanh |a| > 0.99; null otherwise. */
  saturation: number | null;
  histogram: Histogram | null;
  /** The layer's weights W and their gradient dL/dW after the step, on a power-of-two range (see scaledHistogram). */
  weightHistogram: Histogram;
  gradHistogram: Histogram;
  /** Hidden layers with a residual projection P (widths differ): P's norms as for W; null otherwise. */
  projection: ProjectionDiagnostics | null;
  /** Running statistics of this layer's batch norm: mean over features of running_mean and running_var. */
  batchNorm: { runningMean: number; runningVar: number } | null;
}

export interface ProjectionDiagnostics {
  gradNorm: number;
  weightNorm: number;
  updateRatio: number;
}

/** The last step's squared gradient norm and clipping coefficient (the step program's, train/step.ts). */
export interface StepNorms {
  readonly gradNormSq: number;
  readonly clipCoef: number;
}

export interface StepDiagnostics {
  kind: 'diag';
  step: number;
  epoch: number;
  /** Global gradient norm before clipping and the clip coefficient applied (1 = none). */
  gradNorm: number;
  clipCoef: number;
  layers: LayerDiagnostics[];
}

/** Per epoch: units whose activation is exactly 0 for every validation row ("dead"). */
export interface DeadUnits {
  kind: 'dead';
  epoch: number;
  layers: Array<{ layer: number; deadFraction: number }>;
}

export interface DiagnosticsOptions {
  /** Log layer diagnostics every N steps (and at the first step). 0 disables. */
  everySteps: number;
  /** Bins of the activation histograms; weight and gradient histograms round it up to even. */
  histogramBins: number;
  /** Histogram range; activations outside are counted in the end bins. */
  histogramRange: [number, number];
  /** Track dead units over the validation set each epoch. */
  deadUnits: boolean;
}

/** The config vocabulary's defaults (diagnostics.* in an experiment file). */
export const DEFAULT_DIAGNOSTICS: DiagnosticsOptions = {
  ...DIAGNOSTICS_DEFAULTS,
  histogramRange: [...DIAGNOSTICS_DEFAULTS.histogramRange],
};

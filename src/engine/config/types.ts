/**
 * The engine's plain-JSON run configuration: what a model is and how it is trained.
 * Pure data, no behaviour. Allowed values, ranges and defaults are facts of the config vocabulary
 * (vocabulary/index.ts), read from there; validation lives in validate.ts, defaults in defaults.ts.
 * Conventions follow PyTorch unless a field says otherwise (see src/engine/README.md).
 */
import { valuesOf } from './vocabulary/index.js';

export const ACTIVATIONS = valuesOf('model.hidden[].activation');
export type ActivationName = (typeof ACTIVATIONS)[number];

/** Where a hidden layer's batch norm sits: before the activation (Ioffe & Szegedy) or after it. */
export const BATCH_NORM_PLACEMENTS = valuesOf('model.hidden[].batchNorm');
export type BatchNormPlacement = (typeof BATCH_NORM_PLACEMENTS)[number];

export interface HiddenLayerConfig {
  width: number;
  activation: ActivationName;
  /** Slope for leaky_relu or scale for elu (defaults in the vocabulary). Ignored otherwise. */
  alpha?: number;
  batchNorm?: BatchNormPlacement;
  /** Inverted dropout probability after the activation (and after a post batch norm), in [0, 1). */
  dropout?: number;
  /** out = f(in) + in, or f(in) + P in through a learned projection when the widths differ. */
  residual?: boolean;
}

/**
 * The output head fixes the loss: softmax -> softmax cross-entropy on class indices,
 * sigmoid -> binary cross-entropy with logits on 0/1 targets, linear -> mean squared error.
 */
export const HEADS = valuesOf('model.head');
export type Head = (typeof HEADS)[number];

export const INITIALIZERS = valuesOf('model.init.weights');
export type InitializerName = (typeof INITIALIZERS)[number];

export const BIAS_INITIALIZERS = valuesOf('model.init.bias');

export interface InitConfig {
  /** Weight initializer; gains follow torch.nn.init.calculate_gain for the layer's activation. */
  weights: InitializerName;
  /** Bias initializer: zeros (Keras) or torch_default (PyTorch Linear). */
  bias: (typeof BIAS_INITIALIZERS)[number];
  /** Standard deviation of the `normal` initializer (a deliberately bad init for teaching). */
  sigma?: number;
  /** Every weight of the `constant` initializer. */
  value?: number;
}

export interface ModelConfig {
  inputSize: number;
  hidden: HiddenLayerConfig[];
  outputSize: number;
  head: Head;
  init: InitConfig;
}

export const OPTIMIZERS = valuesOf('train.optimizer.name');

export interface SgdConfig {
  name: 'sgd';
  lr: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
}

export interface AdamConfig {
  name: 'adam' | 'adamw';
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** adam: coupled L2 (added to the gradient); adamw: decoupled (theta -= lr * wd * theta). */
  weightDecay?: number;
}

/** RMSprop (PyTorch 1.13): coupled weight decay, optional momentum and centering. */
export interface RmspropConfig {
  name: 'rmsprop';
  lr: number;
  alpha?: number;
  eps?: number;
  momentum?: number;
  centered?: boolean;
  weightDecay?: number;
}

/** Adagrad (PyTorch 1.13): coupled weight decay, learning-rate decay per step. */
export interface AdagradConfig {
  name: 'adagrad';
  lr: number;
  eps?: number;
  lrDecay?: number;
  initialAccumulatorValue?: number;
  weightDecay?: number;
}

export type OptimizerConfig = SgdConfig | AdamConfig | RmspropConfig | AdagradConfig;

export const SCHEDULES = valuesOf('train.schedule.name');
export const PLATEAU_MONITORS = valuesOf('train.schedule.monitor');

export type ScheduleConfig =
  | { name: 'constant' }
  | { name: 'step'; stepSize: number; gamma?: number }
  | { name: 'cosine'; tMax?: number; etaMin?: number }
  | {
      name: 'plateau';
      monitor?: (typeof PLATEAU_MONITORS)[number];
      factor?: number;
      patience?: number;
      threshold?: number;
      cooldown?: number;
      minLr?: number;
    }
  | { name: 'exponential'; gamma: number }
  | { name: 'onecycle'; pctStart?: number; divFactor?: number; finalDivFactor?: number };

/** Linear warmup before the schedule (SequentialLR of LinearLR, then the schedule). */
export interface WarmupConfig {
  epochs: number;
  startFactor?: number;
}

export const CLIP_KINDS = valuesOf('train.clip.kind');

export type ClipConfig = { kind: 'none' } | { kind: 'norm'; maxNorm: number } | { kind: 'value'; value: number };

export const MONITORS = valuesOf('train.earlyStopping.monitor');
export type Monitor = (typeof MONITORS)[number];

export interface EarlyStoppingConfig {
  monitor?: Monitor;
  minDelta?: number;
  patience?: number;
  restoreBestWeights?: boolean;
  startFromEpoch?: number;
}

export interface TrainConfig {
  epochs: number;
  batchSize: number;
  /** Drop an incomplete last batch (PyTorch drop_last). Default false: it is kept. */
  dropLast?: boolean;
  optimizer: OptimizerConfig;
  /** Exclude biases and batch-norm gamma/beta from weight decay. Default false (PyTorch). */
  decayWeightsOnly?: boolean;
  /** Loss terms: l1 * sum|W| and l2 * sum W^2 over linear weights (not biases). */
  penalties?: { l1?: number; l2?: number };
  schedule?: ScheduleConfig;
  /** Linear warmup epochs before the schedule (not with plateau or onecycle). */
  warmup?: WarmupConfig;
  clip?: ClipConfig;
  earlyStopping?: EarlyStoppingConfig | null;
  /**
   * A run is diverged (and stops) when a step's training loss exceeds this multiple of the first
   * step's loss; a NaN or infinite loss or gradient always is. null keeps only the NaN/infinity
   * rule. Default 100 (DEFAULT_DIVERGENCE_FACTOR).
   */
  divergenceFactor?: number | null;
  /**
   * The most parts a mini-batch's rows are cut into (two per thread, in chunks of 16 to 64 rows),
   * and the number of blocks of the weight gradients and updates (run/work-plan.ts). The result never
   * depends on it (see the determinism contract in src/engine/README.md); it only tunes speed.
   */
  chunks?: number;
}

export interface RunConfig {
  model: ModelConfig;
  train: TrainConfig;
  seed: number;
}

// The hand-written union types above name exactly the vocabulary's values (compile-time checks).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const agree: [
  Same<OptimizerConfig['name'], (typeof OPTIMIZERS)[number]>,
  Same<ScheduleConfig['name'], (typeof SCHEDULES)[number]>,
  Same<ClipConfig['kind'], (typeof CLIP_KINDS)[number]>,
] = [true, true, true];
void agree;

/**
 * The engine's plain-JSON run configuration: what a model is and how it is trained.
 * Pure data, no behaviour. Validation lives in validate.ts, defaults in defaults.ts.
 * Conventions follow PyTorch unless a field says otherwise (see src/engine/README.md).
 */

export const ACTIVATIONS = ['identity', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'gelu', 'gelu_tanh', 'selu', 'softplus'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

/** Where a hidden layer's batch norm sits: before the activation (Ioffe & Szegedy) or after it. */
export const BATCH_NORM_PLACEMENTS = ['none', 'pre', 'post'] as const;
export type BatchNormPlacement = (typeof BATCH_NORM_PLACEMENTS)[number];

export interface HiddenLayerConfig {
  width: number;
  activation: ActivationName;
  /** Slope for leaky_relu (default 0.01) or scale for elu (default 1). Ignored otherwise. */
  alpha?: number;
  batchNorm?: BatchNormPlacement;
  /** Inverted dropout probability after the activation (and after a post batch norm), in [0, 1). */
  dropout?: number;
  /** out = in + f(in); the layer's width must equal its input width (no projection). */
  residual?: boolean;
}

/**
 * The output head fixes the loss: softmax -> softmax cross-entropy on class indices,
 * sigmoid -> binary cross-entropy with logits on 0/1 targets, linear -> mean squared error.
 */
export const HEADS = ['softmax', 'sigmoid', 'linear'] as const;
export type Head = (typeof HEADS)[number];

export const INITIALIZERS = [
  'glorot_uniform',
  'glorot_normal',
  'he_uniform',
  'he_normal',
  'lecun_uniform',
  'lecun_normal',
  'torch_default',
  'zeros',
  'normal',
] as const;
export type InitializerName = (typeof INITIALIZERS)[number];

export interface InitConfig {
  /** Weight initializer; gains follow torch.nn.init.calculate_gain for the layer's activation. */
  weights: InitializerName;
  /** Bias initializer: zeros (Keras) or torch_default (PyTorch Linear). */
  bias: 'zeros' | 'torch_default';
  /** Standard deviation of the `normal` initializer (a deliberately bad init for teaching). */
  sigma?: number;
}

export interface ModelConfig {
  inputSize: number;
  hidden: HiddenLayerConfig[];
  outputSize: number;
  head: Head;
  init: InitConfig;
}

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

export type OptimizerConfig = SgdConfig | AdamConfig;

export type ScheduleConfig =
  | { name: 'constant' }
  | { name: 'step'; stepSize: number; gamma?: number }
  | { name: 'cosine'; tMax?: number; etaMin?: number }
  | {
      name: 'plateau';
      monitor?: 'val_loss' | 'train_loss';
      factor?: number;
      patience?: number;
      threshold?: number;
      cooldown?: number;
      minLr?: number;
    };

export type ClipConfig = { kind: 'none' } | { kind: 'norm'; maxNorm: number } | { kind: 'value'; value: number };

export const MONITORS = ['val_loss', 'val_accuracy', 'train_loss', 'train_accuracy'] as const;
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
  clip?: ClipConfig;
  earlyStopping?: EarlyStoppingConfig | null;
  /**
   * A run is diverged (and stops) when a step's training loss exceeds this multiple of the first
   * step's loss; a NaN or infinite loss or gradient always is. null keeps only the NaN/infinity
   * rule. Default 100 (DEFAULT_DIVERGENCE_FACTOR).
   */
  divergenceFactor?: number | null;
  /**
   * Rows of a mini-batch per work unit are ceil(batch / chunks). The result never depends on it
   * (see the determinism contract in src/engine/README.md); it only tunes parallel speed.
   */
  chunks?: number;
}

export interface RunConfig {
  model: ModelConfig;
  train: TrainConfig;
  seed: number;
}

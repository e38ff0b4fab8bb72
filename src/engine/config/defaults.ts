/**
 * Fills every optional field of a validated RunConfig with its documented default, so the rest of
 * the engine reads plain numbers. Defaults are PyTorch's unless noted.
 */
import type {
  ActivationName,
  BatchNormPlacement,
  ClipConfig,
  EarlyStoppingConfig,
  HiddenLayerConfig,
  Monitor,
  OptimizerConfig,
  RunConfig,
  ScheduleConfig,
} from './types.js';

export interface ResolvedHiddenLayer {
  width: number;
  activation: ActivationName;
  alpha: number;
  batchNorm: BatchNormPlacement;
  dropout: number;
  residual: boolean;
}

export interface ResolvedOptimizer {
  name: 'sgd' | 'adam' | 'adamw';
  lr: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

export interface ResolvedEarlyStopping {
  monitor: Monitor;
  minDelta: number;
  patience: number;
  restoreBestWeights: boolean;
  startFromEpoch: number;
}

export interface ResolvedRunConfig extends RunConfig {
  model: RunConfig['model'] & { hidden: ResolvedHiddenLayer[] };
  train: RunConfig['train'] & {
    dropLast: boolean;
    optimizer: ResolvedOptimizer;
    decayWeightsOnly: boolean;
    penalties: { l1: number; l2: number };
    schedule: ScheduleConfig;
    clip: ClipConfig;
    earlyStopping: ResolvedEarlyStopping | null;
    divergenceFactor: number | null;
    chunks: number;
  };
}

/** Batch-norm constants (PyTorch BatchNorm1d). */
export const BN_EPS = 1e-5;
export const BN_MOMENTUM = 0.1;

export function defaultAlpha(activation: ActivationName): number {
  if (activation === 'leaky_relu') return 0.01;
  if (activation === 'elu') return 1;
  return 0;
}

export function resolveHidden(layer: HiddenLayerConfig): ResolvedHiddenLayer {
  return {
    width: layer.width,
    activation: layer.activation,
    alpha: layer.alpha ?? defaultAlpha(layer.activation),
    batchNorm: layer.batchNorm ?? 'none',
    dropout: layer.dropout ?? 0,
    residual: layer.residual ?? false,
  };
}

export function resolveOptimizer(opt: OptimizerConfig): ResolvedOptimizer {
  const base = { momentum: 0, dampening: 0, nesterov: false, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
  if (opt.name === 'sgd') {
    return {
      ...base,
      name: 'sgd',
      lr: opt.lr,
      momentum: opt.momentum ?? 0,
      dampening: opt.dampening ?? 0,
      nesterov: opt.nesterov ?? false,
      weightDecay: opt.weightDecay ?? 0,
    };
  }
  return {
    ...base,
    name: opt.name,
    lr: opt.lr,
    beta1: opt.beta1 ?? 0.9,
    beta2: opt.beta2 ?? 0.999,
    eps: opt.eps ?? 1e-8,
    weightDecay: opt.weightDecay ?? (opt.name === 'adamw' ? 1e-2 : 0),
  };
}

export function resolveEarlyStopping(es: EarlyStoppingConfig | null | undefined): ResolvedEarlyStopping | null {
  if (!es) return null;
  return {
    monitor: es.monitor ?? 'val_loss',
    minDelta: es.minDelta ?? 0,
    patience: es.patience ?? 0,
    restoreBestWeights: es.restoreBestWeights ?? false,
    startFromEpoch: es.startFromEpoch ?? 0,
  };
}

export const DEFAULT_CHUNKS = 8;

/**
 * Default of train.divergenceFactor. Healthy runs of the shipped examples never see a batch loss
 * above 1.14 x the first one; the spiral with SGD at lr 500 of issue 13 reaches 4,000 x to 1e16 x
 * within its first epoch. 100 sits between the two with a wide margin on both sides.
 */
export const DEFAULT_DIVERGENCE_FACTOR = 100;

/** Expects a config that passed validateRunConfig. */
export function resolveRunConfig(config: RunConfig): ResolvedRunConfig {
  const t = config.train;
  return {
    seed: config.seed,
    model: { ...config.model, hidden: config.model.hidden.map(resolveHidden) },
    train: {
      ...t,
      dropLast: t.dropLast ?? false,
      optimizer: resolveOptimizer(t.optimizer),
      decayWeightsOnly: t.decayWeightsOnly ?? false,
      penalties: { l1: t.penalties?.l1 ?? 0, l2: t.penalties?.l2 ?? 0 },
      schedule: t.schedule ?? { name: 'constant' },
      clip: t.clip ?? { kind: 'none' },
      earlyStopping: resolveEarlyStopping(t.earlyStopping),
      divergenceFactor: t.divergenceFactor === undefined ? DEFAULT_DIVERGENCE_FACTOR : t.divergenceFactor,
      chunks: t.chunks ?? DEFAULT_CHUNKS,
    },
  };
}

/**
 * Fills every optional field of a validated RunConfig with its documented default, so the rest of
 * the engine reads plain numbers. The defaults are the config vocabulary's (vocabulary/index.ts),
 * PyTorch's unless noted there; this file only applies them.
 */
import { BATCH_NORM_CONSTANTS, defaultOf } from './vocabulary/index.js';
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
  name: 'sgd' | 'adam' | 'adamw' | 'rmsprop' | 'adagrad';
  lr: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  alpha: number;
  centered: boolean;
  lrDecay: number;
  initialAccumulatorValue: number;
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

/** A default the vocabulary must hold as a value of this type (checked once, when the module loads). */
function fixed<T extends number | boolean | string>(
  key: string,
  type: 'number' | 'boolean' | 'string',
  sibling?: Record<string, string>,
): T {
  const v = defaultOf(key, sibling ? (name) => sibling[name] : undefined);
  if (typeof v !== type) throw new Error(`config vocabulary: ${key} has no ${type} default`);
  return v as T;
}

const D = {
  leakyReluAlpha: fixed<number>('model.hidden[].alpha', 'number', { activation: 'leaky_relu' }),
  eluAlpha: fixed<number>('model.hidden[].alpha', 'number', { activation: 'elu' }),
  otherAlpha: fixed<number>('model.hidden[].alpha', 'number', {}),
  batchNorm: fixed<BatchNormPlacement>('model.hidden[].batchNorm', 'string'),
  dropout: fixed<number>('model.hidden[].dropout', 'number'),
  residual: fixed<boolean>('model.hidden[].residual', 'boolean'),
  momentum: fixed<number>('train.optimizer.momentum', 'number'),
  dampening: fixed<number>('train.optimizer.dampening', 'number'),
  nesterov: fixed<boolean>('train.optimizer.nesterov', 'boolean'),
  beta1: fixed<number>('train.optimizer.beta1', 'number'),
  beta2: fixed<number>('train.optimizer.beta2', 'number'),
  eps: {
    adam: fixed<number>('train.optimizer.eps', 'number', { name: 'adam' }),
    adamw: fixed<number>('train.optimizer.eps', 'number', { name: 'adamw' }),
    rmsprop: fixed<number>('train.optimizer.eps', 'number', { name: 'rmsprop' }),
    adagrad: fixed<number>('train.optimizer.eps', 'number', { name: 'adagrad' }),
  },
  weightDecay: {
    sgd: fixed<number>('train.optimizer.weightDecay', 'number', { name: 'sgd' }),
    adam: fixed<number>('train.optimizer.weightDecay', 'number', { name: 'adam' }),
    adamw: fixed<number>('train.optimizer.weightDecay', 'number', { name: 'adamw' }),
    rmsprop: fixed<number>('train.optimizer.weightDecay', 'number', { name: 'rmsprop' }),
    adagrad: fixed<number>('train.optimizer.weightDecay', 'number', { name: 'adagrad' }),
  },
  rmspropAlpha: fixed<number>('train.optimizer.alpha', 'number'),
  centered: fixed<boolean>('train.optimizer.centered', 'boolean'),
  lrDecay: fixed<number>('train.optimizer.lrDecay', 'number'),
  initialAccumulatorValue: fixed<number>('train.optimizer.initialAccumulatorValue', 'number'),
  dropLast: fixed<boolean>('train.dropLast', 'boolean'),
  decayWeightsOnly: fixed<boolean>('train.decayWeightsOnly', 'boolean'),
  l1: fixed<number>('train.penalties.l1', 'number'),
  l2: fixed<number>('train.penalties.l2', 'number'),
  monitor: fixed<Monitor>('train.earlyStopping.monitor', 'string'),
  minDelta: fixed<number>('train.earlyStopping.minDelta', 'number'),
  patience: fixed<number>('train.earlyStopping.patience', 'number'),
  restoreBestWeights: fixed<boolean>('train.earlyStopping.restoreBestWeights', 'boolean'),
  startFromEpoch: fixed<number>('train.earlyStopping.startFromEpoch', 'number'),
  chunks: fixed<number>('train.chunks', 'number'),
  divergenceFactor: fixed<number>('train.divergenceFactor', 'number'),
} as const;

/** Batch-norm constants (PyTorch BatchNorm1d). */
export const BN_EPS: number = BATCH_NORM_CONSTANTS.eps;
export const BN_MOMENTUM: number = BATCH_NORM_CONSTANTS.momentum;

export function defaultAlpha(activation: ActivationName): number {
  if (activation === 'leaky_relu') return D.leakyReluAlpha;
  if (activation === 'elu') return D.eluAlpha;
  return D.otherAlpha;
}

export function resolveHidden(layer: HiddenLayerConfig): ResolvedHiddenLayer {
  return {
    width: layer.width,
    activation: layer.activation,
    alpha: layer.alpha ?? defaultAlpha(layer.activation),
    batchNorm: layer.batchNorm ?? D.batchNorm,
    dropout: layer.dropout ?? D.dropout,
    residual: layer.residual ?? D.residual,
  };
}

export function resolveOptimizer(opt: OptimizerConfig): ResolvedOptimizer {
  // Every field is filled for every optimizer, so a resolved config has one shape.
  const base = {
    momentum: D.momentum,
    dampening: D.dampening,
    nesterov: D.nesterov,
    beta1: D.beta1,
    beta2: D.beta2,
    eps: D.eps.adam,
    alpha: D.rmspropAlpha,
    centered: D.centered,
    lrDecay: D.lrDecay,
    initialAccumulatorValue: D.initialAccumulatorValue,
  };
  if (opt.name === 'rmsprop') {
    return {
      ...base,
      name: 'rmsprop',
      lr: opt.lr,
      alpha: opt.alpha ?? D.rmspropAlpha,
      eps: opt.eps ?? D.eps.rmsprop,
      momentum: opt.momentum ?? D.momentum,
      centered: opt.centered ?? D.centered,
      weightDecay: opt.weightDecay ?? D.weightDecay.rmsprop,
    };
  }
  if (opt.name === 'adagrad') {
    return {
      ...base,
      name: 'adagrad',
      lr: opt.lr,
      eps: opt.eps ?? D.eps.adagrad,
      lrDecay: opt.lrDecay ?? D.lrDecay,
      initialAccumulatorValue: opt.initialAccumulatorValue ?? D.initialAccumulatorValue,
      weightDecay: opt.weightDecay ?? D.weightDecay.adagrad,
    };
  }
  if (opt.name === 'sgd') {
    return {
      ...base,
      name: 'sgd',
      lr: opt.lr,
      momentum: opt.momentum ?? D.momentum,
      dampening: opt.dampening ?? D.dampening,
      nesterov: opt.nesterov ?? D.nesterov,
      weightDecay: opt.weightDecay ?? D.weightDecay.sgd,
    };
  }
  return {
    ...base,
    name: opt.name,
    lr: opt.lr,
    beta1: opt.beta1 ?? D.beta1,
    beta2: opt.beta2 ?? D.beta2,
    eps: opt.eps ?? D.eps[opt.name],
    weightDecay: opt.weightDecay ?? D.weightDecay[opt.name],
  };
}

export function resolveEarlyStopping(es: EarlyStoppingConfig | null | undefined): ResolvedEarlyStopping | null {
  if (!es) return null;
  return {
    monitor: es.monitor ?? D.monitor,
    minDelta: es.minDelta ?? D.minDelta,
    patience: es.patience ?? D.patience,
    restoreBestWeights: es.restoreBestWeights ?? D.restoreBestWeights,
    startFromEpoch: es.startFromEpoch ?? D.startFromEpoch,
  };
}

export const DEFAULT_CHUNKS = D.chunks;

/** Defaults of the schedules' optional fields (cosine's tMax defaults to the run's epochs). */
export const SCHEDULE_DEFAULTS = {
  gamma: fixed<number>('train.schedule.gamma', 'number', { name: 'step' }),
  pctStart: fixed<number>('train.schedule.pctStart', 'number'),
  divFactor: fixed<number>('train.schedule.divFactor', 'number'),
  finalDivFactor: fixed<number>('train.schedule.finalDivFactor', 'number'),
  warmupStartFactor: fixed<number>('train.warmup.startFactor', 'number'),
  etaMin: fixed<number>('train.schedule.etaMin', 'number'),
  monitor: fixed<'val_loss' | 'train_loss'>('train.schedule.monitor', 'string'),
  factor: fixed<number>('train.schedule.factor', 'number'),
  patience: fixed<number>('train.schedule.patience', 'number'),
  threshold: fixed<number>('train.schedule.threshold', 'number'),
  cooldown: fixed<number>('train.schedule.cooldown', 'number'),
  minLr: fixed<number>('train.schedule.minLr', 'number'),
} as const;

/** Defaults of the experiment's layer diagnostics. */
export const DIAGNOSTICS_DEFAULTS = {
  everySteps: fixed<number>('diagnostics.everySteps', 'number'),
  histogramBins: fixed<number>('diagnostics.histogramBins', 'number'),
  histogramRange: defaultOf('diagnostics.histogramRange') as unknown as readonly [number, number],
  deadUnits: fixed<boolean>('diagnostics.deadUnits', 'boolean'),
} as const;

/** Default of train.divergenceFactor (why 100: the vocabulary's entry). */
export const DEFAULT_DIVERGENCE_FACTOR = D.divergenceFactor;

/** Expects a config that passed validateRunConfig. */
export function resolveRunConfig(config: RunConfig): ResolvedRunConfig {
  const t = config.train;
  return {
    seed: config.seed,
    model: { ...config.model, hidden: config.model.hidden.map(resolveHidden) },
    train: {
      ...t,
      dropLast: t.dropLast ?? D.dropLast,
      optimizer: resolveOptimizer(t.optimizer),
      decayWeightsOnly: t.decayWeightsOnly ?? D.decayWeightsOnly,
      penalties: { l1: t.penalties?.l1 ?? D.l1, l2: t.penalties?.l2 ?? D.l2 },
      schedule: t.schedule ?? { name: 'constant' },
      clip: t.clip ?? { kind: 'none' },
      earlyStopping: resolveEarlyStopping(t.earlyStopping),
      divergenceFactor: t.divergenceFactor === undefined ? DEFAULT_DIVERGENCE_FACTOR : t.divergenceFactor,
      chunks: t.chunks ?? DEFAULT_CHUNKS,
    },
  };
}

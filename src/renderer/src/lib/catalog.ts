/**
 * The names the design form offers (activations, initializers, optimizers, data sources...), their
 * labels, the regularizer presets and the compare factors. The names themselves are the config
 * vocabulary's (src/engine/config/vocabulary, the one folder of the engine the renderer may import:
 * pure data); the labels and the compare card's suggestions are the form's own. `Exhaustive` below
 * fails to compile when a list lacks a name of the spec's types.
 */
import { rangeOf, SYNTHETIC_CLASSIFICATION_KINDS, valuesOf } from '../../../engine/config/vocabulary/index.js';
import type { ExperimentSpec } from '../../../shared/api.js';

export type ModelSpec = ExperimentSpec['model'];
export type TrainSpec = ExperimentSpec['train'];
export type HiddenLayer = ModelSpec['hidden'][number];
export type ActivationName = HiddenLayer['activation'];
export type BatchNormPlacement = NonNullable<HiddenLayer['batchNorm']>;
export type InitializerName = ModelSpec['init']['weights'];
export type Head = ModelSpec['head'];
export type OptimizerName = TrainSpec['optimizer']['name'];
export type ScheduleName = NonNullable<TrainSpec['schedule']>['name'];
export type Monitor = NonNullable<NonNullable<TrainSpec['earlyStopping']>['monitor']>;
export type DataSpec = ExperimentSpec['data'];
export type DataSource = DataSpec['source'];
export type SyntheticKind = Extract<DataSpec, { source: 'synthetic' }>['kind'];
export type Preprocess = NonNullable<DataSpec['preprocess']>;

/** Compile-time check that a list names every member of a union. */
type Exhaustive<Union, List extends readonly Union[]> = [Exclude<Union, List[number]>] extends [never] ? List : never;
const all =
  <U>() =>
  <L extends readonly U[]>(list: Exhaustive<U, L>): L =>
    list;

export const ACTIVATIONS = all<ActivationName>()(valuesOf('model.hidden[].activation'));
export const INITIALIZERS = all<InitializerName>()(valuesOf('model.init.weights'));
export const BIAS_INITIALIZERS = valuesOf('model.init.bias');
export const BATCH_NORM = all<BatchNormPlacement>()(valuesOf('model.hidden[].batchNorm'));
export const HEADS = all<Head>()(valuesOf('model.head'));
export const OPTIMIZERS = all<OptimizerName>()(valuesOf('train.optimizer.name'));
export const SCHEDULES = all<ScheduleName>()(valuesOf('train.schedule.name'));
export const MONITORS = all<Monitor>()(valuesOf('train.earlyStopping.monitor'));
export const SOURCES = all<DataSource>()(valuesOf('data.source'));
export const SYNTHETIC_KINDS = all<SyntheticKind>()(valuesOf('data.kind'));
export const CLASSIFICATION_KINDS: readonly SyntheticKind[] = SYNTHETIC_CLASSIFICATION_KINDS;
export const PREPROCESS = all<Preprocess>()(valuesOf('data.preprocess'));
export const KERNEL_SETS = valuesOf('execution.kernels');

export const ACTIVATION_LABELS: Record<ActivationName, string> = {
  identity: 'identity (linear)',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  relu: 'ReLU',
  leaky_relu: 'leaky ReLU',
  elu: 'ELU',
  gelu: 'GELU',
  gelu_tanh: 'GELU (tanh approx.)',
  selu: 'SELU',
  softplus: 'softplus',
  silu: 'SiLU (swish)',
  mish: 'mish',
};

export const INIT_LABELS: Record<InitializerName, string> = {
  glorot_uniform: 'Glorot uniform',
  glorot_normal: 'Glorot normal',
  he_uniform: 'He uniform',
  he_normal: 'He normal',
  lecun_uniform: 'LeCun uniform',
  lecun_normal: 'LeCun normal',
  torch_default: 'PyTorch default',
  zeros: 'zeros (breaks symmetry badly)',
  normal: 'normal N(0, σ²)',
  orthogonal: 'orthogonal',
  constant: 'constant (breaks symmetry badly)',
};

export const MONITOR_LABELS: Record<Monitor, string> = {
  val_loss: 'validation loss',
  val_accuracy: 'validation accuracy',
  train_loss: 'train loss',
  train_accuracy: 'train accuracy',
};

/** What reduce-on-plateau may watch (a subset of the monitors). */
export const PLATEAU_MONITORS = valuesOf('train.schedule.monitor');

export const SOURCE_LABELS: Record<DataSource, string> = {
  mnist: 'MNIST digits (built in)',
  synthetic: 'Synthetic',
  idx: 'IDX files',
  csv: 'CSV file',
};

export const PREPROCESS_LABELS: Record<Preprocess, string> = {
  none: 'none (raw values)',
  scale01: 'scale to [0, 1]',
  standardize: 'standardize (mean 0, sd 1)',
};

/** How a compare factor is edited in the Compare card. */
export interface FactorInfo {
  key: string;
  label: string;
  /** Plural noun for the run-count line: "3 activations". */
  plural: string;
  kind: 'names' | 'numbers';
  /** Values offered as toggles; more can be typed. */
  suggestions: readonly (string | number)[];
  hint: string;
  /** What typed numbers must satisfy (the config vocabulary's range of the field). */
  range?: { min?: number; max?: number; integer?: boolean };
  /** What the numbers count ("rows"). */
  units?: string;
  /** The data sources it applies to (default: all). */
  sources?: readonly DataSource[];
  /** How a variant's label names a value ("noise 0.1"); default the value alone. */
  valueLabel?: (value: string) => string;
}

export const REGULARIZER_PRESETS = [
  'none',
  'dropout-0.1',
  'dropout-0.2',
  'dropout-0.5',
  'l2-1e-4',
  'l2-1e-3',
  'l1-1e-5',
  'weight-decay-1e-4',
  'weight-decay-1e-2',
  'batchnorm',
  'early-stopping',
] as const;

export const FACTORS: readonly FactorInfo[] = [
  {
    key: 'activation',
    label: 'Activation',
    plural: 'activations',
    kind: 'names',
    suggestions: ACTIVATIONS,
    hint: 'Every hidden layer gets this activation.',
  },
  {
    key: 'regularizer',
    label: 'Regularizer',
    plural: 'regularizers',
    kind: 'names',
    suggestions: REGULARIZER_PRESETS,
    hint: 'Replaces all regularization of the base recipe. Combine parts with +, e.g. dropout-0.2+early-stopping.',
  },
  {
    key: 'init',
    label: 'Initializer',
    plural: 'initializers',
    kind: 'names',
    suggestions: [...INITIALIZERS.filter((n) => n !== 'normal'), 'normal-0.01', 'normal-1'],
    hint: 'Weight initializer; normal-<σ> draws from N(0, σ²), a deliberately bad init for teaching.',
  },
  {
    key: 'optimizer',
    label: 'Optimizer',
    plural: 'optimizers',
    kind: 'names',
    suggestions: valuesOf('compare.optimizer[]'),
    hint: 'Keeps the learning rate and weight decay of the base recipe.',
  },
  {
    key: 'lr',
    label: 'Learning rate',
    plural: 'learning rates',
    kind: 'numbers',
    suggestions: [0.1, 0.01, 0.001, 0.0001],
    hint: 'train.optimizer.lr',
  },
  {
    key: 'batchSize',
    label: 'Batch size',
    plural: 'batch sizes',
    kind: 'numbers',
    suggestions: [16, 32, 64, 128, 256],
    hint: 'train.batchSize',
  },
  {
    key: 'width',
    label: 'Width',
    plural: 'widths',
    kind: 'numbers',
    suggestions: [32, 64, 128, 256, 512],
    hint: 'Every hidden layer gets this width.',
  },
  {
    key: 'depth',
    label: 'Depth',
    plural: 'depths',
    kind: 'numbers',
    suggestions: [1, 2, 4, 8],
    hint: 'Number of hidden layers (copies of the first).',
  },
  {
    key: 'data.preprocess',
    label: 'Preprocessing',
    plural: 'preprocessings',
    kind: 'names',
    suggestions: PREPROCESS,
    hint: "data.preprocess, fitted on each variant's training rows: none, scale01 (to [0, 1]) or standardize (mean 0, sd 1).",
    valueLabel: (v) => `preprocess ${v}`,
  },
  {
    key: 'data.trainSize',
    label: 'Training-set size',
    plural: 'training-set sizes',
    kind: 'numbers',
    suggestions: [],
    hint: 'data.trainSize: train on this many rows of the training split (a nested subset: a smaller size is part of a larger one). Validation and test rows stay the same.',
    range: rangeOf('data.trainSize'),
    units: 'rows',
    valueLabel: (v) => `${v} train rows`,
  },
  {
    key: 'data.noise',
    label: 'Noise (sd)',
    plural: 'noise levels',
    kind: 'numbers',
    suggestions: [0, 0.05, 0.1, 0.2],
    hint: "data.noise: the standard deviation of the synthetic generator's Gaussian noise (synthetic data only).",
    range: rangeOf('data.noise'),
    sources: ['synthetic'],
    valueLabel: (v) => `noise ${v}`,
  },
];

export function factorInfo(key: string): FactorInfo | undefined {
  return FACTORS.find((f) => f.key === key);
}

/** Config paths offered in the advanced editor (any path into model or train works). */
export const CONFIG_PATH_SUGGESTIONS = [
  'model.hidden[*].dropout',
  'model.hidden[*].batchNorm',
  'model.hidden[*].residual',
  'model.init.sigma',
  'train.optimizer.momentum',
  'train.optimizer.weightDecay',
  'train.penalties.l2',
  'train.penalties.l1',
  'train.epochs',
  'train.clip',
  'train.schedule',
];

/**
 * The names the design form offers: activations, initializers, optimizers, regularizer presets and
 * the compare factors. The renderer may not import engine code, so the lists live here, typed
 * against the engine's types (through src/shared/api.ts): a misspelled name fails to compile, and
 * `Exhaustive` below fails when the engine adds a name this list lacks.
 */
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

export const ACTIVATIONS = all<ActivationName>()([
  'identity',
  'sigmoid',
  'tanh',
  'relu',
  'leaky_relu',
  'elu',
  'gelu',
  'gelu_tanh',
  'selu',
  'softplus',
] as const);

export const INITIALIZERS = all<InitializerName>()([
  'glorot_uniform',
  'glorot_normal',
  'he_uniform',
  'he_normal',
  'lecun_uniform',
  'lecun_normal',
  'torch_default',
  'zeros',
  'normal',
] as const);

export const BATCH_NORM = all<BatchNormPlacement>()(['none', 'pre', 'post'] as const);
export const HEADS = all<Head>()(['softmax', 'sigmoid', 'linear'] as const);
export const OPTIMIZERS = all<OptimizerName>()(['sgd', 'adam', 'adamw'] as const);
export const SCHEDULES = all<ScheduleName>()(['constant', 'step', 'cosine', 'plateau'] as const);
export const MONITORS = all<Monitor>()(['val_loss', 'val_accuracy', 'train_loss', 'train_accuracy'] as const);
export const SOURCES = all<DataSource>()(['mnist', 'synthetic', 'idx', 'csv'] as const);
export const SYNTHETIC_KINDS = all<SyntheticKind>()(['circles', 'xor', 'gaussians', 'spiral', 'sine', 'plane', 'friedman1'] as const);
export const CLASSIFICATION_KINDS: readonly SyntheticKind[] = ['circles', 'xor', 'gaussians', 'spiral'];
export const PREPROCESS = all<Preprocess>()(['none', 'scale01', 'standardize'] as const);

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
};

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
    suggestions: ['sgd', 'sgd-momentum', 'nesterov', 'adam', 'adamw'],
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

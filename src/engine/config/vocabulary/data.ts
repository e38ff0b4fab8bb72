/**
 * The vocabulary of `data`: where the data comes from, how it is split and preprocessed (see
 * types.ts for the entry format). Pure data.
 */
import type { Vocabulary } from './types.js';

/** Synthetic sets with class labels; the other kinds are regression sets. */
export const SYNTHETIC_CLASSIFICATION_KINDS = ['circles', 'xor', 'gaussians', 'spiral'] as const;
export const SYNTHETIC_REGRESSION_KINDS = ['sine', 'plane', 'friedman1'] as const;

export const DATA = {
  data: {
    type: 'union',
    def: 'data',
    required: true,
    tag: 'source',
    description: "Where the data comes from: source plus that source's fields.",
    branches: [
      { tags: ['mnist'], description: 'The embedded 10,000 MNIST digits (works offline).' },
      {
        tags: ['synthetic'],
        description: 'A synthetic set: 2-D classification (circles, xor, gaussians, spiral) or regression (sine, plane, friedman1).',
      },
      { tags: ['idx'], description: 'An IDX images/labels file pair (MNIST or Fashion-MNIST format, raw or gzip).' },
      { tags: ['csv'], description: 'A CSV file with one target column.' },
    ],
  },
  'data.source': { type: 'enum', required: true, values: ['mnist', 'synthetic', 'idx', 'csv'] },
  'data.kind': {
    type: 'enum',
    in: ['synthetic'],
    required: true,
    values: [...SYNTHETIC_CLASSIFICATION_KINDS, ...SYNTHETIC_REGRESSION_KINDS],
    description: 'Which synthetic set.',
  },
  'data.n': { type: 'integer', in: ['synthetic'], required: true, min: 2, max: 5000000, units: 'rows', description: 'Number of rows.' },
  'data.noise': {
    type: 'number',
    in: ['synthetic'],
    min: 0,
    max: 100,
    default: 0.1,
    description: 'Standard deviation of the Gaussian noise.',
  },
  'data.classes': {
    type: 'integer',
    in: ['synthetic'],
    min: 2,
    max: 100,
    default: 2,
    description: 'Number of classes (classification kinds only; xor has exactly 2).',
  },
  'data.seed': { type: 'ref', ref: 'seed', in: ['synthetic'], default: 0, description: 'Seed of the generator.' },
  'data.images': {
    type: 'string',
    in: ['idx'],
    required: true,
    minLength: 1,
    description: "Images file; relative paths resolve against the experiment file's folder.",
  },
  'data.labels': { type: 'string', in: ['idx'], required: true, minLength: 1, description: 'Labels file.' },
  'data.classNames': {
    type: 'array',
    in: ['idx'],
    minItems: 1,
    maxItems: 256,
    uniqueItems: true,
    description: 'Display names of the classes, index = label value.',
  },
  'data.classNames[]': { type: 'string', minLength: 1 },
  'data.path': {
    type: 'string',
    in: ['csv'],
    required: true,
    minLength: 1,
    description: "The CSV file; relative paths resolve against the experiment file's folder.",
  },
  'data.target': {
    type: 'raw',
    in: ['csv'],
    schema: { type: ['string', 'integer'], minLength: 1, minimum: -65536, maximum: 65535 },
    defaultText: '-1 (the last column)',
    description: 'Target column: its name, or a 0-based index (negative counts from the end).',
  },
  'data.task': {
    type: 'enum',
    in: ['csv'],
    values: ['auto', 'classification', 'regression'],
    default: 'auto',
    description: 'classification, regression, or auto (decided from the target column).',
  },
  'data.missing': {
    type: 'enum',
    in: ['csv'],
    values: ['error', 'drop'],
    default: 'error',
    description: 'Rows with missing values: error or drop.',
  },
  'data.categorical': {
    type: 'enum',
    in: ['csv'],
    values: ['onehot', 'error'],
    default: 'onehot',
    description: 'Non-numeric feature columns: onehot or error.',
  },
  'data.header': {
    type: 'enum',
    in: ['csv'],
    values: ['auto', true, false],
    default: 'auto',
    description: 'Whether the first row holds column names.',
  },
  'data.delimiter': {
    type: 'enum',
    in: ['csv'],
    values: [',', ';', '\t', '|', ' '],
    defaultText: 'detected',
    description: 'Field delimiter.',
  },
  'data.split': {
    type: 'object',
    def: 'split',
    description:
      'Train/validation/test split, as fractions of the rows; the rest is training. Fixed for every run of the experiment (its own seed).',
  },
  'data.split.validation': {
    type: 'number',
    min: 0,
    max: 1,
    maxExclusive: true,
    default: 0.1,
    description: 'Fraction held out for validation.',
  },
  'data.split.test': {
    type: 'number',
    min: 0,
    max: 1,
    maxExclusive: true,
    default: 0.1,
    description: 'Fraction held out for the final test.',
  },
  'data.split.stratify': { type: 'boolean', defaultText: 'true for class targets', description: 'Keep class proportions in every split.' },
  'data.split.seed': { type: 'ref', ref: 'seed', default: 0, description: 'Seed of the split.' },
  'data.preprocess': {
    type: 'enum',
    def: 'preprocess',
    values: ['none', 'scale01', 'standardize'],
    default: { by: 'source', values: { mnist: 'none', synthetic: 'none', idx: 'none', csv: 'standardize' } },
    description: 'Feature preprocessing fitted on the training split.',
  },
  'data.trainSize': {
    type: 'integer',
    min: 1,
    max: 5000000,
    units: 'rows',
    defaultText: 'every training row',
    description:
      'Train on this many rows of the training split only: a random subset drawn with the split seed, nested (a smaller size is a subset of a larger one). Validation and test rows stay the same.',
  },
} as const satisfies Vocabulary;

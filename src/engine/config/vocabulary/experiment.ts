/**
 * The vocabulary of the experiment file around data, model and train: its identity, the compare
 * factors, the seeds, diagnostics and execution, and the named definitions several fields share
 * (see types.ts for the entry format). Limits that bound validation are facts here too; why each
 * is what it is: src/services/experiments/spec/limits.ts. Pure data.
 */
import { MODEL } from './model.js';
import { TRAIN } from './train.js';
import type { Vocabulary } from './types.js';

/** Variants an experiment may have; so also values per compare factor (each value is a variant). */
export const MAX_VARIANTS = 10_000;
/** Runs an experiment may have (variants x seeds). */
export const MAX_RUNS = 100_000;
const MAX_SEEDS = 10_000;
/** Search methods (src/services/experiments/search/). */
export const SEARCH_METHODS = ['random', 'sobol', 'bayes'] as const;
/** Factors one search may vary (and so the Sobol sequence's dimensions). */
export const MAX_SEARCH_DIMENSIONS = 32;
const MAX_SEARCH_CHOICES = 1000;
const MAX_THREADS_PER_RUN = 64;

const ACTIVATIONS = MODEL['model.hidden[].activation'].values;
const INITIALIZERS = MODEL['model.init.weights'].values;

/** What the `early-stopping` regularizer preset (and the form's switch) sets. */
export const EARLY_STOPPING_PRESET = { monitor: 'val_loss', patience: 5, restoreBestWeights: true } as const;

/** Definitions several fields refer to (`{ type: 'ref', ref: name }`), emitted under the schema's $defs. */
export const DEFINITIONS = {
  seed: { type: 'integer', min: 0, max: 4294967295, description: 'A seed: an integer in [0, 2^32).' },
  lr: { type: 'number', min: 0, minExclusive: true, max: 1000000, description: 'Learning rate.' },
  factorValues: { type: 'array', minItems: 1, maxItems: MAX_VARIANTS },
  searchDimension: {
    type: 'raw',
    description:
      'A searched factor: a list of values (each drawn with the same probability), or a range: {"uniform": [lo, hi]}, {"log": [lo, hi]} (uniform in log, lo > 0), {"int": [lo, hi]} (whole numbers), {"logInt": [lo, hi]} (whole numbers, uniform in log, lo >= 1).',
    schema: {
      oneOf: [
        { type: 'array', minItems: 1, maxItems: MAX_SEARCH_CHOICES },
        {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          maxProperties: 1,
          properties: Object.fromEntries(
            ['uniform', 'log', 'int', 'logInt'].map((k) => [
              k,
              { type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }], items: false, minItems: 2, maxItems: 2 },
            ]),
          ),
        },
      ],
    },
  },
} as const satisfies Vocabulary;

/** A run summary's metrics: what the statistics compare (services/experiments/compare.ts) and a search can optimize. */
export const SUMMARY_METRICS = [
  'weights.valLoss',
  'weights.valAccuracy',
  'weights.trainLoss',
  'weights.trainAccuracy',
  'test.loss',
  'test.accuracy',
  'best.valLoss',
  'best.valAccuracy',
  'final.valLoss',
  'final.valAccuracy',
  'final.trainLoss',
  'final.trainAccuracy',
  'epochsRun',
  'seconds',
] as const;

export const EXPERIMENT_HEAD = {
  '': {
    type: 'object',
    description:
      'An Ablate experiment: a dataset, a base model and training recipe, the factors to compare and the seeds. Every (variant, seed) pair becomes one training run. See docs/experiments.md. Ablate also checks what a schema cannot express (cross-field rules, factor values, seeds, the baseline); its messages name the field path.',
  },
  $schema: { type: 'string', description: 'Optional: the URL or path of this schema, for editors. Ignored by Ablate.' },
  version: {
    type: 'const',
    value: 1,
    required: true,
    description: 'Format version of the experiment file. This schema describes version 1.',
  },
  name: {
    type: 'string',
    required: true,
    minLength: 1,
    maxLength: 200,
    description: 'Human name of the experiment, shown in the UI and stored with the results.',
  },
  description: { type: 'string', maxLength: 10000, description: 'Free text: what the experiment is meant to show.' },
} as const satisfies Vocabulary;

export const EXPERIMENT_TAIL = {
  compare: {
    type: 'object',
    def: 'compare',
    maxProperties: 64,
    patternProperties: { '^(model|train)[.\\[]': 'factorValues', '^data\\.(preprocess|trainSize|noise)$': 'factorValues' },
    description:
      'Factors to compare, each with a non-empty list of values. The variants are the cartesian product of the factors in key order (the first key varies slowest). A key is a named factor (activation, regularizer, init, optimizer, lr, batchSize, width, depth), a data factor (data.preprocess, data.trainSize, data.noise) or a config path into model or train, such as "train.optimizer.momentum" or "model.hidden[*].dropout" ([n] picks one list element, [*] every element). See docs/experiments.md for the presets.',
  },
  'compare.activation': {
    type: 'array',
    minItems: 1,
    maxItems: MAX_VARIANTS,
    description: "Sets every hidden layer's activation (alpha: the default for leaky_relu and elu, removed for the others).",
  },
  'compare.activation[]': { type: 'enum', values: ACTIVATIONS },
  'compare.regularizer': {
    type: 'array',
    minItems: 1,
    maxItems: MAX_VARIANTS,
    description:
      "The variant's whole regularization: none, dropout-<p>, l2-<lambda> (loss term), l1-<lambda>, weight-decay-<lambda> (optimizer), batchnorm, early-stopping, or several joined with +.",
  },
  'compare.regularizer[]': {
    type: 'string',
    pattern:
      '^(none|batchnorm|early-stopping|(dropout|l1|l2|weight-decay)-[0-9.eE+-]+)(\\+(batchnorm|early-stopping|(dropout|l1|l2|weight-decay)-[0-9.eE+-]+))*$',
  },
  'compare.init': {
    type: 'array',
    minItems: 1,
    maxItems: MAX_VARIANTS,
    description:
      'Weight initializer: an initializer name, normal-<sigma> for N(0, sigma^2), or constant-<value> for every weight equal to value.',
  },
  'compare.init[]': {
    type: 'raw',
    schema: {
      anyOf: [
        { enum: INITIALIZERS.filter((n) => n !== 'normal' && n !== 'constant') },
        { type: 'string', pattern: '^normal-[0-9.eE+-]+$' },
        { type: 'string', pattern: '^constant-[0-9.eE+-]+$' },
      ],
    },
  },
  'compare.optimizer': {
    type: 'array',
    minItems: 1,
    maxItems: MAX_VARIANTS,
    description: 'Optimizer preset; keeps the learning rate and weight decay already set.',
  },
  'compare.optimizer[]': { type: 'enum', values: ['sgd', 'sgd-momentum', 'nesterov', 'adam', 'adamw', 'rmsprop', 'adagrad'] },
  'compare.lr': { type: 'array', minItems: 1, maxItems: MAX_VARIANTS, description: 'Learning rate.' },
  'compare.lr[]': { type: 'ref', ref: 'lr' },
  'compare.batchSize': { type: 'array', minItems: 1, maxItems: MAX_VARIANTS, description: 'Rows per mini-batch.' },
  'compare.batchSize[]': { type: 'integer', min: TRAIN['train.batchSize'].min, max: TRAIN['train.batchSize'].max },
  'compare.width': { type: 'array', minItems: 1, maxItems: MAX_VARIANTS, description: 'Width of every hidden layer.' },
  'compare.width[]': { type: 'integer', min: MODEL['model.hidden[].width'].min, max: MODEL['model.hidden[].width'].max },
  'compare.depth': {
    type: 'array',
    minItems: 1,
    maxItems: MAX_VARIANTS,
    description: 'Number of hidden layers: copies of the first hidden layer (0 = no hidden layer).',
  },
  'compare.depth[]': { type: 'integer', min: 0, max: MODEL['model.hidden'].maxItems },
  search: {
    type: 'object',
    description:
      'Trials to search beside (or instead of) the compare grid: each trial draws one value per factor of the space, and every compare variant runs every trial with every seed. random and sobol trials follow from this object alone; bayes trials from it and the results of the trials before them. The same on any machine and worker count. See docs/experiments.md, "Search".',
  },
  'search.method': {
    type: 'enum',
    values: SEARCH_METHODS,
    required: true,
    description:
      'random: independent uniform draws; sobol: the Sobol quasi-random sequence (Joe-Kuo directions) with a random digital shift, which covers the space more evenly; bayes: Sobol trials first, then batches proposed by a Tree-structured Parzen Estimator from the finished trials (per compare variant).',
  },
  'search.trials': { type: 'integer', required: true, min: 1, max: MAX_VARIANTS, description: 'Number of trials (points of the space).' },
  'search.batch': {
    type: 'integer',
    min: 1,
    max: 1000,
    default: 4,
    description:
      'bayes or halving only: trials of each later round (per compare variant), started once every run of the earlier rounds has finished; larger batches keep more workers busy, smaller ones learn more often.',
  },
  'search.startup': {
    type: 'integer',
    min: 1,
    max: MAX_VARIANTS,
    default: 8,
    description:
      'bayes or halving only: trials of the first round (the Sobol trials before the first proposal for bayes; never pruned with halving). At most trials.',
  },
  'search.halving': {
    type: 'object',
    description:
      'Successive halving (the ASHA promotion rule): a trial run goes past the rung at minEpochs x eta^k epochs only if its objective there ranks in the top 1/eta of the same-seed runs of earlier rounds that reached the rung; otherwise it ends as "pruned". Trials run in rounds (startup, then batch), decided from finished runs only. See docs/experiments.md, "Successive halving".',
  },
  'search.halving.minEpochs': {
    type: 'integer',
    required: true,
    min: 1,
    max: 100000,
    description: 'Epochs of the first rung (below train.epochs).',
  },
  'search.halving.eta': {
    type: 'integer',
    min: 2,
    max: 100,
    default: 3,
    description: 'Rungs are eta times apart, and a run goes on past one when it ranks in the top 1/eta there.',
  },
  'search.seed': {
    type: 'ref',
    ref: 'seed',
    default: 0,
    description: 'Seed of the draws (of the digital shift for sobol): another seed, other trials.',
  },
  'search.space': {
    type: 'object',
    required: true,
    maxProperties: MAX_SEARCH_DIMENSIONS,
    patternProperties: { '^(model|train)[.\\[]': 'searchDimension' },
    description: `The factors to search (a named factor or a config path, as compare keys; at most ${MAX_SEARCH_DIMENSIONS}), each with its list of values or its range. Key order is the order of the draws.`,
  },
  'search.space.activation': { type: 'ref', ref: 'searchDimension' },
  'search.space.regularizer': { type: 'ref', ref: 'searchDimension' },
  'search.space.init': { type: 'ref', ref: 'searchDimension' },
  'search.space.optimizer': { type: 'ref', ref: 'searchDimension' },
  'search.space.lr': { type: 'ref', ref: 'searchDimension' },
  'search.space.batchSize': { type: 'ref', ref: 'searchDimension' },
  'search.space.width': { type: 'ref', ref: 'searchDimension' },
  'search.space.depth': { type: 'ref', ref: 'searchDimension' },
  'search.objective': {
    type: 'object',
    defaultText: '{"metric": "best.valLoss", "goal": "min"}',
    description: 'What the best trial is: the mean over seeds of a run summary metric, minimized or maximized.',
  },
  'search.objective.metric': {
    type: 'enum',
    values: SUMMARY_METRICS,
    required: true,
    description: 'A run summary metric (docs/experiments.md, "Statistics").',
  },
  'search.objective.goal': { type: 'enum', values: ['min', 'max'], required: true, description: 'min for losses, max for accuracies.' },
  seeds: {
    type: 'oneOf',
    required: true,
    forms: ['seeds#list', 'seeds#range'],
    description:
      "The seeds every variant runs with: a list of distinct integers, or {count, start} for the seeds start, start+1, ..., start+count-1. A run's seed keys every random stream of the run (init, data order, dropout masks), so runs with the same seed are paired across variants (common random numbers).",
  },
  'seeds#list': { type: 'array', minItems: 1, maxItems: MAX_SEEDS, uniqueItems: true },
  'seeds#list[]': { type: 'ref', ref: 'seed' },
  'seeds#range': { type: 'object' },
  'seeds#range.count': { type: 'integer', required: true, min: 1, max: MAX_SEEDS, description: `Number of seeds (1 to ${MAX_SEEDS}).` },
  'seeds#range.start': { type: 'ref', ref: 'seed', default: 0, description: 'First seed.' },
  baseline: {
    type: 'string',
    minLength: 1,
    defaultText: 'the first variant',
    description:
      'Id of the variant the others are compared against (paired differences). Ids are formed from the factor values, e.g. "activation=relu,regularizer=none", or "base" without compare.',
  },
  diagnostics: {
    type: 'object',
    description:
      'Per-layer diagnostics recorded during training (gradient and weight norms, activation statistics, histograms, dead units).',
  },
  'diagnostics.everySteps': {
    type: 'integer',
    min: 0,
    max: 1000000,
    default: 50,
    units: 'steps',
    description: 'Record layer diagnostics every N steps (and at the first step); 0 disables.',
  },
  'diagnostics.histogramBins': {
    type: 'integer',
    min: 1,
    max: 1000,
    default: 40,
    description: 'Bins of the activation histograms; the weight and gradient histograms round it up to even.',
  },
  'diagnostics.histogramRange': {
    type: 'array',
    tuple: ['number', 'number'],
    default: [-4, 4],
    description: '[lo, hi] of the activation histograms; values outside land in the end bins.',
  },
  'diagnostics.deadUnits': { type: 'boolean', default: true, description: 'Track units that are 0 on every validation row, each epoch.' },
  execution: {
    type: 'object',
    description: "How runs are computed. Never changes a run's results beyond the documented kernel tolerance.",
  },
  'execution.kernels': {
    type: 'enum',
    values: ['naive', 'wasm', 'native'],
    defaultText: 'native where its addon loads, else wasm',
    description: 'Kernel set: naive (plain TypeScript reference), wasm (SIMD WebAssembly) or native (C through Node-API, per-CPU paths).',
  },
  'execution.threadsPerRun': {
    type: 'integer',
    min: 1,
    max: MAX_THREADS_PER_RUN,
    defaultText: 'chosen by the scheduler',
    description: `Worker threads per run, at most ${MAX_THREADS_PER_RUN} (and never more than the worker pool has).`,
  },
} as const satisfies Vocabulary;

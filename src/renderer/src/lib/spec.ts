/**
 * The experiment spec as the design form sees it: a default, a normalizer for files of unknown
 * shape, the one-line summaries of the collapsed cards, the parameter count and the run-count
 * line. Pure functions over the plain JSON spec (the same object that is saved).
 */
import { defaultOf, fieldAt } from '../../../engine/config/vocabulary/index.js';
import type { DataPreview, ExperimentSpec, RunTimeEstimate } from '../../../shared/api.js';
import { factorInfo, type DataSpec, type Head, type HiddenLayer, type ModelSpec, type TrainSpec } from './catalog.js';
import { fmtDuration, fmtEstimate, fmtNum, fmtShort, plural } from './format.js';

export function defaultSpec(): ExperimentSpec {
  return {
    version: 1,
    name: 'Untitled experiment',
    data: { source: 'mnist', split: { validation: 0.1, test: 0.1 }, preprocess: 'scale01' },
    model: {
      inputSize: 784,
      hidden: [
        { width: 128, activation: 'relu' },
        { width: 128, activation: 'relu' },
      ],
      outputSize: 10,
      head: 'softmax',
      init: { weights: 'glorot_uniform', bias: 'zeros' },
    },
    train: { epochs: 10, batchSize: 64, optimizer: { name: 'adam', lr: 0.001 } },
    compare: { activation: ['sigmoid', 'relu'] },
    seeds: { count: 3 },
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Gives a parsed file the structure the form needs (objects where objects belong, a hidden-layer
 * list) without judging values: the back end's validation reports what is wrong, under the field.
 */
export function normalizeSpec(input: unknown): ExperimentSpec {
  const base = defaultSpec();
  const src = isObject(input) ? (structuredClone(input) as Record<string, unknown>) : {};
  const out = { ...src } as Record<string, unknown>;
  out.version = src.version ?? 1;
  out.name = typeof src.name === 'string' ? src.name : base.name;
  out.data = isObject(src.data) ? src.data : base.data;
  const model = isObject(src.model) ? { ...src.model } : { ...base.model };
  if (!Array.isArray(model.hidden)) model.hidden = [];
  if (!isObject(model.init)) model.init = { ...base.model.init };
  out.model = model;
  const train = isObject(src.train) ? { ...src.train } : { ...base.train };
  if (!isObject(train.optimizer)) train.optimizer = { ...base.train.optimizer };
  out.train = train;
  if (src.compare !== undefined && !isObject(src.compare)) out.compare = {};
  out.seeds = Array.isArray(src.seeds) || isObject(src.seeds) ? src.seeds : base.seeds;
  return out as unknown as ExperimentSpec;
}

const MAX_SEEDS = (fieldAt('seeds#range.count') as { max: number }).max;

/** The seeds a spec runs, in order (empty when the field is malformed). */
export function seedList(seeds: ExperimentSpec['seeds'] | undefined): number[] {
  if (Array.isArray(seeds)) return seeds.filter((s) => typeof s === 'number');
  if (isObject(seeds) && typeof seeds.count === 'number' && seeds.count >= 0 && seeds.count <= MAX_SEEDS) {
    const start = typeof seeds.start === 'number' ? seeds.start : 0;
    return Array.from({ length: Math.floor(seeds.count) }, (_, i) => start + i);
  }
  return [];
}

export function seedsSummary(seeds: ExperimentSpec['seeds'] | undefined): string {
  const list = seedList(seeds);
  if (list.length === 0) return 'no seeds';
  const contiguous = list.every((s, i) => i === 0 || s === list[i - 1] + 1);
  const which =
    list.length <= 4 ? list.join(', ') : contiguous ? `${list[0]}–${list[list.length - 1]}` : `${list.slice(0, 3).join(', ')}, …`;
  return `${plural(list.length, 'seed')} (${which})`;
}

/** A layer size the diagram and the parameter count can use: a whole number of at least 1. */
export const isLayerSize = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;

/**
 * Trainable parameters: weights and biases of every linear layer, batch-norm scale and shift, and
 * residual projections (input width x width, no bias);
 * NaN while a size is not a whole number of at least 1 (an invalid value never reaches the count).
 */
export function paramCount(model: ModelSpec): number {
  if (![model.inputSize, model.outputSize, ...model.hidden.map((l) => l.width)].every(isLayerSize)) return NaN;
  let total = 0;
  let prev = model.inputSize;
  for (const layer of model.hidden) {
    total += prev * layer.width + layer.width;
    if (layer.batchNorm === 'pre' || layer.batchNorm === 'post') total += 2 * layer.width;
    if (layer.residual === true && layer.width !== prev) total += prev * layer.width; // the projection
    prev = layer.width;
  }
  return total + prev * model.outputSize + model.outputSize;
}

/**
 * The hidden layers (from 0) with a residual projection P: residual, and a width other than their
 * input's (paramCount counts P's weights at the same places).
 */
export function projectionLayers(model: ModelSpec): number[] {
  const out: number[] = [];
  let prev = model.inputSize;
  model.hidden.forEach((layer, i) => {
    if (layer.residual === true && layer.width !== prev) out.push(i);
    prev = layer.width;
  });
  return out;
}

export function lossForHead(head: Head): string {
  if (head === 'softmax') return 'softmax cross-entropy';
  if (head === 'sigmoid') return 'binary cross-entropy';
  return 'mean squared error';
}

/** Unit text of the loss for axis titles. */
export function lossUnit(head: Head | undefined): string {
  if (head === 'linear') return 'MSE';
  if (head === 'sigmoid') return 'BCE, nats';
  return 'cross-entropy, nats';
}

const TRAIN_PERCENT = (data: DataSpec): string => {
  const v = data.split?.validation ?? (defaultOf('data.split.validation') as number);
  const t = data.split?.test ?? (defaultOf('data.split.test') as number);
  const pct = (x: number) => Math.round(x * 100);
  return `${pct(1 - v - t)}/${pct(v)}/${pct(t)} split`;
};

const PREPROCESS_TEXT = { none: 'raw values', scale01: 'scaled to [0,1]', standardize: 'standardized' } as const;

export function dataSummary(data: DataSpec, preview: DataPreview | null): string {
  const rows = preview ? ` ${fmtShort(preview.n)}` : '';
  let what: string;
  switch (data.source) {
    case 'mnist':
      what = `MNIST${rows || ' 10k'}`;
      break;
    case 'synthetic':
      what = `${data.kind ?? 'synthetic'} ${fmtShort(data.n)} points${data.noise !== undefined ? `, noise ${fmtNum(data.noise)}` : ''}`;
      break;
    case 'idx':
      what = `IDX ${baseName(data.images)}${rows}`;
      break;
    case 'csv':
      what = `CSV ${baseName(data.path)}${rows}${data.target !== undefined ? `, target ${String(data.target)}` : ''}`;
      break;
    default:
      what = 'no data source';
  }
  const prep = PREPROCESS_TEXT[(data.preprocess ?? defaultOf('data.preprocess', () => data.source)) as keyof typeof PREPROCESS_TEXT];
  return `${what}, ${TRAIN_PERCENT(data)}, ${prep ?? data.preprocess}`;
}

function baseName(path: unknown): string {
  if (typeof path !== 'string' || path === '') return '(no file)';
  return path.split(/[\\/]/).pop() ?? path;
}

/** Consecutive identical layers collapse: "784 → 3×128 relu → 10 softmax". */
export function layersText(model: ModelSpec): string {
  const parts: string[] = [String(model.inputSize)];
  const hidden = model.hidden;
  for (let i = 0; i < hidden.length;) {
    let j = i + 1;
    while (j < hidden.length && sameLayer(hidden[i], hidden[j])) j++;
    const n = j - i;
    parts.push(`${n > 1 ? `${n}×` : ''}${hidden[i].width} ${hidden[i].activation}`);
    i = j;
  }
  parts.push(`${model.outputSize} ${model.head}`);
  return parts.join(' → ');
}

function sameLayer(a: HiddenLayer, b: HiddenLayer): boolean {
  return a.width === b.width && a.activation === b.activation;
}

export function networkSummary(model: ModelSpec): string {
  const extras: string[] = [];
  const hidden = model.hidden;
  if (hidden.some((l) => l.batchNorm === 'pre' || l.batchNorm === 'post')) extras.push('batch norm');
  const drops = [...new Set(hidden.map((l) => l.dropout ?? 0).filter((p) => p > 0))];
  if (drops.length) extras.push(`dropout ${drops.map((p) => fmtNum(p)).join('/')}`);
  if (hidden.some((l) => l.residual)) extras.push('residual');
  let count = '';
  try {
    count = ` · ${fmtShort(paramCount(model))} parameters`;
  } catch {
    count = '';
  }
  return `${layersText(model)}${extras.length ? ` (${extras.join(', ')})` : ''}${count}`;
}

const OPT_LABEL = { sgd: 'SGD', adam: 'Adam', adamw: 'AdamW', rmsprop: 'RMSprop', adagrad: 'Adagrad' } as const;

export function trainingSummary(train: TrainSpec): string {
  const o = train.optimizer;
  const parts = [
    `${OPT_LABEL[o.name] ?? o.name}${o.name === 'sgd' && o.momentum ? ` (momentum ${fmtNum(o.momentum)})` : ''}, lr ${fmtNum(o.lr)}`,
  ];
  parts.push(`batch ${train.batchSize}`, plural(train.epochs, 'epoch'));
  if (o.weightDecay) parts.push(`weight decay ${fmtNum(o.weightDecay)}`);
  if (train.penalties?.l2) parts.push(`L2 ${fmtNum(train.penalties.l2)}`);
  if (train.penalties?.l1) parts.push(`L1 ${fmtNum(train.penalties.l1)}`);
  if (train.warmup) parts.push(`${plural(train.warmup.epochs, 'warmup epoch')}`);
  if (train.schedule && train.schedule.name !== 'constant') parts.push(`${train.schedule.name} schedule`);
  if (train.clip && train.clip.kind !== 'none') parts.push(`clip ${train.clip.kind}`);
  if (train.earlyStopping) parts.push(`early stopping (patience ${train.earlyStopping.patience ?? 5})`);
  return parts.join(', ');
}

/** The compare factors with their value lists (entries that are not lists count as one value). */
export function factorEntries(spec: ExperimentSpec): Array<{ key: string; values: unknown[] }> {
  const compare = isObject(spec.compare) ? spec.compare : {};
  return Object.entries(compare).map(([key, values]) => ({ key, values: Array.isArray(values) ? values : [values] }));
}

function factorNoun(key: string, n: number): string {
  const info = factorInfo(key);
  if (info) return n === 1 ? info.label.toLowerCase() : info.plural;
  return n === 1 ? `value of ${key}` : `values of ${key}`;
}

/** The trials of the spec's search (each runs with every compare variant), or 0 without one. */
export function searchTrials(spec: ExperimentSpec): number {
  const trials = isObject(spec.search) ? spec.search.trials : undefined;
  return typeof trials === 'number' && Number.isInteger(trials) && trials > 0 ? trials : 0;
}

export function variantCount(spec: ExperimentSpec): number {
  return factorEntries(spec).reduce((acc, f) => acc * Math.max(f.values.length, 0), 1) * (searchTrials(spec) || 1);
}

export function runCount(spec: ExperimentSpec): number {
  return variantCount(spec) * seedList(spec.seeds).length;
}

export function compareSummary(spec: ExperimentSpec): string {
  const terms = factorTerms(spec);
  if (terms.length === 0) return 'no factors: one variant (the base recipe)';
  return terms.join(' × ');
}

/** "3 activations", "2 regularizers", ..., then "16 trials" of a search. */
function factorTerms(spec: ExperimentSpec): string[] {
  const trials = searchTrials(spec);
  return [
    ...(trials ? [plural(trials, `${spec.search?.method ?? ''} trial`.trim())] : []),
    ...factorEntries(spec).map((f) => `${f.values.length} ${factorNoun(f.key, f.values.length)}`),
  ];
}

/**
 * "12 runs = 3 activations × 2 regularizers × 2 seeds", with the time the back end estimated for
 * this machine and its range ("about 4 min on this machine, 3 min 20 s to 4 min 40 s"), or
 * "estimating the time…" while it calibrates.
 */
export function runLine(spec: ExperimentSpec, estimate?: RunTimeEstimate | 'estimating'): string {
  const seeds = seedList(spec.seeds).length;
  const terms = [...factorTerms(spec), plural(seeds, 'seed')];
  const runs = runCount(spec);
  const line = `${plural(runs, 'run')} = ${terms.join(' × ')}`;
  if (estimate === 'estimating') return `${line}, estimating the time…`;
  return estimate && runs > 0 ? `${line}, ${estimateWords(estimate)}` : line;
}

/**
 * "about 4 min on this machine (3 min 20 s to 4 min 40 s; less if early stopping ends runs)". A
 * bottom that would read "0 s" (the range is never down to zero) reads "under 0.1 s".
 */
export function estimateWords(e: RunTimeEstimate): string {
  const range = `${e.low < 0.05 ? 'under 0.1 s' : fmtDuration(e.low)} to ${fmtDuration(e.high)}`;
  return `${fmtEstimate(e.seconds)} on this machine (${range}${e.earlyStopping ? '; less if early stopping ends runs' : ''})`;
}

/**
 * What the model's ends must be for the previewed data: input width, and for classes the head and
 * output count. Regression keeps the current head unless it cannot fit (softmax).
 */
export function fitToData(model: ModelSpec, preview: DataPreview): Partial<Pick<ModelSpec, 'inputSize' | 'outputSize' | 'head'>> {
  const out: Partial<Pick<ModelSpec, 'inputSize' | 'outputSize' | 'head'>> = {};
  if (model.inputSize !== preview.d) out.inputSize = preview.d;
  if (preview.task === 'classification') {
    const k = preview.classNames.length;
    if (k === 2 && model.head === 'sigmoid') {
      if (model.outputSize !== 1) out.outputSize = 1;
    } else {
      if (model.head !== 'softmax') out.head = 'softmax';
      if (model.outputSize !== k && k >= 2) out.outputSize = k;
    }
  } else if (model.head === 'softmax') {
    out.head = 'linear';
    if (model.outputSize !== 1) out.outputSize = 1;
  }
  return out;
}

/** A factor value as it appears in variant ids: strings as written, numbers in shortest form, others as sorted-key JSON. */
export function idValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return canonicalJson(value);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const NUMERIC_LABEL: Record<string, string> = { lr: 'lr', batchSize: 'batch', width: 'width', depth: 'depth' };

/**
 * The variants a spec expands to, with the ids and labels of docs/experiments.md ("Ids"), data
 * factors as the services label them ("preprocess standardize", "60 train rows", "noise 0.1"): for
 * the baseline choice in the designer. Empty when there are too many to list.
 */
export function expandVariants(spec: ExperimentSpec, limit = 500): Array<{ id: string; label: string }> {
  const factors = factorEntries(spec);
  if (factors.length === 0) return [{ id: 'base', label: 'base' }];
  if (variantCount(spec) > limit) return [];
  let combos: Array<Array<[string, unknown]>> = [[]];
  for (const f of factors) combos = combos.flatMap((c) => f.values.map((v) => [...c, [f.key, v] as [string, unknown]]));
  return combos.map((c) => ({
    id: c.map(([k, v]) => `${k}=${idValue(v)}`).join(','),
    label: c
      .map(([k, v]) => {
        if (k in NUMERIC_LABEL) return `${NUMERIC_LABEL[k]} ${idValue(v)}`;
        const named = factorInfo(k)?.valueLabel;
        if (named) return named(idValue(v));
        if (/^(model|train)[.[]/.test(k)) return `${k.replace(/^.*\./, '').replace(/\[.*$/, '')} ${idValue(v)}`;
        return idValue(v);
      })
      .join(' · '),
  }));
}

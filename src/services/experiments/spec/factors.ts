/**
 * Compare factors: what one key of `compare` does to a variant's config. A key is a named factor
 * (below) or a config path (config-path.ts). Each value of a factor becomes a `FactorLevel`: its
 * text in variant ids, a canonical form (two values with the same canonical form set the same
 * config and are duplicates), a label and the edit it makes. Factors apply in key order to a copy
 * of the base config; named factors that set "every hidden layer" act on the layers present when
 * they apply, so width/depth/activation/regularizer give the same result in any order.
 *
 *   activation  every hidden layer's activation; alpha = the default for leaky_relu (0.01) and elu
 *               (1), removed for the others (init gains follow the new activation)
 *   regularizer presets.ts
 *   init        model.init.weights = <name> (sigma and value removed), "normal-<sigma>" for
 *               N(0, sigma^2), or "constant-<value>" for every weight equal to value
 *   optimizer   sgd | sgd-momentum (0.9) | nesterov (momentum 0.9) | adam | adamw | rmsprop | adagrad
 *               (PyTorch defaults), keeping the lr and
 *               weight decay already set; other optimizer fields return to their defaults
 *   lr          train.optimizer.lr          batchSize  train.batchSize
 *   width       every hidden layer's width  depth      number of hidden layers, copies of the first
 *   data.preprocess, data.trainSize, data.noise   the variant's data spec (data-factors.ts)
 */
import {
  ACTIVATIONS,
  Checker,
  defaultAlpha,
  describe,
  fieldsOf,
  INITIALIZERS,
  rangeOf,
  valuesOf,
  type OptimizerConfig,
  shownJson,
} from '../../../engine/index.js';
import { canonicalJson } from '../../canonical-json.js';
import { applyConfigPath, parseConfigPath } from './config-path.js';
import { DATA_FACTORS, dataFactorFor, isDataKey } from './data-factors.js';
import { quoteList, suggestion } from './errors.js';
import { applyRegularizer, canonicalRegularizer, parseDecimal, parseRegularizer, type EditableConfig } from './presets.js';
import { COMPARE_HINT } from './schema-messages.js';

export type { EditableConfig };

export interface FactorLevel {
  /** The value as written, as it appears in variant ids ("relu", "0.01", "dropout-0.2"). */
  text: string;
  /** Equal for values that configure the same thing ("l2-1e-4" and "l2-0.0001"). */
  canonical: string;
  label: string;
  /** Edits the config in place; returns why it cannot, or null. */
  apply(config: EditableConfig): string | null;
}

export interface Factor {
  key: string;
  /** Reads one value; a string is why the value is not accepted (with the allowed values). */
  level(value: unknown): FactorLevel | string;
}

export const NAMED_FACTORS = ['activation', 'regularizer', 'init', 'optimizer', 'lr', 'batchSize', 'width', 'depth'] as const;
export type NamedFactor = (typeof NAMED_FACTORS)[number];
// The list above is the vocabulary's (its `compare` fields), spelt out for the type; checked here.
if (fieldsOf('compare').join() !== NAMED_FACTORS.join()) throw new Error('factors.ts: NAMED_FACTORS differ from the vocabulary');

export const OPTIMIZER_PRESETS = valuesOf('compare.optimizer[]');
/**
 * Initializer names the init factor takes as they are; "normal" needs its sigma ("normal-0.01") and
 * "constant" its value ("constant-0.1").
 */
export const INIT_NAMES = INITIALIZERS.filter((n) => n !== 'normal' && n !== 'constant');

/** The factor for a compare key, or why the key is neither a named factor nor a valid config path. */
export function factorFor(key: string): Factor | string {
  if ((NAMED_FACTORS as readonly string[]).includes(key)) return { key, level: NAMED[key as NamedFactor] };
  if (isDataKey(key)) return dataFactorFor(key);
  if (/^(model|train)[.[]/.test(key)) {
    const path = parseConfigPath(key);
    if (typeof path === 'string') return `is not a valid config path: ${path}`;
    return {
      key,
      level: (value) => {
        const problems = path.check(value);
        if (problems.length > 0) return `is not a valid value for ${key}: ${problems.join('; ')}`;
        const text = valueText(value);
        return {
          text,
          canonical: canonicalJson(value),
          label: `${path.field} ${text}`,
          apply: (c) => applyConfigPath(c, path, value),
        };
      },
    };
  }
  return `is not a known factor; allowed: ${NAMED_FACTORS.join(', ')}, ${COMPARE_HINT}${suggestion(key, [...NAMED_FACTORS, ...DATA_FACTORS])}`;
}

/**
 * How a value appears in ids: strings as written, numbers in JavaScript's shortest form, others as
 * canonical JSON (keys sorted; members set to undefined are left out, as in the stored experiment
 * file, so ids made before and after a JSON round trip agree).
 */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return canonicalJson(value);
}

type LevelFn = (value: unknown) => FactorLevel | string;

/** A numeric factor: range-checked with the engine's Checker wording. */
function numeric(opts: Parameters<Checker['number']>[2], label: string, set: (c: EditableConfig, v: number) => string | null): LevelFn {
  return (value) => {
    const c = new Checker();
    if (!c.number('', value, opts)) return c.issues[0].message;
    const v = value as number;
    return { text: String(v), canonical: String(v), label: `${label} ${v}`, apply: (cfg) => set(cfg, v) };
  };
}

/** A factor whose values are names; `forms` are further allowed forms, for the message. */
function named(allowed: readonly string[], set: (c: EditableConfig, v: string) => string | null, forms: string[] = []): LevelFn {
  return (value) => {
    if (typeof value === 'string' && allowed.includes(value))
      return { text: value, canonical: value, label: value, apply: (c) => set(c, value) };
    return `must be one of ${[quoteList(allowed), ...forms].join(', ')}, got ${describe(value)}${suggestion(value, allowed)}`;
  };
}

const initByName = named(
  INIT_NAMES,
  (c, name) => {
    c.model.init = { ...c.model.init, weights: name as (typeof INITIALIZERS)[number] };
    delete c.model.init.sigma;
    delete c.model.init.value;
    return null;
  },
  ['"normal-<sigma>"', '"constant-<value>"'],
);

function initConstant(value: string): FactorLevel | string {
  const text = value.startsWith('constant-') ? value.slice('constant-'.length) : null;
  const magnitude = text === null ? null : parseDecimal(text.startsWith('-') ? text.slice(1) : text);
  const v = magnitude === null ? null : text!.startsWith('-') ? -magnitude : magnitude;
  if (v === null || Math.abs(v) > 1e6) {
    return `"constant" needs its value (from -1000000 to 1000000), written constant-<value> such as "constant-0.1" or "constant--0.1", got ${JSON.stringify(value)}`;
  }
  const apply = (c: EditableConfig) => {
    c.model.init = { ...c.model.init, weights: 'constant', value: v };
    delete c.model.init.sigma;
    return null;
  };
  return { text: value, canonical: `constant-${v}`, label: value, apply };
}

function initNormal(value: string): FactorLevel | string {
  const sigma = value.startsWith('normal-') ? parseDecimal(value.slice('normal-'.length)) : null;
  if (sigma === null || !(sigma > 0) || sigma > 1e6) {
    return `"normal" needs its standard deviation (above 0, at most 1000000), written normal-<sigma> such as "normal-0.01", got ${shownJson(value)}`;
  }
  const apply = (c: EditableConfig) => {
    c.model.init = { ...c.model.init, weights: 'normal', sigma };
    delete c.model.init.value;
    return null;
  };
  return { text: value, canonical: `normal-${sigma}`, label: value, apply };
}

const NAMED: Record<NamedFactor, LevelFn> = {
  activation: named(ACTIVATIONS, (c, name) => {
    for (const layer of c.model.hidden) {
      layer.activation = name as (typeof ACTIVATIONS)[number];
      if (name === 'leaky_relu' || name === 'elu') layer.alpha = defaultAlpha(name);
      else delete layer.alpha;
    }
    return null;
  }),
  regularizer: (value) => {
    const parts = parseRegularizer(value);
    if (typeof parts === 'string') return parts;
    return {
      text: value as string,
      canonical: canonicalRegularizer(parts),
      label: value as string,
      apply: (c) => (applyRegularizer(c, parts), null),
    };
  },
  init: (value) =>
    typeof value === 'string' && value.startsWith('normal')
      ? initNormal(value)
      : typeof value === 'string' && value.startsWith('constant')
        ? initConstant(value)
        : initByName(value),
  optimizer: named(OPTIMIZER_PRESETS, (c, preset) => {
    const { lr, weightDecay } = c.train.optimizer;
    const keep = weightDecay === undefined ? {} : { weightDecay };
    const presets: Record<string, OptimizerConfig> = {
      sgd: { name: 'sgd', lr, ...keep },
      'sgd-momentum': { name: 'sgd', lr, momentum: 0.9, ...keep },
      nesterov: { name: 'sgd', lr, momentum: 0.9, nesterov: true, ...keep },
      adam: { name: 'adam', lr, ...keep },
      adamw: { name: 'adamw', lr, ...keep },
      rmsprop: { name: 'rmsprop', lr, ...keep },
      adagrad: { name: 'adagrad', lr, ...keep },
    };
    c.train.optimizer = presets[preset];
    return null;
  }),
  lr: numeric(rangeOf('compare.lr[]'), 'lr', (c, v) => ((c.train.optimizer.lr = v), null)),
  batchSize: numeric(rangeOf('compare.batchSize[]'), 'batch', (c, v) => ((c.train.batchSize = v), null)),
  width: numeric(rangeOf('compare.width[]'), 'width', (c, v) => {
    for (const layer of c.model.hidden) layer.width = v;
    return null;
  }),
  depth: numeric(rangeOf('compare.depth[]'), 'depth', (c, v) => {
    const first = c.model.hidden[0];
    if (v > 0 && first === undefined) return 'depth copies the first hidden layer, but this config has no hidden layer';
    c.model.hidden = Array.from({ length: v }, () => structuredClone(first));
    return null;
  }),
};

/**
 * The experiment file: the published JSON Schema agrees with the engine, broken files are rejected
 * with messages that name the field path and what is allowed (the corpus in
 * test/fixtures/experiments/broken, each file with the message fragments it must produce in a
 * sibling .expected.txt), valid files expand into a stable grid of variants and runs, presets set
 * exactly what docs/experiments.md says, and runs with the same seed are paired across variants.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, BATCH_NORM_PLACEMENTS, HEADS, INITIALIZERS, MONITORS } from '../src/engine/config/types.js';
import { DATA_SOURCE_NAMES, getDataSource } from '../src/engine/data/registry.js';
import { CSV_CATEGORICAL, CSV_MISSING, CSV_TASKS, PREPROCESS, SYNTHETIC_KINDS } from '../src/engine/data/spec.js';
import { KERNEL_SETS } from '../src/engine/kernels/sets.js';
import { Purpose } from '../src/engine/rng/hash.js';
import { stream } from '../src/engine/rng/stream.js';
import { expandExperiment } from '../src/services/experiments/spec/expand.js';
import { INIT_NAMES, NAMED_FACTORS, OPTIMIZER_PRESETS } from '../src/services/experiments/spec/factors.js';
import { readJsonText } from '../src/services/experiments/spec/json-text.js';
import { ExperimentError, parseExperiment, validateExperiment } from '../src/services/experiments/spec/validate.js';
import type { ExperimentSpec } from '../src/services/experiments/types.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'experiments');
const SCHEMA_FILE = join(import.meta.dirname, '..', 'schema', 'experiment.schema.json');
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the schema is walked as plain JSON
const schema: any = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
const defs = schema.$defs;

const base = (): ExperimentSpec => ({
  version: 1,
  name: 'test',
  data: { source: 'synthetic', kind: 'circles', n: 200 },
  model: {
    inputSize: 2,
    hidden: [
      { width: 8, activation: 'relu' },
      { width: 8, activation: 'relu' },
    ],
    outputSize: 2,
    head: 'softmax',
    init: { weights: 'he_uniform', bias: 'zeros' },
  },
  train: { epochs: 2, batchSize: 16, optimizer: { name: 'sgd', lr: 0.1 } },
  seeds: [0, 1, 2],
});

function errorOf(run: () => unknown): ExperimentError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ExperimentError);
    return e as ExperimentError;
  }
  throw new Error('expected an ExperimentError');
}

/** The first variant's resolved config with `compare` set to one factor value. */
function configWith(key: string, value: unknown, mutate: (s: ExperimentSpec) => void = () => {}) {
  const spec = { ...base(), compare: { [key]: [value] } };
  mutate(spec);
  return expandExperiment(validateExperiment(spec, 'test.json')).runs[0].config;
}

describe('the JSON Schema', () => {
  it('is a valid draft 2020-12 schema with a stable $id', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe('https://ablate.dev/schema/experiment-v1.json');
    const ajv = new Ajv2020({ discriminator: true, allowUnionTypes: true });
    expect(ajv.validateSchema(schema)).toBe(true);
  });

  it('lists exactly the engine constants in its enums, so they cannot drift', () => {
    expect(defs.hiddenLayer.properties.activation.enum).toEqual([...ACTIVATIONS]);
    expect(defs.hiddenLayer.properties.batchNorm.enum).toEqual([...BATCH_NORM_PLACEMENTS]);
    expect(defs.model.properties.head.enum).toEqual([...HEADS]);
    expect(defs.model.properties.init.properties.weights.enum).toEqual([...INITIALIZERS]);
    expect(defs.earlyStopping.properties.monitor.enum).toEqual([...MONITORS]);
    expect(schema.properties.execution.properties.kernels.enum).toEqual([...KERNEL_SETS]);
    expect(defs.preprocess.enum).toEqual([...PREPROCESS]);
    const synthetic = defs.data.oneOf.find((b: { properties: { source: { const: string } } }) => b.properties.source.const === 'synthetic');
    expect(synthetic.properties.kind.enum).toEqual([...SYNTHETIC_KINDS]);
    const csv = defs.data.oneOf.find((b: { properties: { source: { const: string } } }) => b.properties.source.const === 'csv');
    expect(csv.properties.task.enum).toEqual([...CSV_TASKS]);
    expect(csv.properties.missing.enum).toEqual([...CSV_MISSING]);
    expect(csv.properties.categorical.enum).toEqual([...CSV_CATEGORICAL]);
    // The compare section: named factors and the presets the factors accept.
    expect(Object.keys(defs.compare.properties)).toEqual([...NAMED_FACTORS]);
    expect(defs.compare.properties.activation.items.enum).toEqual([...ACTIVATIONS]);
    expect(defs.compare.properties.optimizer.items.enum).toEqual([...OPTIMIZER_PRESETS]);
    expect(defs.compare.properties.init.items.anyOf[0].enum).toEqual([...INIT_NAMES]);
  });

  it('describes every data source with exactly the fields the engine reads', () => {
    const tags = defs.data.oneOf.map((b: { properties: { source: { const: string } } }) => b.properties.source.const);
    expect(tags).toEqual([...DATA_SOURCE_NAMES]);
    for (const branch of defs.data.oneOf) {
      const own = Object.keys(branch.properties).filter((k) => !['source', 'split', 'preprocess', 'trainSize'].includes(k));
      expect(own, branch.properties.source.const).toEqual([...getDataSource(branch.properties.source.const)!.fields]);
    }
  });

  it('describes every field it defines', () => {
    for (const name of ['hiddenLayer', 'model', 'train', 'split']) {
      for (const [key, prop] of Object.entries(defs[name].properties as Record<string, { description?: string; $ref?: string }>)) {
        expect(prop.description ?? prop.$ref, `${name}.${key}`).toBeTruthy();
      }
    }
  });
});

describe('valid experiment files', () => {
  const dir = join(FIXTURES, 'valid');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

  it.each(files)('%s parses, validates and expands', (file) => {
    const spec = parseExperiment(readFileSync(join(dir, file), 'utf8'), file);
    expect(spec).not.toHaveProperty('$schema');
    const { variants, runs, seeds } = expandExperiment(spec);
    expect(runs).toHaveLength(variants.length * seeds.length);
    if (spec.baseline) expect(variants.map((v) => v.id)).toContain(spec.baseline);
  });

  it('accepts a file that starts with a byte order mark', () => {
    const text = readFileSync(join(dir, 'bom-optimizers.json'), 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(parseExperiment(text, 'bom-optimizers.json').name).toMatch(/byte order mark/);
  });
});

describe('broken experiment files', () => {
  const dir = join(FIXTURES, 'broken');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

  it('form a corpus of at least 15 files, each with its expected message', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
    for (const f of files) expect(readdirSync(dir)).toContain(f.replace(/\.json$/, '.expected.txt'));
  });

  it.each(files)('%s is rejected with a message naming the path and what is allowed', (file) => {
    const expected = readFileSync(join(dir, file.replace(/\.json$/, '.expected.txt')), 'utf8')
      .split('\n')
      .filter(Boolean);
    const err = errorOf(() => parseExperiment(readFileSync(join(dir, file), 'utf8'), file));
    expect(err.message.startsWith(`Invalid experiment ${file}`)).toBe(true);
    for (const fragment of expected) expect(err.message).toContain(fragment);
    for (const issue of err.issues) {
      // Every issue names a field, except those about the file as a whole (syntax: line and column).
      if (issue.path === '') expect(issue.message).toMatch(/^line \d+, column \d+: |^an experiment is a JSON object/);
      else expect(err.message).toContain(`${issue.path}: ${issue.message}`);
    }
  });

  it('never lets __proto__ reach Object.prototype', () => {
    expect(() => parseExperiment(readFileSync(join(dir, 'proto-pollution.json'), 'utf8'), 'p.json')).toThrow(ExperimentError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const spec = JSON.parse('{"model": {"__proto__": {"inputSize": 3}}}');
    const err = errorOf(() => validateExperiment({ ...base(), model: { ...base().model, ...spec.model } }, 'x.json'));
    expect(err.issues).toEqual([{ path: 'model.__proto__', message: expect.stringMatching(/reserved/) }]);
  });

  it('reports every problem of a file at once', () => {
    const spec = { ...base(), version: 3, train: { ...base().train, epochs: 0 }, seeds: [1, 1], baseline: 'nope' };
    const err = errorOf(() => validateExperiment(spec, 'many.json'));
    expect(err.issues.map((i) => i.path)).toEqual(['version', 'train.epochs', 'seeds[1]', 'baseline']);
    expect(err.message).toMatch(/^Invalid experiment many.json \(4 problems\):\n {2}- version: /);
  });
});

describe('reading JSON text', () => {
  const syntax = (text: string) => {
    const r = readJsonText(text);
    if (r.ok) throw new Error('expected a syntax error');
    return r.issue.message;
  };

  it('gives the line and column of syntax errors and says what was expected', () => {
    expect(syntax('{\n  "a": 1,\n  "b": [1, 2,]\n}')).toBe(
      'line 3, column 13: trailing comma before "]": JSON allows no comma after the last item',
    );
    expect(syntax('{"a": 1,}')).toBe('line 1, column 8: trailing comma before "}": JSON allows no comma after the last field');
    expect(syntax("{'a': 1}")).toMatch(/^line 1, column 2: field names must be in double quotes/);
    expect(syntax('{"a": tru}')).toMatch(/^line 1, column 7: unexpected "tru"; expected a value/);
    expect(syntax('{"a": 01}')).toMatch(/^line 1, column 7: "01" is not a JSON number/);
    expect(syntax('{"a": 1} x')).toBe('line 1, column 10: unexpected "x" after the end of the JSON value');
    expect(syntax('{\r\n"a": "x\n"}')).toMatch(/^line 2, column 6: this string is never closed on its line/);
    expect(syntax('{"a": [1, 2')).toMatch(/^line 1, column 7: this list is never closed/);
  });

  it('ignores a byte order mark without shifting columns', () => {
    expect(syntax('\ufeff{"a": 1,}')).toMatch(/^line 1, column 8: /);
    expect(readJsonText('\ufeff{"a": 1}')).toEqual({ ok: true, value: { a: 1 }, duplicates: [] });
  });

  it('reports keys written twice with both positions', () => {
    const r = readJsonText('{"train": {"lr": 1,\n "lr": 2}}');
    expect(r.ok && r.duplicates).toEqual([
      { path: 'train.lr', message: expect.stringContaining('(line 1, column 12 and line 2, column 2)') },
    ]);
  });
});

describe('grid expansion', () => {
  const spec = (): ExperimentSpec => ({
    ...base(),
    compare: { activation: ['sigmoid', 'relu'], regularizer: ['none', 'dropout-0.2', 'l2-1e-4'] },
  });

  it('is the cartesian product in key order, the first key varying slowest', () => {
    const { variants, runs, seeds } = expandExperiment(validateExperiment(spec(), 't.json'));
    expect(seeds).toEqual([0, 1, 2]);
    expect(variants.map((v) => v.id)).toEqual([
      'activation=sigmoid,regularizer=none',
      'activation=sigmoid,regularizer=dropout-0.2',
      'activation=sigmoid,regularizer=l2-1e-4',
      'activation=relu,regularizer=none',
      'activation=relu,regularizer=dropout-0.2',
      'activation=relu,regularizer=l2-1e-4',
    ]);
    expect(variants[4].label).toBe('relu · dropout-0.2');
    expect(variants[4].factors).toEqual({ activation: 'relu', regularizer: 'dropout-0.2' });
    expect(runs.map((r) => `${r.variant.id}/${r.seed}`).slice(0, 4)).toEqual([
      'activation=sigmoid,regularizer=none/0',
      'activation=sigmoid,regularizer=none/1',
      'activation=sigmoid,regularizer=none/2',
      'activation=sigmoid,regularizer=dropout-0.2/0',
    ]);
    expect(runs[13].id).toBe('04-activation-relu_regularizer-dropout-0.2-s1');
  });

  it('gives unique, file-system-safe run ids that are the same on every expansion', () => {
    const a = expandExperiment(validateExperiment(spec(), 't.json')).runs.map((r) => r.id);
    const b = expandExperiment(validateExperiment(spec(), 't.json')).runs.map((r) => r.id);
    expect(a).toEqual(b);
    expect(new Set(a.map((id) => id.toLowerCase())).size).toBe(a.length);
    for (const id of a) expect(id).toMatch(/^[0-9]{2,}-[a-z0-9._-]+-s[0-9]+$/);
    const paths = { ...base(), compare: { 'model.hidden[*].dropout': [0, 0.5], 'train.optimizer.momentum': [0.9] } };
    for (const r of expandExperiment(validateExperiment(paths, 't.json')).runs) expect(r.id).toMatch(/^[a-z0-9._-]+$/);
  });

  it('is one variant "base" without compare, and expands {count, start} seeds', () => {
    const { variants, runs } = expandExperiment(validateExperiment({ ...base(), seeds: { count: 3, start: 10 } }, 't.json'));
    expect(variants).toEqual([{ id: 'base', label: 'base', factors: {} }]);
    expect(runs.map((r) => r.id)).toEqual(['00-base-s10', '00-base-s11', '00-base-s12']);
  });

  it('labels numeric factors and config paths with their name', () => {
    const s = { ...base(), compare: { lr: [0.01], batchSize: [32], width: [4], depth: [1], 'train.optimizer.momentum': [0.5] } };
    const [v] = expandExperiment(validateExperiment(s, 't.json')).variants;
    expect(v.label).toBe('lr 0.01 · batch 32 · width 4 · depth 1 · momentum 0.5');
    expect(v.id).toBe('lr=0.01,batchSize=32,width=4,depth=1,train.optimizer.momentum=0.5');
  });
});

describe('common random numbers', () => {
  it('gives every variant the same seeds and each run config the seed of its run', () => {
    const spec = { ...base(), compare: { activation: ['tanh', 'relu'], regularizer: ['none', 'dropout-0.5'] }, seeds: [7, 3, 11] };
    const { variants, runs } = expandExperiment(validateExperiment(spec, 't.json'));
    for (const r of runs) expect(r.config.seed).toBe(r.seed);
    for (const v of variants) expect(runs.filter((r) => r.variant.id === v.id).map((r) => r.config.seed)).toEqual([7, 3, 11]);
    // The engine draws the data order from stream(config.seed, shuffle, epoch): paired runs see the same order.
    const order = (seed: number) => {
      const o = Array.from({ length: 20 }, (_, i) => i);
      stream(seed, Purpose.shuffle, 0).shuffle(o);
      return o;
    };
    const bySeed = (seed: number) => runs.filter((r) => r.seed === seed).map((r) => order(r.config.seed));
    for (const seed of [7, 3, 11]) for (const o of bySeed(seed)) expect(o).toEqual(order(seed));
    expect(order(7)).not.toEqual(order(3));
  });
});

describe('factor presets', () => {
  it('activation sets every hidden layer and its default alpha', () => {
    const c = configWith('activation', 'leaky_relu');
    expect(c.model.hidden.map((l) => [l.activation, l.alpha])).toEqual([
      ['leaky_relu', 0.01],
      ['leaky_relu', 0.01],
    ]);
    const e = configWith('activation', 'tanh', (s) => (s.model.hidden[0] = { width: 8, activation: 'elu', alpha: 0.5 }));
    expect(e.model.hidden[0]).toMatchObject({ activation: 'tanh', alpha: 0 });
  });

  it('regularizer presets set exactly their fields and clear the others', () => {
    const regularized = (s: ExperimentSpec) => {
      s.model.hidden[0].dropout = 0.3;
      s.train.penalties = { l1: 1e-3 };
      s.train.earlyStopping = { patience: 2 };
    };
    const none = configWith('regularizer', 'none', regularized);
    expect(none.model.hidden.map((l) => [l.dropout, l.batchNorm])).toEqual([
      [0, 'none'],
      [0, 'none'],
    ]);
    expect(none.train).toMatchObject({ penalties: { l1: 0, l2: 0 }, earlyStopping: null, optimizer: { weightDecay: 0 } });
    expect(configWith('regularizer', 'dropout-0.2', regularized).model.hidden.map((l) => l.dropout)).toEqual([0.2, 0.2]);
    expect(configWith('regularizer', 'l2-1e-4').train.penalties).toEqual({ l1: 0, l2: 1e-4 });
    expect(configWith('regularizer', 'l1-0.001').train.penalties).toEqual({ l1: 0.001, l2: 0 });
    expect(configWith('regularizer', 'weight-decay-5e-4').train.optimizer.weightDecay).toBe(5e-4);
    expect(configWith('regularizer', 'batchnorm').model.hidden.map((l) => l.batchNorm)).toEqual(['pre', 'pre']);
    expect(configWith('regularizer', 'early-stopping').train.earlyStopping).toEqual({
      monitor: 'val_loss',
      minDelta: 0,
      patience: 5,
      restoreBestWeights: true,
      startFromEpoch: 0,
    });
    const both = configWith('regularizer', 'dropout-0.1+early-stopping');
    expect([both.model.hidden[1].dropout, both.train.earlyStopping?.patience]).toEqual([0.1, 5]);
    const adamw = configWith('regularizer', 'none', (s) => (s.train.optimizer = { name: 'adamw', lr: 1e-3 }));
    expect(adamw.train.optimizer.weightDecay).toBe(0);
  });

  it('init sets the weight initializer, with sigma for normal-<sigma>', () => {
    expect(configWith('init', 'normal-0.01').model.init).toEqual({ weights: 'normal', bias: 'zeros', sigma: 0.01 });
    expect(configWith('init', 'zeros', (s) => (s.model.init = { weights: 'normal', bias: 'zeros', sigma: 1 })).model.init).toEqual({
      weights: 'zeros',
      bias: 'zeros',
    });
  });

  it('optimizer presets keep the learning rate and weight decay and reset the rest', () => {
    const keep = (s: ExperimentSpec) => (s.train.optimizer = { name: 'adam', lr: 0.003, beta1: 0.5, weightDecay: 1e-4 });
    expect(configWith('optimizer', 'sgd-momentum', keep).train.optimizer).toMatchObject({
      name: 'sgd',
      lr: 0.003,
      momentum: 0.9,
      weightDecay: 1e-4,
    });
    expect(configWith('optimizer', 'nesterov', keep).train.optimizer).toMatchObject({ name: 'sgd', momentum: 0.9, nesterov: true });
    expect(configWith('optimizer', 'adam', keep).train.optimizer).toMatchObject({ name: 'adam', lr: 0.003, beta1: 0.9 });
    expect(configWith('optimizer', 'adamw').train.optimizer).toMatchObject({ name: 'adamw', lr: 0.1, weightDecay: 0.01 });
    expect(configWith('optimizer', 'sgd').train.optimizer).toMatchObject({ name: 'sgd', momentum: 0, nesterov: false });
  });

  it('lr, batchSize, width and depth set their fields; depth copies the first hidden layer', () => {
    expect(configWith('lr', 0.5).train.optimizer.lr).toBe(0.5);
    expect(configWith('batchSize', 4).train.batchSize).toBe(4);
    expect(configWith('width', 3).model.hidden.map((l) => l.width)).toEqual([3, 3]);
    const deep = configWith(
      'depth',
      3,
      (s) =>
        (s.model.hidden = [
          { width: 5, activation: 'tanh', dropout: 0.1 },
          { width: 9, activation: 'relu' },
        ]),
    );
    expect(deep.model.hidden.map((l) => [l.width, l.activation, l.dropout])).toEqual([
      [5, 'tanh', 0.1],
      [5, 'tanh', 0.1],
      [5, 'tanh', 0.1],
    ]);
    expect(configWith('depth', 0).model.hidden).toEqual([]);
  });

  it('width and depth give the same config in either key order', () => {
    const a = { ...base(), compare: { width: [4], depth: [3] } };
    const b = { ...base(), compare: { depth: [3], width: [4] } };
    const cfg = (s: ExperimentSpec) => expandExperiment(validateExperiment(s, 't.json')).runs[0].config;
    expect(cfg(a)).toEqual(cfg(b));
  });

  it('config paths set one element with [n], every element with [*], and create missing objects', () => {
    expect(configWith('model.hidden[*].dropout', 0.25).model.hidden.map((l) => l.dropout)).toEqual([0.25, 0.25]);
    expect(configWith('model.hidden[1].width', 3).model.hidden.map((l) => l.width)).toEqual([8, 3]);
    expect(configWith('train.penalties.l2', 0.01).train.penalties).toEqual({ l1: 0, l2: 0.01 });
    expect(configWith('train.earlyStopping.patience', 3).train.earlyStopping).toMatchObject({ patience: 3, monitor: 'val_loss' });
    expect(configWith('train.optimizer', { name: 'adam', lr: 0.01 }).train.optimizer).toMatchObject({ name: 'adam', lr: 0.01 });
  });

  it('reports values that set the same config as duplicates', () => {
    const spec = { ...base(), compare: { regularizer: ['l2-1e-4', 'l2-0.0001'], lr: [0.1, 0.1] } };
    const err = errorOf(() => validateExperiment(spec, 'd.json'));
    expect(err.issues.map((i) => i.path)).toEqual(['compare.regularizer[1]', 'compare.lr[1]']);
    expect(err.issues[0].message).toMatch(/^repeats compare\.regularizer\[0\]/);
  });
});

describe('messages', () => {
  const issues = (mutate: (s: ExperimentSpec & Record<string, unknown>) => void) => {
    const spec = base() as ExperimentSpec & Record<string, unknown>;
    mutate(spec);
    return errorOf(() => validateExperiment(spec, 'm.json')).issues;
  };

  it('list the allowed tags of a tagged union once when the tag is missing', () => {
    expect(issues((s) => (s.data = {} as never))).toEqual([
      { path: 'data.source', message: 'is required; one of "mnist", "synthetic", "idx", "csv"' },
    ]);
    expect(issues((s) => (s.train.optimizer = { lr: 0.1 } as never))).toEqual([
      { path: 'train.optimizer.name', message: 'is required; one of "sgd", "adam", "adamw", "rmsprop", "adagrad"' },
    ]);
  });

  it('say the expected type and range, and reject NaN', () => {
    expect(issues((s) => (s.train.optimizer.lr = Number.NaN))).toEqual([
      { path: 'train.optimizer.lr', message: 'must be a number above 0 and at most 1000000, got NaN' },
    ]);
    expect(issues((s) => (s.diagnostics = { histogramRange: [1, 2, 3] as never }))).toEqual([
      { path: 'diagnostics.histogramRange', message: 'must list exactly 2 items, got 3' },
    ]);
  });

  it('reject reserved names in config paths', () => {
    expect(issues((s) => (s.compare = { 'model.__proto__.polluted': [1] }))).toEqual([
      { path: 'compare["model.__proto__.polluted"]', message: 'is not a valid config path: "__proto__" is a reserved name, not a field' },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('check objects set through a config path against the schema of that field', () => {
    const found = issues((s) => (s.compare = { 'model.hidden[0]': [{ width: 4, activation: 'tanh', widht: 3 }] }));
    expect(found).toEqual([
      {
        path: 'compare["model.hidden[0]"][0]',
        message: expect.stringMatching(
          /^is not a valid value for model\.hidden\[0\]: widht: is not a known field .*did you mean "width"\?$/,
        ),
      },
    ]);
  });

  it('report a problem shared by several variants once, naming them', () => {
    const found = issues((s) => {
      s.train.optimizer = { name: 'adam', lr: 1e-3 };
      s.compare = { 'train.optimizer.momentum': [0.1, 0.2, 0.3, 0.4, 0.5] };
    });
    expect(found).toHaveLength(1);
    expect(found[0].path).toBe('train.optimizer.momentum');
    expect(found[0].message).toMatch(
      /^in variants "train\.optimizer\.momentum=0\.1", "train\.optimizer\.momentum=0\.2", "train\.optimizer\.momentum=0\.3" and 2 more: is not a known field for name "adam"; allowed: name, lr, beta1, beta2, eps, weightDecay$/,
    );
  });

  it('limit the size of the grid', () => {
    const lrs = Array.from({ length: 200 }, (_, i) => (i + 1) / 1000);
    const sizes = Array.from({ length: 60 }, (_, i) => i + 1);
    expect(issues((s) => (s.compare = { lr: lrs, batchSize: sizes }))).toEqual([
      { path: 'compare', message: 'makes 12000 variants; the limit is 10000' },
    ]);
  });
});

/**
 * Bad configs are rejected before training with ConfigError naming every offending field and
 * what is allowed; a config that does not fit its data is rejected the same way.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- these tests build deliberately invalid configs field by field */
import { describe, expect, it } from 'vitest';
import { checkConfigFitsData } from '../src/engine/config/fit-data.js';
import { validateRunConfig } from '../src/engine/config/validate.js';
import { ConfigError } from '../src/engine/errors.js';

const base = () => ({
  seed: 1,
  model: {
    inputSize: 4,
    hidden: [{ width: 8, activation: 'relu' }],
    outputSize: 3,
    head: 'softmax',
    init: { weights: 'he_uniform', bias: 'zeros' },
  },
  train: { epochs: 2, batchSize: 8, optimizer: { name: 'sgd', lr: 0.1 } },
});

function issuesOf(mutate: (c: ReturnType<typeof base>) => void): Array<{ path: string; message: string }> {
  const c = base();
  mutate(c);
  try {
    validateRunConfig(c);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
}

describe('run config validation', () => {
  it('accepts the base config and fills defaults', () => {
    const r = validateRunConfig(base());
    expect(r.model.hidden[0]).toEqual({ width: 8, activation: 'relu', alpha: 0, batchNorm: 'none', dropout: 0, residual: false });
    expect(r.train.optimizer.momentum).toBe(0);
    expect(r.train.clip).toEqual({ kind: 'none' });
  });

  const cases: Array<[string, (c: any) => void, string, RegExp]> = [
    ['a negative learning rate', (c) => (c.train.optimizer.lr = -0.1), 'train.optimizer.lr', /above 0/],
    ['dropout of 1', (c) => (c.model.hidden[0].dropout = 1), 'model.hidden[0].dropout', /below 1/],
    ['dropout below 0', (c) => (c.model.hidden[0].dropout = -0.2), 'model.hidden[0].dropout', /at least 0/],
    ['zero width', (c) => (c.model.hidden[0].width = 0), 'model.hidden[0].width', /at least 1/],
    ['a fractional width', (c) => (c.model.hidden[0].width = 2.5), 'model.hidden[0].width', /whole number/],
    ['an unknown activation', (c) => (c.model.hidden[0].activation = 'swish'), 'model.hidden[0].activation', /"relu"/],
    ['an unknown optimizer', (c) => (c.train.optimizer.name = 'lbfgs'), 'train.optimizer.name', /"sgd", "adam", "adamw"/],
    [
      'batch norm with batch size 1',
      (c) => ((c.model.hidden[0].batchNorm = 'pre'), (c.train.batchSize = 1)),
      'train.batchSize',
      /at least 2 samples/,
    ],
    ['a softmax head with one output', (c) => (c.model.outputSize = 1), 'model.outputSize', /at least 2 outputs/],
    ['a typo in a field name', (c) => (c.train.epoch = 3), 'train.epoch', /not a known field/],
    ['alpha on relu', (c) => (c.model.hidden[0].alpha = 0.1), 'model.hidden[0].alpha', /only leaky_relu and elu/],
    ['nesterov without momentum', (c) => (c.train.optimizer.nesterov = true), 'train.optimizer.nesterov', /momentum above 0/],
    ['a normal init without sigma', (c) => (c.model.init.weights = 'normal'), 'model.init.sigma', /finite number/],
    ['a seed that is not a whole number', (c) => (c.seed = 1.5), 'seed', /whole number/],
    [
      'accuracy monitor on regression',
      (c) => ((c.model.head = 'linear'), (c.train.earlyStopping = { monitor: 'val_accuracy' })),
      'train.earlyStopping.monitor',
      /not defined for a linear/,
    ],
    ['an unknown schedule', (c) => (c.train.schedule = { name: 'warmup' }), 'train.schedule.name', /"constant", "step"/],
    ['clip norm of 0', (c) => (c.train.clip = { kind: 'norm', maxNorm: 0 }), 'train.clip.maxNorm', /above 0/],
  ];
  for (const [what, mutate, path, message] of cases) {
    it(`rejects ${what}, naming ${path}`, () => {
      const issues = issuesOf(mutate);
      const hit = issues.find((i) => i.path === path);
      expect(hit, JSON.stringify(issues)).toBeDefined();
      expect(hit!.message).toMatch(message);
    });
  }

  it('reports every problem at once, in one readable message', () => {
    const c: any = base();
    c.train.optimizer.lr = 0;
    c.model.hidden[0].dropout = 2;
    try {
      validateRunConfig(c);
      throw new Error('no error');
    } catch (e) {
      expect((e as ConfigError).issues).toHaveLength(2);
      expect((e as Error).message).toMatch(/2 problems/);
      expect((e as Error).message).toMatch(/train\.optimizer\.lr/);
      expect((e as Error).stack).toBeDefined();
    }
  });

  it('rejects non-objects without crashing', () => {
    for (const bad of [null, 42, 'x', [], { model: null, train: [] }]) expect(() => validateRunConfig(bad)).toThrow(ConfigError);
  });
});

describe('config against data', () => {
  const cfg = validateRunConfig(base());
  const data = { name: 'iris.csv', d: 4, targets: { kind: 'class' as const, classes: 3 }, trainRows: 100, validationRows: 20 };
  it('accepts a matching dataset', () => expect(() => checkConfigFitsData(cfg, data)).not.toThrow());
  it('names the input size and the class count when they do not match', () => {
    expect(() => checkConfigFitsData(cfg, { ...data, d: 5 })).toThrow(/model\.inputSize: is 4 but dataset "iris.csv" has 5 features/);
    expect(() => checkConfigFitsData(cfg, { ...data, targets: { kind: 'class', classes: 4 } })).toThrow(
      /model\.outputSize: is 3 but .* has 4 classes/,
    );
    expect(() => checkConfigFitsData(cfg, { ...data, targets: { kind: 'vector', width: 3 } })).toThrow(/model\.head/);
  });
  it('needs a validation split for val_ monitors', () => {
    const es = validateRunConfig({ ...base(), train: { ...base().train, earlyStopping: { monitor: 'val_loss' } } });
    expect(() => checkConfigFitsData(es, { ...data, validationRows: 0 })).toThrow(/needs a validation split/);
  });
});

describe('resolved configs', () => {
  it('re-validate to themselves (saved configs load back)', () => {
    const raw = base();
    raw.model.hidden.push({ width: 8, activation: 'leaky_relu' } as never);
    const resolved = validateRunConfig({
      ...raw,
      train: { ...raw.train, optimizer: { name: 'adamw', lr: 1e-3 }, earlyStopping: { patience: 2 } },
    });
    expect(validateRunConfig(JSON.parse(JSON.stringify(resolved)))).toEqual(resolved);
  });
});

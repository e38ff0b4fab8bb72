/**
 * `search` in the experiment file: the trials are a pure function of the file (same file, same
 * trials; another seed or method, other trials), their values lie in the space as
 * docs/experiments.md describes it, Sobol trials keep the net's stratification after the digital
 * shift, every compare variant runs the same trials, and bad spaces are reported at their field.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { unitPoint } from '../src/services/experiments/search/samplers.js';
import { expandExperiment } from '../src/services/experiments/spec/expand.js';
import { ExperimentError, validateExperiment } from '../src/services/experiments/spec/validate.js';
import type { ExperimentSpec, SearchSpec } from '../src/services/experiments/types.js';
import { spiralSpec } from './helpers/experiments.js';

const SCHEMA_FILE = join(import.meta.dirname, '..', 'schema', 'experiment.schema.json');

/** The spiral helper with two hidden layers, no compare, and a search (`search` replaces its members). */
const spec = (search: Partial<SearchSpec> = {}, extra: Partial<ExperimentSpec> = {}): ExperimentSpec => ({
  ...(spiralSpec('search test', { compare: undefined, seeds: [0, 1] }) as ExperimentSpec),
  model: {
    inputSize: 2,
    hidden: [
      { width: 8, activation: 'relu' },
      { width: 8, activation: 'relu' },
    ],
    outputSize: 3,
    head: 'softmax',
    init: { weights: 'he_uniform', bias: 'zeros' },
  },
  search: {
    method: 'random',
    trials: 20,
    space: {
      lr: { log: [1e-4, 1] },
      'train.optimizer.weightDecay': { log: [1e-6, 1e-2] },
      width: { int: [4, 64] },
      activation: ['relu', 'tanh'],
    },
    ...search,
  },
  ...extra,
});

const trials = (s: ExperimentSpec) => expandExperiment(validateExperiment(s, 'x.json')).variants.map((v) => v.factors);

function issuesOf(s: unknown): string[] {
  try {
    validateExperiment(s, 'x.json');
  } catch (e) {
    expect(e).toBeInstanceOf(ExperimentError);
    return (e as ExperimentError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected the file to be refused');
}

describe('search: reproducible trials', () => {
  for (const method of ['random', 'sobol'] as const) {
    it(`${method}: the same file gives the same trials, another seed other ones`, () => {
      const a = trials(spec({ method }));
      expect(trials(spec({ method }))).toEqual(a);
      expect(trials(JSON.parse(JSON.stringify(spec({ method }))))).toEqual(a);
      const other = trials(spec({ method, seed: 1 }));
      expect(other).not.toEqual(a);
      // Every trial differs from its namesake under the other seed (not just one of them).
      other.forEach((t, k) => expect(t.lr).not.toBe(a[k].lr));
      expect(a).toHaveLength(20);
      expect(new Set(a.map((t) => t.lr)).size).toBeGreaterThan(15);
    });
  }

  it('random and sobol draw different trials from the same seed', () => {
    expect(trials(spec({ method: 'sobol' }))).not.toEqual(trials(spec({ method: 'random' })));
  });

  it('more trials extend the list: the first trials stay what they were', () => {
    for (const method of ['random', 'sobol'] as const) {
      expect(trials(spec({ method, trials: 30 })).slice(0, 20)).toEqual(trials(spec({ method })));
    }
  });

  it('draws values inside the space: log and int ranges, lists, 4 significant digits', () => {
    for (const method of ['random', 'sobol'] as const) {
      const t = trials(spec({ method, trials: 200 }));
      for (const x of t) {
        expect(x.lr).toBeGreaterThanOrEqual(1e-4);
        expect(x.lr).toBeLessThanOrEqual(1);
        expect(Number((x.lr as number).toPrecision(4))).toBe(x.lr);
        expect(x['train.optimizer.weightDecay']).toBeGreaterThanOrEqual(1e-6);
        expect(Number.isInteger(x.width) && (x.width as number) >= 4 && (x.width as number) <= 64).toBe(true);
        expect(['relu', 'tanh']).toContain(x.activation);
      }
      // Log-uniform: about half the learning rates below the geometric middle 1e-2 (binomial, 200 draws).
      const below = t.filter((x) => (x.lr as number) < 1e-2).length;
      expect(below).toBeGreaterThan(70);
      expect(below).toBeLessThan(130);
      expect(new Set(t.map((x) => x.width)).size).toBeGreaterThan(40);
      expect(new Set(t.map((x) => x.activation)).size).toBe(2);
    }
  });

  it('sobol: after the digital shift, 2^k trials still put one point in each 1/2^k slice of every dimension', () => {
    for (const seed of [0, 7, 123456]) {
      const points = Array.from({ length: 64 }, (_, k) => unitPoint('sobol', seed, k, 5));
      for (let d = 0; d < 5; d++) {
        const slices = new Set(points.map((p) => Math.floor(p[d] * 64)));
        expect(slices.size).toBe(64);
      }
      // Two-dimensional projections of 64 points: each of the 8 x 8 boxes of dims 0 and 1 holds one.
      expect(new Set(points.map((p) => `${Math.floor(p[0] * 8)},${Math.floor(p[1] * 8)}`)).size).toBe(64);
    }
    expect(unitPoint('sobol', 0, 0, 3)).not.toEqual([0, 0, 0]);
  });

  it('every compare variant runs the same trials with every seed, and the trial sets its config', () => {
    const s = spec({ trials: 3 }, { compare: { optimizer: ['sgd', 'adam'] } });
    s.search!.space = { lr: { log: [1e-3, 1e-1] }, 'model.hidden[*].dropout': { uniform: [0, 0.5] } };
    const { variants, runs } = expandExperiment(validateExperiment(s, 'x.json'));
    expect(variants.map((v) => v.id)).toEqual([
      'trial=1,optimizer=sgd',
      'trial=1,optimizer=adam',
      'trial=2,optimizer=sgd',
      'trial=2,optimizer=adam',
      'trial=3,optimizer=sgd',
      'trial=3,optimizer=adam',
    ]);
    expect(runs).toHaveLength(12);
    for (let k = 0; k < 3; k++) {
      const [sgd, adam] = [variants[2 * k].factors, variants[2 * k + 1].factors];
      expect(sgd).toEqual({ ...adam, optimizer: 'sgd' });
      expect(sgd.trial).toBe(k + 1);
    }
    for (const run of runs) {
      expect(run.config.train.optimizer.lr).toBe(run.variant.factors.lr);
      for (const layer of run.config.model.hidden) expect(layer.dropout).toBe(run.variant.factors['model.hidden[*].dropout']);
    }
    expect(variants[0].label).toMatch(/^trial 1 \(lr 0\.\d+, dropout 0\.\d+\) · sgd$/);
    expect(runs[0].id).toBe('00-trial-1_optimizer-sgd-s0');
  });

  it('is valid against the published schema', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false, discriminator: true });
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));
    expect(validate(spec()), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(spec({ method: 'grid' as never }))).toBe(false);
    expect(validate(spec({ space: { lr: { between: [0, 1] } } }))).toBe(false);
  });
});

describe('search: bad input is reported at its field', () => {
  const cases: [string, Partial<SearchSpec>, RegExp][] = [
    ['an unknown method', { method: 'grid' as never }, /^search\.method: must be one of "random", "sobol", "bayes"/],
    [
      'a batch for random search',
      { batch: 4 },
      /^search\.batch: is only for method "bayes" or a search with "halving", not "random" without it/,
    ],
    ['no trials', { trials: 0 }, /^search\.trials: /],
    ['an unknown factor', { space: { lrr: { log: [1e-3, 1] } } }, /^search\.space\.lrr: is not a known factor.*did you mean "lr"/],
    ['a reversed range', { space: { lr: { log: [1, 1e-3] } } }, /^search\.space\.lr\.log: must be \[lo, hi\] with lo below hi/],
    [
      'a log range from 0',
      { space: { 'train.optimizer.momentum': { log: [0, 0.9] } } },
      /^search\.space\["train\.optimizer\.momentum"\]\.log: must have lo above 0/,
    ],
    ['fractional int ends', { space: { width: { int: [4.5, 64] } } }, /^search\.space\.width\.int: must be two whole numbers/],
    [
      'a fraction range on a whole-number factor',
      { space: { width: { uniform: [4, 64] } } },
      /^search\.space\.width\.uniform: draws values .*use "int" or "logInt"/,
    ],
    ['an end the factor refuses', { space: { lr: { uniform: [0, 1] } } }, /^search\.space\.lr\.uniform\[0\]: must be .*above 0/],
    ['a value the factor refuses', { space: { activation: ['relu', 'swish'] } }, /^search\.space\.activation\[1\]: must be one of/],
    [
      'a repeated value',
      { space: { activation: ['relu', 'relu'] } },
      /^search\.space\.activation\[1\]: repeats search\.space\.activation\[0\]/,
    ],
    [
      'an unknown range kind',
      { space: { lr: { between: [0, 1] } } },
      /^search\.space\.lr: must be a list of values, or one of \{"uniform"/,
    ],
    ['an empty space', { space: {} }, /^search\.space: must name at least one factor/],
  ];
  for (const [what, search, message] of cases) {
    it(`refuses ${what}`, () => {
      const found = issuesOf(spec(search));
      expect(
        found.some((m) => message.test(m)),
        found.join('\n'),
      ).toBe(true);
    });
  }

  it('refuses a factor that is both compared and searched', () => {
    const found = issuesOf(spec({}, { compare: { activation: ['relu', 'elu'] } }));
    expect(found).toContain('search.space.activation: is also a compare factor; a factor is either compared or searched, not both');
  });

  it('names the trials whose config is invalid', () => {
    const s = spec({ trials: 4, space: { batchSize: { int: [1, 2] } } });
    s.model.hidden[0].batchNorm = 'pre';
    const found = issuesOf(s);
    expect(
      found.some((m) => /^train\.batchSize: in variants? "trial=\d+".*batch norm/.test(m)),
      found.join('\n'),
    ).toBe(true);
  });

  it('refuses an objective the runs cannot measure', () => {
    const noValidation = spec({}, { data: { source: 'synthetic', kind: 'spiral', n: 300, classes: 3, split: { validation: 0 } } });
    expect(issuesOf(noValidation)).toContain(
      'search: the default objective best.valLoss needs a validation split, but data.split.validation is 0; give it one (e.g. 0.1) or search on another metric',
    );
    const noTest = spec(
      { objective: { metric: 'test.accuracy', goal: 'max' } },
      { data: { source: 'synthetic', kind: 'spiral', n: 300, classes: 3, split: { test: 0 } } },
    );
    expect(issuesOf(noTest)[0]).toMatch(/^search\.objective\.metric: test\.accuracy needs a test split, but data\.split\.test is 0/);
    const regression = spec(
      { objective: { metric: 'best.valAccuracy', goal: 'max' } },
      {
        data: { source: 'synthetic', kind: 'sine', n: 300 },
        model: {
          inputSize: 1,
          hidden: [{ width: 8, activation: 'tanh' }],
          outputSize: 1,
          head: 'linear',
          init: { weights: 'glorot_uniform', bias: 'zeros' },
        },
      },
    );
    expect(issuesOf(regression)).toContain(
      'search.objective.metric: best.valAccuracy: a regression (linear head) has no accuracy; search on a loss',
    );
    // The same file with a loss objective is valid.
    expect(() =>
      validateExperiment(
        { ...regression, search: { ...regression.search!, objective: { metric: 'best.valLoss', goal: 'min' } } },
        'x.json',
      ),
    ).not.toThrow();
  });

  it('counts trials in the run limit', () => {
    const found = issuesOf(spec({ trials: 10_000 }, { compare: { optimizer: ['sgd', 'adam'] } }));
    expect(found).toContain('search.trials: makes 20000 compare variants x trials; the limit is 10000');
  });
});

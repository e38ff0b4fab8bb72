/**
 * Test-only validation for the fake Api, in the back end's words (path + "must be ..."), covering
 * the fields the UI tests exercise: names, data, layers, training numbers, factors and seeds.
 */
import type { FieldError } from '../../src/shared/api.js';

const ACTIVATIONS = ['identity', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'gelu', 'gelu_tanh', 'selu', 'softplus'];
const NAMED = ['activation', 'regularizer', 'init', 'optimizer', 'lr', 'batchSize', 'width', 'depth'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : String(v));

export function validateSpec(input: unknown): FieldError[] {
  const out: FieldError[] = [];
  const fail = (path: string, message: string) => out.push({ path, message });
  const num = (
    path: string,
    v: unknown,
    o: { min?: number; max?: number; minEx?: boolean; maxEx?: boolean; int?: boolean; optional?: boolean },
  ) => {
    if (v === undefined && o.optional) return;
    if (typeof v !== 'number' || !Number.isFinite(v)) return fail(path, `must be a finite number, got ${show(v)}`);
    if (o.int && !Number.isInteger(v)) return fail(path, `must be a whole number, got ${v}`);
    const lowOk = o.min === undefined || (o.minEx ? v > o.min : v >= o.min);
    const highOk = o.max === undefined || (o.maxEx ? v < o.max : v <= o.max);
    if (!lowOk || !highOk) {
      const lo = o.min === undefined ? '' : o.minEx ? `above ${o.min}` : `at least ${o.min}`;
      const hi = o.max === undefined ? '' : o.maxEx ? `below ${o.max}` : `at most ${o.max}`;
      fail(path, `must be ${[lo, hi].filter(Boolean).join(' and ')}, got ${v}`);
    }
  };
  if (!isObj(input)) return [{ path: '', message: 'must be an object' }];
  const s = input;
  if (typeof s.name !== 'string' || s.name.trim() === '') fail('name', 'must not be empty');
  const data = s.data;
  if (!isObj(data)) fail('data', 'must be an object');
  else {
    if (data.source === 'synthetic') num('data.n', data.n, { min: 1, max: 1e6, int: true });
    if (data.source === 'csv' && !data.path) fail('data.path', 'must name a CSV file');
    if (data.source === 'idx') {
      if (!data.images) fail('data.images', 'must name an IDX images file');
      if (!data.labels) fail('data.labels', 'must name an IDX labels file');
    }
    if (isObj(data.split)) {
      num('data.split.validation', data.split.validation, { min: 0, max: 1, maxEx: true, optional: true });
      num('data.split.test', data.split.test, { min: 0, max: 1, maxEx: true, optional: true });
      const v = Number(data.split.validation ?? 0.1);
      const t = Number(data.split.test ?? 0.1);
      if (v + t >= 1) fail('data.split', `validation and test fractions must leave rows for training (they add up to ${v + t})`);
    }
  }
  const model = s.model;
  if (isObj(model) && Array.isArray(model.hidden)) {
    let prev = Number(model.inputSize);
    model.hidden.forEach((l: unknown, i: number) => {
      const p = `model.hidden[${i}]`;
      if (!isObj(l)) return fail(p, 'must be an object');
      num(`${p}.width`, l.width, { min: 1, max: 65536, int: true });
      if (!ACTIVATIONS.includes(String(l.activation)))
        fail(`${p}.activation`, `must be one of ${ACTIVATIONS.map((a) => `"${a}"`).join(', ')}, got ${show(l.activation)}`);
      num(`${p}.dropout`, l.dropout, { min: 0, max: 1, maxEx: true, optional: true });
      if (l.residual === true && l.width !== prev) {
        fail(
          `${p}.residual`,
          `a residual layer adds its input to its output, so its width (${String(l.width)}) must equal its input width (${prev}); Ablate has no projection shortcut`,
        );
      }
      prev = Number(l.width);
    });
  }
  const train = s.train;
  if (isObj(train)) {
    num('train.epochs', train.epochs, { min: 1, max: 1e6, int: true });
    num('train.batchSize', train.batchSize, { min: 1, max: 1 << 20, int: true });
    if (isObj(train.optimizer)) {
      num('train.optimizer.lr', train.optimizer.lr, { min: 0, minEx: true, max: 1e6 });
      num('train.optimizer.momentum', train.optimizer.momentum, { min: 0, max: 1, maxEx: true, optional: true });
    }
  }
  if (isObj(s.compare)) {
    for (const [key, values] of Object.entries(s.compare)) {
      const p = /^[A-Za-z_$][\w$]*$/.test(key) ? `compare.${key}` : `compare[${JSON.stringify(key)}]`;
      if (!NAMED.includes(key) && !/^(model|train)[.[]/.test(key)) {
        fail(p, `is not a known factor; allowed: ${NAMED.join(', ')}, or a config path such as "model.hidden[*].dropout"`);
        continue;
      }
      if (!Array.isArray(values) || values.length === 0) {
        fail(p, 'must be a non-empty list of values');
        continue;
      }
      values.forEach((v, i) => {
        if (key === 'activation' && !ACTIVATIONS.includes(String(v)))
          fail(`${p}[${i}]`, `must be one of ${ACTIVATIONS.map((a) => `"${a}"`).join(', ')}, got ${show(v)}`);
        if (key === 'regularizer' && typeof v === 'string' && v.startsWith('dropout-') && !(Number(v.slice(8)) < 1)) {
          fail(`${p}[${i}]`, `dropout probability must be at least 0 and below 1, got ${v.slice(8)} in ${show(v)}`);
        }
      });
    }
  }
  const seeds = s.seeds;
  if (Array.isArray(seeds)) {
    if (seeds.length === 0) fail('seeds', 'must list at least one seed');
    seeds.forEach((x, i) => num(`seeds[${i}]`, x, { min: 0, max: 0xffffffff, int: true }));
  } else if (isObj(seeds)) num('seeds.count', seeds.count, { min: 1, max: 10000, int: true });
  else fail('seeds', 'must be a list of distinct whole numbers such as [0, 1, 2], or an object such as {"count": 5, "start": 0}');
  return out;
}

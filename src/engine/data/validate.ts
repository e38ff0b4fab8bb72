/**
 * Validates a DataSpec (plain JSON from an experiment file or the UI) and fills its defaults.
 * Every problem is reported at once with its field path and the allowed values, as one
 * ConfigError; nothing else is thrown. Pure: no file access (a missing file is a DataError at
 * load time). Any thread.
 */
import { Checker } from '../config/check.js';
import { rangeOf } from '../config/vocabulary/index.js';
import { optionalSeed } from './fields.js';
import { DATA_SOURCE_NAMES, getDataSource } from './registry.js';
import { DEFAULT_SPLIT, PREPROCESS, resolveSplit, type DataSpec, type ResolvedDataSpec } from './spec.js';

const COMMON_FIELDS = ['source', 'split', 'preprocess', 'trainSize'];

export function validateDataSpec(input: unknown, path = 'data'): ResolvedDataSpec {
  const c = new Checker();
  if (!c.object(path, input)) c.throwIfAny();
  const spec = input as Record<string, unknown>;
  if (!c.oneOf(`${path}.source`, spec.source, DATA_SOURCE_NAMES)) c.throwIfAny();
  const def = getDataSource(spec.source as string)!;
  c.knownKeys(path, spec, [...COMMON_FIELDS, ...def.fields]);
  def.check(c, path, spec);
  checkSplit(c, `${path}.split`, spec.split);
  if (spec.preprocess !== undefined) c.oneOf(`${path}.preprocess`, spec.preprocess, PREPROCESS);
  if (spec.trainSize !== undefined) c.number(`${path}.trainSize`, spec.trainSize, rangeOf('data.trainSize'));
  c.throwIfAny();
  const typed = spec as unknown as DataSpec;
  return {
    ...def.resolve(typed),
    split: resolveSplit(typed.split),
    preprocess: typed.preprocess ?? def.defaultPreprocess,
  } as ResolvedDataSpec;
}

function checkSplit(c: Checker, path: string, split: unknown): void {
  if (split === undefined || !c.object(path, split)) return;
  c.knownKeys(path, split, ['validation', 'test', 'stratify', 'seed']);
  const v = split.validation ?? DEFAULT_SPLIT.validation;
  const t = split.test ?? DEFAULT_SPLIT.test;
  const vOk = c.number(`${path}.validation`, v, { min: 0, max: 1, maxExclusive: true });
  const tOk = c.number(`${path}.test`, t, { min: 0, max: 1, maxExclusive: true });
  if (vOk && tOk && (v as number) + (t as number) >= 1) {
    c.fail(path, `validation + test must leave rows for training (below 1), got ${v} + ${t}`);
  }
  c.boolean(`${path}.stratify`, split.stratify);
  optionalSeed(c, `${path}.seed`, split.seed);
}

/**
 * Data factors: compare keys that change a variant's data spec rather than its model or training.
 *
 *   data.preprocess  none | scale01 | standardize (fitted on the variant's training rows)
 *   data.trainSize   rows of the training split to train on (a nested, seeded subset; prepare.ts)
 *   data.noise       the synthetic generator's noise (synthetic data only)
 *
 * Values are checked against the data vocabulary (the same ranges and names as in `data`); whether
 * a value fits the experiment's data (noise needs synthetic data, a train size at most the training
 * rows) is checked per variant, the first when the grid expands, the second when the data loads.
 * Variants with the same resolved data spec share one prepared dataset (runner.ts). Pure.
 */
import { Checker, describe, PREPROCESS, rangeOf } from '../../../engine/index.js';
import { quoteList, suggestion } from './errors.js';
import type { Factor, FactorLevel } from './factors.js';
import type { EditableConfig } from './presets.js';

export const DATA_FACTORS = ['data.preprocess', 'data.trainSize', 'data.noise'] as const;
export type DataFactor = (typeof DATA_FACTORS)[number];

/** Whether a compare key is meant as a data factor (starts with "data."). */
export function isDataKey(key: string): boolean {
  return /^data[.[]/.test(key);
}

/** The data factor for a key starting with "data.", or why it is not one. */
export function dataFactorFor(key: string): Factor | string {
  if (!(DATA_FACTORS as readonly string[]).includes(key)) {
    return `is not a data factor; the data factors are ${quoteList(DATA_FACTORS)}${suggestion(key, DATA_FACTORS)}`;
  }
  const field = key.slice('data.'.length) as 'preprocess' | 'trainSize' | 'noise';
  return { key, level: (value) => dataLevel(field, value) };
}

function dataLevel(field: 'preprocess' | 'trainSize' | 'noise', value: unknown): FactorLevel | string {
  if (field === 'preprocess') {
    if (typeof value !== 'string' || !(PREPROCESS as readonly string[]).includes(value)) {
      return `must be one of ${quoteList(PREPROCESS)}, got ${describe(value)}${suggestion(value, PREPROCESS)}`;
    }
  } else {
    const c = new Checker();
    if (!c.number('', value, rangeOf(`data.${field}`))) return c.issues[0].message;
  }
  const text = String(value);
  const label = field === 'preprocess' ? `preprocess ${text}` : field === 'trainSize' ? `${text} train rows` : `noise ${text}`;
  return {
    text,
    canonical: text,
    label,
    apply: (c: EditableConfig) => {
      if (c.data === undefined) return `data.${field} needs the experiment's data`;
      if (field === 'noise' && c.data.source !== 'synthetic') {
        return `data.noise applies to synthetic data only; this experiment's data.source is ${JSON.stringify(c.data.source)}`;
      }
      (c.data as unknown as Record<string, unknown>)[field] = value;
      return null;
    },
  };
}

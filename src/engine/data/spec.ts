/**
 * The plain-JSON description of a dataset (`DataSpec`), as written in an experiment file: where
 * the data comes from (`source` plus that source's fields), how it is split and how it is
 * preprocessed. Types, allowed values and defaults only; validation is in validate.ts, loading in
 * registry.ts. Pure data: any thread may import it.
 */

import { defaultOf, SYNTHETIC_CLASSIFICATION_KINDS, SYNTHETIC_REGRESSION_KINDS, valuesOf } from '../config/vocabulary/index.js';

// Allowed values and defaults are facts of the config vocabulary (src/engine/config/vocabulary).
export { SYNTHETIC_CLASSIFICATION_KINDS, SYNTHETIC_REGRESSION_KINDS };
export const SYNTHETIC_KINDS = valuesOf('data.kind');
export type SyntheticKind = (typeof SYNTHETIC_KINDS)[number];

export const PREPROCESS = valuesOf('data.preprocess');
export type Preprocess = (typeof PREPROCESS)[number];

export const CSV_TASKS = valuesOf('data.task');
export const CSV_MISSING = valuesOf('data.missing');
export const CSV_CATEGORICAL = valuesOf('data.categorical');

/** Train/validation/test split. Fractions of the rows; the rest is training. */
export interface SplitSpec {
  /** Fraction in [0, 1) held out for validation (early stopping, model selection). Default 0.1. */
  validation?: number;
  /** Fraction in [0, 1) held out for the final test; never used in training. Default 0.1. */
  test?: number;
  /** Keep class proportions in every split. Default: true for class targets, false otherwise. */
  stratify?: boolean;
  /** Seed of the split's random stream (Purpose.split). Default 0. */
  seed?: number;
}

interface CommonSpec {
  split?: SplitSpec;
  /** Default "none" for mnist, idx and synthetic data, "standardize" for csv. */
  preprocess?: Preprocess;
  /** Train on this many rows of the training split (a seeded, nested subset). Default: all of them. */
  trainSize?: number;
}

/** The embedded 10,000 MNIST digits (built into resources/runtime/mnist by scripts/build-mnist.mjs). */
export interface MnistSpec extends CommonSpec {
  source: 'mnist';
}

export interface SyntheticSpec extends CommonSpec {
  source: 'synthetic';
  kind: SyntheticKind;
  /** Number of rows. */
  n: number;
  /** Standard deviation of Gaussian noise (on coordinates for classification, on y for regression). */
  noise?: number;
  /** Number of classes (classification kinds only; xor has exactly 2). Default 2. */
  classes?: number;
  seed?: number;
}

export interface IdxSpec extends CommonSpec {
  source: 'idx';
  /** Images file (magic 0x00000803), raw or gzip; relative paths resolve against baseDir. */
  images: string;
  /** Labels file (magic 0x00000801), raw or gzip. */
  labels: string;
  /** Display names of the classes, index = label value (e.g. Fashion-MNIST's "T-shirt/top"...). */
  classNames?: string[];
}

export interface CsvSpec extends CommonSpec {
  source: 'csv';
  path: string;
  /** Column name, or 0-based column index (negative counts from the end). Default -1 (last). */
  target?: string | number;
  task?: (typeof CSV_TASKS)[number];
  missing?: (typeof CSV_MISSING)[number];
  categorical?: (typeof CSV_CATEGORICAL)[number];
  header?: 'auto' | boolean;
  /** Field delimiter; default: detected by papaparse among , \t | ; */
  delimiter?: string;
}

export type DataSpec = MnistSpec | SyntheticSpec | IdxSpec | CsvSpec;
export type DataSource = DataSpec['source'];

export interface ResolvedSplit {
  validation: number;
  test: number;
  /** undefined: stratify when the targets are classes. */
  stratify?: boolean;
  seed: number;
}

/** A synthetic spec with its defaults filled (classes only for classification kinds). */
export type ResolvedSyntheticSpec = SyntheticSpec & { noise: number; classes?: number; seed: number };
/** A csv spec with its defaults filled (delimiter stays optional: absent means detected). */
export type ResolvedCsvSpec = CsvSpec & Required<Pick<CsvSpec, 'target' | 'task' | 'missing' | 'categorical' | 'header'>>;

/** A DataSpec after validation: every default filled in, so a saved spec reproduces exactly. */
export type ResolvedDataSpec = (MnistSpec | ResolvedSyntheticSpec | IdxSpec | ResolvedCsvSpec) & {
  split: ResolvedSplit;
  preprocess: Preprocess;
};

export const DEFAULT_SPLIT: ResolvedSplit = {
  validation: defaultOf('data.split.validation') as number,
  test: defaultOf('data.split.test') as number,
  seed: defaultOf('data.split.seed') as number,
};

/** Fills a split's defaults (no checks; validateDataSpec checks). */
export function resolveSplit(split: SplitSpec | undefined): ResolvedSplit {
  const s = split ?? {};
  const out: ResolvedSplit = {
    validation: s.validation ?? DEFAULT_SPLIT.validation,
    test: s.test ?? DEFAULT_SPLIT.test,
    seed: s.seed ?? DEFAULT_SPLIT.seed,
  };
  if (s.stratify !== undefined) out.stratify = s.stratify;
  return out;
}

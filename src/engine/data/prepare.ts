/**
 * From a loaded Dataset to what training reads: split indices, the preprocessed shared feature
 * matrix and the fitted statistics (plain JSON). Statistics see the training rows only, so the
 * validation and test rows never influence training; the test rows are for the final report only
 * (never early stopping, which uses validation). Pure; any thread.
 */
import type { Dataset, Splits } from './dataset.js';
import { applyPreprocess, fitPreprocess, type PreprocessStats } from './scale.js';
import { makeSplits } from './split.js';
import { resolveSplit, type Preprocess, type ResolvedSplit, type SplitSpec } from './spec.js';

export interface PreparedData {
  /** The source dataset, unchanged (targets and names are read from here). */
  dataset: Dataset;
  /** (n, d) row-major, preprocessed, in a SharedArrayBuffer; the dataset's own matrix for "none". */
  features: Float32Array;
  splits: Splits;
  /** Whether class proportions were kept in every split. */
  stratified: boolean;
  /** The resolved split that produced `splits` (defaults filled). */
  split: ResolvedSplit;
  preprocess: PreprocessStats;
}

export function prepare(dataset: Dataset, split: SplitSpec = {}, preprocess: Preprocess = 'none'): PreparedData {
  const resolved = resolveSplit(split);
  const { stratified, ...splits } = makeSplits(dataset.name, dataset.n, dataset.targets, resolved);
  const stats = fitPreprocess(dataset, splits.train, preprocess);
  return { dataset, features: applyPreprocess(dataset, stats), splits, stratified, split: resolved, preprocess: stats };
}

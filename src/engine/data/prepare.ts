/**
 * From a loaded Dataset to what training reads: split indices, the preprocessed shared feature
 * matrix and the fitted statistics (plain JSON). Statistics see the training rows only, so the
 * validation and test rows never influence training; the test rows are for the final report only
 * (never early stopping, which uses validation). With a `trainSize`, training (and the fitted
 * statistics) use that many rows of the training split: the first trainSize of the training rows
 * shuffled by stream(split seed, Purpose.split, TRAIN_SUBSET_KEY), sorted again. Same split seed,
 * nested subsets: every smaller size is a subset of every larger one, and validation and test rows
 * never change. Pure; any thread.
 */
import { DataError } from '../errors.js';
import { Purpose } from '../rng/hash.js';
import { stream } from '../rng/stream.js';
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

/** The subset's stream key: after the split's own keys (0, and 1 + class for stratified splits, at most 65536 classes). */
export const TRAIN_SUBSET_KEY = 0x7fffffff;

export function prepare(dataset: Dataset, split: SplitSpec = {}, preprocess: Preprocess = 'none', trainSize?: number): PreparedData {
  const resolved = resolveSplit(split);
  const { stratified, ...splits } = makeSplits(dataset.name, dataset.n, dataset.targets, resolved);
  if (trainSize !== undefined) splits.train = trainSubset(dataset.name, splits.train, trainSize, resolved.seed);
  const stats = fitPreprocess(dataset, splits.train, preprocess);
  return { dataset, features: applyPreprocess(dataset, stats), splits, stratified, split: resolved, preprocess: stats };
}

/** `size` rows of `train` (sorted ascending), drawn with the split seed; nested across sizes. */
export function trainSubset(name: string, train: Int32Array, size: number, seed: number): Int32Array {
  if (size > train.length) {
    throw new DataError(
      `${name}: data.trainSize is ${size}, but the training split has only ${train.length} rows; give at most ${train.length}`,
    );
  }
  const order = train.slice();
  stream(seed, Purpose.split, TRAIN_SUBSET_KEY).shuffle(order);
  return order.slice(0, size).sort();
}

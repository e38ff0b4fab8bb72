/**
 * Train/validation/test row indices from a seed. Test rows come first out of each shuffled list,
 * then validation rows, the rest is training; each split is returned sorted ascending.
 *  - plain: one permutation of all rows from stream(seed, Purpose.split, 0);
 *  - stratified (class targets): rows of class c are shuffled by stream(seed, Purpose.split, 1 + c)
 *    and each class gives floor(count * fraction) rows, the remaining rows of the split going to the
 *    classes with the largest remainders (ties: lower class index), so totals are round(n * fraction)
 *    and every class keeps at least one training row (which can make a split a few rows smaller).
 * Pure and deterministic; any thread.
 */
import { DataError } from '../errors.js';
import { Purpose } from '../rng/hash.js';
import { stream } from '../rng/stream.js';
import type { Splits, Targets } from './dataset.js';
import type { ResolvedSplit } from './spec.js';

export interface SplitResult extends Splits {
  stratified: boolean;
}

export function makeSplits(name: string, n: number, targets: Targets, split: ResolvedSplit): SplitResult {
  const stratify = split.stratify ?? targets.kind === 'class';
  if (stratify && targets.kind !== 'class') {
    throw new DataError(`${name}: split.stratify needs class targets, but this dataset has regression targets; remove stratify`);
  }
  const nTest = Math.round(n * split.test);
  const nVal = Math.round(n * split.validation);
  if (n - nTest - nVal < 1) {
    throw new DataError(`${name}: ${n} rows are too few for this split (${nTest} test + ${nVal} validation leave no training rows)`);
  }
  if (!stratify || targets.kind !== 'class') {
    const perm = Int32Array.from({ length: n }, (_, i) => i);
    stream(split.seed, Purpose.split, 0).shuffle(perm);
    // Copies, not subarray views: each split is sorted in place and owns its buffer.
    return finish(perm.slice(nTest + nVal), perm.slice(nTest, nTest + nVal), perm.slice(0, nTest), false);
  }

  const k = targets.classNames.length;
  const labels = targets.labels;
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) counts[labels[i]]++;
  const members = counts.map((c) => new Int32Array(c));
  const fill = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) members[labels[i]][fill[labels[i]]++] = i;
  members.forEach((m, c) => stream(split.seed, Purpose.split, 1 + c).shuffle(m));

  const testPer = allocate(
    counts.map((c) => c * split.test),
    nTest,
    counts.map((c) => Math.max(0, c - 1)),
  );
  const valPer = allocate(
    counts.map((c) => c * split.validation),
    nVal,
    counts.map((c, i) => Math.max(0, c - 1 - testPer[i])),
  );
  const train: number[] = [];
  const validation: number[] = [];
  const test: number[] = [];
  members.forEach((m, c) => {
    for (let j = 0; j < m.length; j++) {
      if (j < testPer[c]) test.push(m[j]);
      else if (j < testPer[c] + valPer[c]) validation.push(m[j]);
      else train.push(m[j]);
    }
  });
  return finish(Int32Array.from(train), Int32Array.from(validation), Int32Array.from(test), true);
}

/** Integer shares of `total` proportional to `quotas` (largest remainder), each at most its cap. */
export function allocate(quotas: number[], total: number, caps: number[]): number[] {
  const out = quotas.map((q, i) => Math.min(Math.floor(q), caps[i]));
  let left =
    Math.min(
      total,
      caps.reduce((a, b) => a + b, 0),
    ) - out.reduce((a, b) => a + b, 0);
  const order = quotas.map((_, i) => i).sort((a, b) => quotas[b] - Math.floor(quotas[b]) - (quotas[a] - Math.floor(quotas[a])) || a - b);
  while (left > 0) {
    let gave = false;
    for (const i of order) {
      if (left === 0) break;
      if (out[i] < caps[i]) {
        out[i]++;
        left--;
        gave = true;
      }
    }
    if (!gave) break;
  }
  return out;
}

/** Sorts each split in place (ascending, for sequential reads); the arrays must own their buffers. */
function finish(train: Int32Array, validation: Int32Array, test: Int32Array, stratified: boolean): SplitResult {
  return { train: train.sort(), validation: validation.sort(), test: test.sort(), stratified };
}

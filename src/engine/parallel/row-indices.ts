/**
 * A run's row indices must name rows of its dataset. The workers copy rows by index without a
 * check (the copy is in every step); an index past the end reads undefined, which becomes NaN in
 * the input, and the run would end "diverged" at its first step, a false reason. So the pool
 * refuses such a run when it is submitted, naming the split, the position and the index.
 */
export interface RowSplits {
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

/** Throws a RangeError naming the first index of `splits` outside [0, rows). */
export function checkRowIndices(datasetId: string, rows: number, splits: RowSplits): void {
  for (const name of ['train', 'validation', 'test'] as const) {
    const indices = splits[name];
    for (let i = 0; i < indices.length; i++) {
      const row = indices[i];
      if (row < 0 || row >= rows)
        throw new RangeError(`dataset "${datasetId}" has rows 0 to ${rows - 1}; the ${name} split's index at position ${i} is ${row}`);
    }
  }
}

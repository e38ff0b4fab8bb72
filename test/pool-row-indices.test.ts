/**
 * A run whose row indices name rows its dataset does not have is refused when submitted, with the
 * split, position and index named (parallel/row-indices.ts). Before, the workers read undefined
 * past the dataset's end, the input became NaN, and the run ended "diverged at step 1": a false
 * reason (found training 12,800 rows of the 10,000 embedded MNIST digits). Needs the compiled
 * worker for the pool's part (out/engine/worker.js, `npm run build:engine`).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../src/engine/config/validate.js';
import { WorkerPool } from '../src/engine/parallel/pool.js';
import { checkRowIndices } from '../src/engine/parallel/row-indices.js';

const none = new Int32Array(0);

describe('checkRowIndices', () => {
  it('accepts every index of [0, rows) in any split', () => {
    expect(() =>
      checkRowIndices('d', 5, { train: Int32Array.of(0, 4, 2), validation: Int32Array.of(1), test: Int32Array.of(3) }),
    ).not.toThrow();
  });

  it.each([
    ['train', { train: Int32Array.of(0, 5), validation: none, test: none }, "the train split's index at position 1 is 5"],
    [
      'validation',
      { train: Int32Array.of(0), validation: Int32Array.of(2, 3, -1), test: none },
      "the validation split's index at position 2 is -1",
    ],
    ['test', { train: none, validation: none, test: Int32Array.of(7) }, "the test split's index at position 0 is 7"],
  ])('names the %s split, the position and the index past the rows', (_, splits, message) => {
    expect(() => checkRowIndices('digits', 5, splits)).toThrow(`dataset "digits" has rows 0 to 4; ${message}`);
  });
});

describe('WorkerPool.submit', () => {
  const workerPath = fileURLToPath(new URL('../out/engine/worker.js', import.meta.url));

  it('refuses a run with an index past its dataset, and queues nothing', async () => {
    if (!existsSync(workerPath)) throw new Error(`missing ${workerPath}: run npm run build:engine first`);
    const pool = new WorkerPool({ workerPath, size: 1 });
    try {
      const features = new Float32Array(new SharedArrayBuffer(4 * 2 * 4)); // 4 rows of 2
      const labels = new Int32Array(new SharedArrayBuffer(4 * 4));
      pool.addDataset('four', { features, d: 2, labels, values: null, width: 1 });
      const config = validateRunConfig({
        seed: 1,
        model: {
          inputSize: 2,
          hidden: [{ width: 3, activation: 'relu' }],
          outputSize: 2,
          head: 'softmax',
          init: { weights: 'he_uniform', bias: 'zeros' },
        },
        train: { epochs: 1, batchSize: 2, optimizer: { name: 'sgd', lr: 0.1 } },
      });
      expect(() => pool.submit({ config, datasetId: 'four', train: Int32Array.of(0, 1, 4), validation: none, test: none })).toThrow(
        'dataset "four" has rows 0 to 3; the train split\'s index at position 2 is 4',
      );
      expect(pool.status().queued).toBe(0);
    } finally {
      await pool.shutdown();
    }
  });
});

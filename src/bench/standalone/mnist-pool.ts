/**
 * The standalone runners' set-up: the embedded MNIST digits in a worker pool of `size` workers,
 * under the dataset id the bench's trainReference trains on ('mnist').
 */
import { fileURLToPath } from 'node:url';
import { loadDataset, WorkerPool } from '../../engine/index.js';
import { REFERENCE_INPUT_DIM } from '../peers/reference-mlp.js';

/** The worker bundle `npm run build:engine` writes. */
export const BUILT_WORKER = fileURLToPath(new URL('../../../out/engine/worker.js', import.meta.url));

/** `progressIntervalMs`: the pool's (its default, 100 ms, when not given). */
export async function mnistPool(
  embeddedDir: string,
  size: number,
  workerPath = BUILT_WORKER,
  progressIntervalMs?: number,
): Promise<{ pool: WorkerPool; rows: number }> {
  const mnist = await loadDataset({ source: 'mnist' }, { embeddedDir });
  if (mnist.targets.kind !== 'class') throw new Error('embedded MNIST must have class targets');
  const pool = new WorkerPool({ workerPath, size, progressIntervalMs });
  pool.addDataset('mnist', { features: mnist.features, d: REFERENCE_INPUT_DIM, labels: mnist.targets.labels, values: null, width: 1 });
  return { pool, rows: mnist.targets.labels.length };
}

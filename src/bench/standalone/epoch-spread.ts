/**
 * The spread of a run's epochs, one worker against two: alternating, `--rounds` times each, one
 * process trains the reference MLP on the embedded MNIST digits with one worker, then with two,
 * each run `--epochs` epochs after a 2-epoch warm-up run, and prints each run's median and fastest
 * epoch (samples/s, leaving out its first two) and the epochs themselves. Where the host's speed moves, the fastest epochs show what
 * two threads give at their best. BENCHMARKS.md ("Two workers at their best") was measured with it;
 * the per-thread scheduler figures there come from /proc/<pid>/task/<tid>/schedstat, read while it
 * runs.
 *
 *   npm run build:engine && npx tsx src/bench/standalone/epoch-spread.ts [--rounds 2] [--epochs 40] [--batch 128] [--kernels native]
 */
import { parseArgs } from 'node:util';
import type { KernelSetName } from '../../engine/index.js';
import { median } from '../paired.js';
import { trainReference } from '../train.js';
import { mnistPool } from './mnist-pool.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '2' },
    epochs: { type: 'string', default: '40' },
    batch: { type: 'string', default: '128' },
    kernels: { type: 'string', default: 'native' },
    embedded: { type: 'string', default: 'resources/runtime/mnist' },
  },
});
const batch = Number(values.batch);
const kernels = values.kernels as KernelSetName;
const { pool, rows } = await mnistPool(values.embedded, 2);
const k = (v: number) => Math.round(v).toLocaleString('en-US');
try {
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const threads of [1, 2]) {
      await trainReference(pool, { kernels, threads, batch, rows, epochs: 2 });
      const r = await trainReference(pool, { kernels, threads, batch, rows, epochs: Number(values.epochs) });
      const speeds = r.outcome.epochs
        .slice(2)
        .map((e) => (e.steps * batch) / e.seconds)
        .sort((a, b) => a - b);
      console.log(`${threads} worker(s), batch ${batch}: median ${k(median(speeds))}, fastest ${k(speeds[speeds.length - 1])} samples/s`);
      console.log(`  epochs: ${speeds.map(k).join(' ')}`);
    }
  }
} finally {
  await pool.shutdown();
}

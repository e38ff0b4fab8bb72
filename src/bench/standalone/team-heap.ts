/**
 * JavaScript heap bytes per training step on each thread of a 2-worker team, run after run in the
 * same workers, as a grid trains them (issue 17, "nothing allocated per step"; the figure is
 * train/heap-meter.ts's: the least over a run's epochs after the first). BENCHMARKS.md ("A flag
 * wait allocated on either thread") was measured with it.
 *
 *   npm run build:engine && npx tsx src/bench/standalone/team-heap.ts [--kernels native|wasm]
 *     [--config reference|every] [--batch 32] [--epochs 6] [--runs 6]
 *
 * `every` is the reference MLP with batch norm, dropout, a residual layer, AdamW, norm clipping
 * and penalties at once. The leader's progress messages every 100 ms are turned off (they
 * allocate by design; its message at each epoch's end falls outside the counted steps), so both
 * threads should read 0 once V8 has optimized the workers' code: the first run is that warm-up.
 */
import { parseArgs } from 'node:util';
import type { KernelSetName } from '../../engine/index.js';
import { everyOptionConfig, referenceConfig } from '../train.js';
import { BUILT_WORKER, mnistPool } from './mnist-pool.js';

const { values } = parseArgs({
  options: {
    kernels: { type: 'string', default: 'native' },
    config: { type: 'string', default: 'reference' },
    batch: { type: 'string', default: '32' },
    epochs: { type: 'string', default: '6' },
    runs: { type: 'string', default: '6' },
    embedded: { type: 'string', default: 'resources/runtime/mnist' },
  },
});
if (values.config !== 'reference' && values.config !== 'every') throw new Error('--config must be reference or every');
const batch = Number(values.batch);
const epochs = Number(values.epochs);
const makeConfig = values.config === 'every' ? everyOptionConfig : referenceConfig;

const { pool, rows: available } = await mnistPool(values.embedded, 2, BUILT_WORKER, 1e9);
// 240 steps per epoch, as test/pool-allocation.test.ts.
const rows = Math.min(240 * batch, available);
const train = Int32Array.from({ length: rows }, (_, i) => i);
console.log(`${values.kernels} kernels, ${values.config} config, batch ${batch}, ${epochs} epochs of ${Math.ceil(rows / batch)} steps`);
console.log('run  leader B/step  other B/step  samples/s');
for (let run = 0; run < Number(values.runs); run++) {
  const r = await pool.submit({
    config: makeConfig(batch, epochs),
    datasetId: 'mnist',
    train,
    validation: new Int32Array(0),
    test: new Int32Array(0),
    threads: 2,
    kernels: values.kernels as KernelSetName,
  }).result;
  if (r.outcome.status !== 'completed') throw new Error(`run ${run} ended ${r.outcome.status}: ${r.outcome.stopReason}`);
  const [leader, other] = (r.teamProfiles ?? []).map((p) => (p.heapBytesPerStep === null ? '-' : p.heapBytesPerStep.toFixed(1)));
  const measured = r.outcome.epochs.slice(1);
  const perSec = (measured.reduce((a, e) => a + e.steps, 0) * batch) / measured.reduce((a, e) => a + e.seconds, 0);
  console.log(
    `${String(run).padStart(3)}  ${String(leader).padStart(12)}  ${String(other).padStart(12)}  ${perSec.toFixed(0).padStart(9)}${run === 0 ? '  (warm-up)' : ''}`,
  );
}
await pool.shutdown();

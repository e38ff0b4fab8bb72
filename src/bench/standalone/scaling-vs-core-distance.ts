/**
 * Does a team's scaling follow how far apart the host has put the two vCPUs? Alternates, `--rounds`
 * times: native/test/core_to_core_probe.c (one round: the cache-line round trip between the two
 * CPUs), a run of the reference MLP on two workers, the probe again, a run on one worker, the probe
 * again; each run `--epochs` epochs after a 2-epoch warm-up run, its median epoch (samples/s,
 * leaving out its first). A round whose three round trips agree (all near or all far) shows the
 * scaling in that state. BENCHMARKS.md ("The host moves the two vCPUs") was measured with it.
 *
 *   gcc -O2 -pthread native/test/core_to_core_probe.c -o /tmp/c2c && npm run build:engine &&
 *   npx tsx src/bench/standalone/scaling-vs-core-distance.ts --probe /tmp/c2c [--rounds 10] [--epochs 8]
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { median } from '../paired.js';
import { trainReference } from '../train.js';
import { mnistPool } from './mnist-pool.js';

const { values } = parseArgs({
  options: {
    probe: { type: 'string', default: '/tmp/c2c' },
    rounds: { type: 'string', default: '10' },
    epochs: { type: 'string', default: '8' },
    batch: { type: 'string', default: '128' },
    embedded: { type: 'string', default: 'resources/runtime/mnist' },
  },
});
const batch = Number(values.batch);
const epochs = Number(values.epochs);
const { pool, rows } = await mnistPool(values.embedded, 2);

/** The probe's round trip in ns (one round). */
function roundTrip(): number {
  const out = execFileSync(values.probe, ['1'], { encoding: 'utf8' });
  const m = /ping-pong (\d+) ns/.exec(out);
  if (!m) throw new Error(`unexpected probe output: ${out}`);
  return Number(m[1]);
}

async function speed(threads: number): Promise<number> {
  await trainReference(pool, { kernels: 'native', threads, batch, rows, epochs: 2 });
  const r = await trainReference(pool, { kernels: 'native', threads, batch, rows, epochs });
  return median(r.outcome.epochs.slice(1).map((e) => (e.steps * batch) / e.seconds));
}

const k = (v: number) => Math.round(v).toLocaleString('en-US');
try {
  for (let round = 1; round <= Number(values.rounds); round++) {
    const t0 = roundTrip();
    const two = await speed(2);
    const t1 = roundTrip();
    const one = await speed(1);
    const t2 = roundTrip();
    console.log(
      `round ${round}: round trips ${t0} / ${t1} / ${t2} ns; two workers ${k(two)}, one ${k(one)} samples/s; ${(two / one).toFixed(2)}x`,
    );
  }
} finally {
  await pool.shutdown();
}

/**
 * How close a team of two comes to the sum of its two vCPUs' speeds, measured where the host's
 * speed moves: per round, one worker pinned to vCPU 0, one worker pinned to vCPU 1 (each run the
 * whole process under `taskset`) and a team of two unpinned, in rotating order, each a fresh
 * process training the reference MLP for `--epochs` epochs of the embedded MNIST digits; a run's
 * speed is its median epoch from the third on. Per round the team's speed over the sum of the two
 * lone speeds (1.00: the software loses nothing to the second thread) and over the faster one
 * (the scaling a paired bench would read against that vCPU). Linux with `taskset` and 2+ vCPUs.
 * BENCHMARKS.md ("Is 1.8x from one to two workers measurable on this host?") was measured with it.
 *
 *   npm run build:engine && npx tsx src/bench/standalone/vcpu-efficiency.ts [--rounds 8] [--epochs 8] [--batch 128] [--kernels native]
 *     [--worker out/engine/worker.js] [--max-others 0.5]
 *
 * The machine's CPU time used by other processes during a round is printed with it (from
 * /proc/stat); a team of two loses far more to a third busy process than a lone worker does, so
 * rounds above --max-others seconds are left out of the summary.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { hostCpuSeconds } from '../host-cpu.js';
import { median } from '../paired.js';

const { values } = parseArgs({
  options: {
    child: { type: 'string' },
    rounds: { type: 'string', default: '8' },
    epochs: { type: 'string', default: '8' },
    batch: { type: 'string', default: '128' },
    kernels: { type: 'string', default: 'native' },
    embedded: { type: 'string', default: 'resources/runtime/mnist' },
    /** Another build's worker bundle, to compare builds round by round. */
    worker: { type: 'string', default: 'out/engine/worker.js' },
    /** Rounds in which other processes used more CPU than this (seconds) are left out of the summary. */
    'max-others': { type: 'string', default: '0.5' },
  },
});
const epochs = Number(values.epochs);
const batch = Number(values.batch);

if (values.child) {
  // One measurement: train with `--child` threads, print the median epoch's samples/s.
  const { mnistPool } = await import('./mnist-pool.js');
  const { trainReference } = await import('../train.js');
  const threads = Number(values.child);
  const { pool, rows } = await mnistPool(values.embedded, threads, path.resolve(values.worker));
  try {
    const r = await trainReference(pool, {
      kernels: values.kernels as 'native',
      threads,
      batch,
      rows,
      epochs,
    });
    if (r.outcome.status !== 'completed') throw new Error(`run ${r.outcome.status}: ${r.outcome.stopReason}`);
    const cpu = process.cpuUsage();
    console.log(median(r.outcome.epochs.slice(2).map((e) => (e.steps * batch) / e.seconds)).toFixed(0), (cpu.user + cpu.system) / 1e6);
  } finally {
    await pool.shutdown();
  }
} else {
  const self = fileURLToPath(import.meta.url);
  /** Busy CPU seconds of the whole machine so far (steal and idle excluded), 0 without /proc/stat. */
  const busy = (): number => hostCpuSeconds()?.busy ?? 0;
  /** CPU seconds that other processes used during the runs of this round. */
  let others = 0;
  const measure = (cpus: string, threads: number): number => {
    const b0 = busy();
    const args = ['-c', cpus, process.execPath, '--import', 'tsx', self, '--child', String(threads)];
    for (const k of ['epochs', 'batch', 'kernels', 'embedded', 'worker'] as const) args.push(`--${k}`, String(values[k]));
    const r = spawnSync('taskset', args, { encoding: 'utf8' });
    const [speed, childCpu] = (r.stdout.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
    others += Math.max(0, busy() - b0 - childCpu);
    if (r.status !== 0 || !Number.isFinite(speed)) throw new Error(`taskset -c ${cpus} failed: ${r.stderr || r.stdout}`);
    return speed;
  };
  const kinds = [
    { name: 'vCPU 0', run: () => measure('0', 1) },
    { name: 'vCPU 1', run: () => measure('1', 1) },
    { name: 'team', run: () => measure('0,1', 2) },
  ];
  const sums: number[] = [];
  const bests: number[] = [];
  const maxOthers = Number(values['max-others']);
  let disturbed = 0;
  console.log(`${values.kernels}, batch ${batch}, ${epochs} epochs per run; load average ${loadavg()[0].toFixed(2)}`);
  for (let round = 0; round < Number(values.rounds); round++) {
    // Rotate the order so that no kind always runs first or last in a round.
    const order = kinds.map((_, i) => kinds[(i + round) % kinds.length]);
    const speed = new Map<string, number>();
    others = 0;
    for (const k of order) speed.set(k.name, k.run());
    const s0 = speed.get('vCPU 0')!;
    const s1 = speed.get('vCPU 1')!;
    const team = speed.get('team')!;
    if (others <= maxOthers) {
      sums.push(team / (s0 + s1));
      bests.push(team / Math.max(s0, s1));
    } else disturbed++;
    console.log(
      `round ${round + 1} (${order.map((k) => k.name).join(', ')}): vCPU 0 ${s0.toFixed(0)}, vCPU 1 ${s1.toFixed(0)}, team ${team.toFixed(0)} samples/s; ` +
        `team / sum ${(team / (s0 + s1)).toFixed(3)}, team / faster ${(team / Math.max(s0, s1)).toFixed(2)}x; ` +
        `other processes' CPU during the round ${others.toFixed(2)} s; load average ${loadavg()[0].toFixed(2)}`,
    );
  }
  const range = (xs: number[], d: number) =>
    xs.length === 0 ? 'no undisturbed round' : `${median(xs).toFixed(d)} (${Math.min(...xs).toFixed(d)}-${Math.max(...xs).toFixed(d)})`;
  console.log(
    `\n${sums.length} rounds in which other processes used at most ${maxOthers} s of CPU (${disturbed} left out); over those, median (min-max):`,
  );
  console.log(`team over the sum of its vCPUs' lone speeds: ${range(sums, 3)}`);
  console.log(`team over the faster vCPU's lone speed: ${range(bests, 2)}x`);
}

/**
 * How close a team of two comes to what the host's two vCPUs give, measured where the host's
 * speed moves. Per round, in rotating order, each a fresh process training the reference MLP for
 * `--epochs` epochs of the embedded MNIST digits: one worker pinned to vCPU 0, one pinned to
 * vCPU 1 (each run the whole process under `taskset`), the same two at once (two independent
 * runs, one per vCPU: what two threads that share nothing get from the host) and a team of two
 * unpinned. A run's speed is its median epoch from the third on, and its fastest epoch. Per round:
 * the team over the sum of the two lone speeds (1.00: nothing lost to the second thread), over the
 * faster one (the scaling a paired bench would read against that vCPU), the pair at once over the
 * sum of the lone speeds (what running both vCPUs at once costs, the host's share of the loss) and
 * the team over the pair at once (the team's own share: its barriers and the data its threads
 * share). Linux with `taskset` and 2+ vCPUs. BENCHMARKS.md ("Is 1.8x from one to two workers
 * measurable on this host?", "Two independent runs at once against a team") was measured with it.
 *
 *   npm run build:engine && npx tsx src/bench/standalone/vcpu-efficiency.ts [--rounds 8] [--epochs 8] [--batch 128] [--kernels native]
 *     [--worker out/engine/worker.js] [--max-others 0.5]
 *
 * The machine's CPU time used by other processes during a round is printed with it (from
 * /proc/stat); a team of two loses far more to a third busy process than a lone worker does, so
 * rounds above --max-others seconds are left out of the summary.
 */
import { spawn } from 'node:child_process';
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
  // One measurement: train with `--child` threads, print the median and the fastest epoch's
  // samples/s and the process's CPU seconds.
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
    const speeds = r.outcome.epochs.slice(2).map((e) => (e.steps * batch) / e.seconds);
    console.log(median(speeds).toFixed(0), Math.max(...speeds).toFixed(0), (cpu.user + cpu.system) / 1e6);
  } finally {
    await pool.shutdown();
  }
} else {
  const self = fileURLToPath(import.meta.url);
  /** Busy CPU seconds of the whole machine so far (steal and idle excluded), 0 without /proc/stat. */
  const busy = (): number => hostCpuSeconds()?.busy ?? 0;
  /** A run's median and fastest epoch (samples/s). */
  interface Speed {
    median: number;
    fastest: number;
  }
  /** One child process under `taskset -c cpus`: its speed and CPU seconds. */
  const child = (cpus: string, threads: number): Promise<Speed & { cpu: number }> => {
    const args = ['-c', cpus, process.execPath, '--import', 'tsx', self, '--child', String(threads)];
    for (const k of ['epochs', 'batch', 'kernels', 'embedded', 'worker'] as const) args.push(`--${k}`, String(values[k]));
    const p = spawn('taskset', args);
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    return new Promise((resolve, reject) => {
      p.on('error', reject);
      p.on('close', (code) => {
        const [median, fastest, cpu] = (out.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
        if (code !== 0 || !Number.isFinite(median) || !Number.isFinite(cpu)) reject(new Error(`taskset -c ${cpus} failed: ${out}`));
        else resolve({ median, fastest, cpu });
      });
    });
  };
  /** CPU seconds that other processes used during the runs of this round. */
  let others = 0;
  /** Runs the children at once; adds the CPU time others used meanwhile to `others`. */
  const measure = async (runs: Array<[cpus: string, threads: number]>): Promise<Speed[]> => {
    const b0 = busy();
    const results = await Promise.all(runs.map(([cpus, threads]) => child(cpus, threads)));
    others += Math.max(0, busy() - b0 - results.reduce((sum, r) => sum + r.cpu, 0));
    return results;
  };
  const zero: Speed = { median: 0, fastest: 0 };
  const add = (a: Speed, b: Speed): Speed => ({ median: a.median + b.median, fastest: a.fastest + b.fastest });
  /** Two independent lone runs, one pinned to each vCPU. */
  const onePerVcpu: Array<[cpus: string, threads: number]> = [
    ['0', 1],
    ['1', 1],
  ];
  const kinds: Array<{ name: string; run: () => Promise<Speed> }> = [
    { name: 'vCPU 0', run: async () => (await measure([['0', 1]]))[0] },
    { name: 'vCPU 1', run: async () => (await measure([['1', 1]]))[0] },
    { name: 'both at once', run: async () => (await measure(onePerVcpu)).reduce(add, zero) },
    { name: 'team', run: async () => (await measure([['0,1', 2]]))[0] },
  ];
  const ratios = {
    teamOverSum: [] as number[],
    teamOverFaster: [] as number[],
    pairOverSum: [] as number[],
    teamOverPair: [] as number[],
    fastestTeamOverPair: [] as number[],
  };
  const maxOthers = Number(values['max-others']);
  let disturbed = 0;
  const k = (v: number) => v.toFixed(0);
  const round3 = (x: number) => x.toFixed(3);
  console.log(`${values.kernels}, batch ${batch}, ${epochs} epochs per run; load average ${loadavg()[0].toFixed(2)}`);
  for (let round = 0; round < Number(values.rounds); round++) {
    // Rotate the order so that no kind always runs first or last in a round.
    const order = kinds.map((_, i) => kinds[(i + round) % kinds.length]);
    const speed = new Map<string, Speed>();
    others = 0;
    for (const kind of order) speed.set(kind.name, await kind.run());
    const s0 = speed.get('vCPU 0')!;
    const s1 = speed.get('vCPU 1')!;
    const pair = speed.get('both at once')!;
    const team = speed.get('team')!;
    const sum = s0.median + s1.median;
    const faster = Math.max(s0.median, s1.median);
    if (others <= maxOthers) {
      ratios.teamOverSum.push(team.median / sum);
      ratios.teamOverFaster.push(team.median / faster);
      ratios.pairOverSum.push(pair.median / sum);
      ratios.teamOverPair.push(team.median / pair.median);
      ratios.fastestTeamOverPair.push(team.fastest / pair.fastest);
    } else disturbed++;
    console.log(
      `round ${round + 1} (${order.map((o) => o.name).join(', ')}), median (fastest) epochs: vCPU 0 ${k(s0.median)} (${k(s0.fastest)}), ` +
        `vCPU 1 ${k(s1.median)} (${k(s1.fastest)}), both at once ${k(pair.median)} (${k(pair.fastest)}), team ${k(team.median)} (${k(team.fastest)}) samples/s; ` +
        `team / sum ${round3(team.median / sum)}, team / faster ${(team.median / faster).toFixed(2)}x, ` +
        `both at once / sum ${round3(pair.median / sum)}, team / both at once ${round3(team.median / pair.median)} (fastest epochs ${round3(team.fastest / pair.fastest)}); ` +
        `other processes' CPU during the round ${others.toFixed(2)} s; load average ${loadavg()[0].toFixed(2)}`,
    );
  }
  const range = (xs: number[], d: number) =>
    xs.length === 0 ? 'no undisturbed round' : `${median(xs).toFixed(d)} (${Math.min(...xs).toFixed(d)}-${Math.max(...xs).toFixed(d)})`;
  console.log(
    `\n${ratios.teamOverSum.length} rounds in which other processes used at most ${maxOthers} s of CPU (${disturbed} left out); over those, median (min-max):`,
  );
  console.log(`team over the sum of its vCPUs' lone speeds: ${range(ratios.teamOverSum, 3)}`);
  console.log(`team over the faster vCPU's lone speed: ${range(ratios.teamOverFaster, 2)}x`);
  console.log(`both at once over the sum of the lone speeds (the host's share): ${range(ratios.pairOverSum, 3)}`);
  console.log(
    `team over both at once (the team's share): ${range(ratios.teamOverPair, 3)}; fastest epochs: ${range(ratios.fastestTeamOverPair, 3)}`,
  );
}

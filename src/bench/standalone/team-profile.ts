/**
 * Where a team's time goes: trains the reference MLP on the pool with 1 and 2 workers (in ABBA
 * order, `--repeats` runs each, paired.ts) and prints, per thread and per phase of a step, the barriers per
 * step, the time working and waiting per step, how often the thread slept in Atomics.wait, and the
 * thread's CPU time against the run's wall time (a thread descheduled by other processes shows
 * CPU < wall). BENCHMARKS.md ("Where the second worker's time goes") was measured with it.
 *
 *   npm run build:engine && npx tsx src/bench/standalone/team-profile.ts [--batch 128] [--kernels native]
 *     [--epochs 4] [--repeats 3]
 *
 * The whole run is profiled (set-up, warm-up epoch and evaluation included, under "other"), so the
 * per-step figures divide the phase's totals by the training steps. At the end: the scaling as
 * the median of the adjacent pairs' ratios, and the units' work inflation: per pair, both threads'
 * work per step (time outside barriers, in the step's phases) over one worker's, 1.00 when the
 * units run as fast on two threads as on one; and, where the OS tells threads' CPU time, the
 * same for CPU time per step summed over the threads (spins in barriers included), which time
 * lost to other processes does not move.
 */
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { KernelSetName, RunResult } from '../../engine/index.js';
import { hostCpuSeconds } from '../host-cpu.js';
import { abbaOrder, formatPairedRatio, pairedRatio } from '../paired.js';
import { trainReference } from '../train.js';
import { mnistPool } from './mnist-pool.js';

const { values } = parseArgs({
  options: {
    batch: { type: 'string', default: '128' },
    kernels: { type: 'string', default: 'native' },
    epochs: { type: 'string', default: '4' },
    repeats: { type: 'string', default: '3' },
    embedded: { type: 'string', default: 'resources/runtime/mnist' },
  },
});
const batch = Number(values.batch);
const epochs = Number(values.epochs);
const { pool, rows: n } = await mnistPool(values.embedded, 2);
const run = (threads: number): Promise<RunResult> =>
  trainReference(pool, { kernels: values.kernels as KernelSetName, threads, batch, rows: n, epochs });

const us = (s: number, steps: number) => ((s / steps) * 1e6).toFixed(0).padStart(6);
const speeds = new Map<number, number[]>([
  [1, []],
  [2, []],
]);
const work = new Map<number, number[]>([
  [1, []],
  [2, []],
]);
const cpu = new Map<number, number[]>([
  [1, []],
  [2, []],
]);
try {
  for (const { contender } of abbaOrder(2, Number(values.repeats))) {
    const threads = contender + 1;
    const cpu0 = process.cpuUsage();
    const host0 = hostCpuSeconds();
    const r = await run(threads);
    const cpuProcess = process.cpuUsage(cpu0);
    const host1 = hostCpuSeconds();
    const measured = r.outcome.epochs.slice(1);
    const stepsMeasured = measured.reduce((a, e) => a + e.steps, 0);
    const sps = (stepsMeasured * batch) / measured.reduce((a, e) => a + e.seconds, 0);
    const steps = r.outcome.steps;
    speeds.get(threads)!.push(sps);
    // All threads' work in the step's phases, per step.
    const stepWork = (r.teamProfiles ?? []).flatMap((p) => p.phases.filter((ph) => ph.phase !== 'other').map((ph) => ph.workSeconds));
    work.get(threads)!.push(stepWork.reduce((a, w) => a + w, 0) / steps);
    const cpus = (r.teamProfiles ?? []).map((p) => p.cpuSeconds);
    const teamCpu = cpus.length > 0 && cpus.every((c) => c !== null) ? cpus.reduce((a, c) => a + c!, 0) : null;
    if (teamCpu !== null) cpu.get(threads)!.push(teamCpu / steps);
    console.log(
      `\n${values.kernels}, batch ${batch}, ${threads} worker(s): ${sps.toFixed(0)} samples/s after the first epoch, ` +
        `${((batch / sps) * 1e3).toFixed(3)} ms/step; load average ${loadavg()[0].toFixed(2)}`,
    );
    // Everything this process ran besides the team's threads (the main thread, V8's compiler and GC
    // helpers, idle pool workers): on two vCPUs, such a thread can only run by displacing a worker.
    const processSeconds = (cpuProcess.user + cpuProcess.system) / 1e6;
    const wall = r.outcome.seconds;
    if (teamCpu !== null) {
      console.log(
        `  process CPU ${processSeconds.toFixed(2)} s, team threads ${teamCpu.toFixed(2)} s, other threads ${(processSeconds - teamCpu).toFixed(2)} s ` +
          `(${us(processSeconds - teamCpu, steps)} us/step)` +
          (host0 && host1
            ? `; host steal ${(host1.steal - host0.steal).toFixed(2)} s, idle ${(host1.idle - host0.idle).toFixed(2)} s of ${(availableParallelism() * wall).toFixed(2)} CPU-s in the run`
            : ''),
      );
    }
    for (const [t, p] of (r.teamProfiles ?? []).entries()) {
      const cpu =
        p.cpuSeconds === null ? 'n/a' : `${p.cpuSeconds.toFixed(2)} s (${((100 * p.cpuSeconds) / p.seconds).toFixed(0)}% of wall)`;
      console.log(`  thread ${t}: wall ${p.seconds.toFixed(2)} s, CPU ${cpu}`);
      for (const ph of p.phases) {
        console.log(
          `    ${ph.phase.padEnd(10)} barriers/step ${(ph.barriers / steps).toFixed(2).padStart(5)}  work us/step ${us(ph.workSeconds, steps)}` +
            `  wait us/step ${us(ph.waitSeconds, steps)}  wait us/barrier ${((ph.waitSeconds / ph.barriers) * 1e6).toFixed(1).padStart(6)}` +
            `  slept in ${((100 * ph.sleeps) / ph.barriers).toFixed(1)}%`,
        );
      }
    }
  }
  console.log(`\nscaling 1 -> 2 workers, median of adjacent pairs: ${formatPairedRatio(pairedRatio(speeds.get(2)!, speeds.get(1)!))}`);
  console.log(
    `work inflation (both threads' work per step with 2 workers over 1 worker's): ${formatPairedRatio(pairedRatio(work.get(2)!, work.get(1)!))}`,
  );
  if (cpu.get(1)!.length > 0 && cpu.get(1)!.length === cpu.get(2)!.length) {
    console.log(
      `CPU per step, all threads, 2 workers over 1 (barrier spins included: a descheduled partner can only raise it): ${formatPairedRatio(pairedRatio(cpu.get(2)!, cpu.get(1)!))}`,
    );
  }
} finally {
  await pool.shutdown();
}

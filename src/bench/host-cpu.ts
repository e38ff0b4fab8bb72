/**
 * The whole machine's CPU time so far, in seconds summed over all CPUs, from the first line of
 * /proc/stat (user nice system idle iowait irq softirq steal guest guest_nice, in clock ticks of
 * 10 ms; guest time is already inside user and nice): `busy` what the guest's processes and kernel
 * ran, `idle` (with iowait), and `steal`, what the hypervisor gave to others while a vCPU wanted to
 * run. Null where there is no /proc/stat (not Linux). For the standalone profilers, which print
 * how much of a run went elsewhere.
 */
import { readFileSync } from 'node:fs';

export interface HostCpuSeconds {
  busy: number;
  idle: number;
  steal: number;
}

export function hostCpuSeconds(): HostCpuSeconds | null {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const tick = (i: number) => (f[i] ?? 0) / 100;
    return { busy: tick(0) + tick(1) + tick(2) + tick(5) + tick(6), idle: tick(3) + tick(4), steal: tick(7) };
  } catch {
    return null;
  }
}

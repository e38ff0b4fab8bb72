/**
 * How long (ms) a thread that arrives first at a barrier spins before it sleeps in Atomics.wait,
 * adapted to how the thread's last waits ended.
 *
 * A phase's threads arrive at most one unit apart (0.1-0.7 ms for the reference MLP), so when
 * both threads own a CPU a spin of up to 1 ms ends nearly every wait inside a step without a
 * sleep. That matters on a VM, where a sleeping vCPU is halted and woken through the hypervisor:
 * on the 2-vCPU Xeon host, sleeping after a few microseconds cost 0.36-1.7 ms per barrier and two
 * workers trained slower than one (BENCHMARKS.md, "Where the second worker's time goes"). But
 * when another process holds one of the CPUs, the partner is descheduled and a 1 ms spin keeps
 * from it the very CPU it needs; the same host then trained slower on two workers than on one.
 *
 * So the budget halves after each wait that outlasted it (down to SPIN_MIN_MS, about the old
 * fixed 4000 spins) and doubles after each wait that ended while spinning (up to SPIN_MAX_MS);
 * every PROBE_EVERY waits it goes back to SPIN_MAX_MS, so that a stretch of long waits (the
 * leader's evaluation, a burst of load) does not leave it small once the load is gone.
 */
export const SPIN_MAX_MS = 1;
export const SPIN_MIN_MS = 1 / 64;
export const PROBE_EVERY = 64;

export class SpinBudget {
  /** The current budget in milliseconds. */
  ms = SPIN_MAX_MS;
  private waits = 0;

  /** Records a wait that ended while spinning. */
  spun(): void {
    this.ms = Math.min(SPIN_MAX_MS, this.ms * 2);
    this.count();
  }

  /** Records a wait that outlasted the budget and slept. */
  slept(): void {
    this.ms = Math.max(SPIN_MIN_MS, this.ms / 2);
    this.count();
  }

  private count(): void {
    if (++this.waits % PROBE_EVERY === 0) this.ms = SPIN_MAX_MS;
  }
}

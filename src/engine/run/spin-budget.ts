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

const LEVELS = Math.log2(SPIN_MAX_MS / SPIN_MIN_MS) + 1;
/** The budget in milliseconds at each level: SPIN_MAX_MS / 2^level. */
export const SPIN_BUDGET_MS = Float64Array.from({ length: LEVELS }, (_, level) => SPIN_MAX_MS / 2 ** level);

export class SpinBudget {
  /**
   * The current budget is SPIN_BUDGET_MS[level]. A small integer, not the milliseconds: a wait
   * that slept is rare, so this code may run unoptimized, where every double it computed would
   * be a new heap number, and a barrier must allocate nothing.
   */
  level = 0;
  private waits = 0;

  /** Records a wait that ended while spinning. */
  spun(): void {
    if (this.level > 0) this.level -= 1;
    this.count();
  }

  /** Records a wait that outlasted the budget and slept. */
  slept(): void {
    if (this.level < LEVELS - 1) this.level += 1;
    this.count();
  }

  private count(): void {
    this.waits = (this.waits + 1) % PROBE_EVERY;
    if (this.waits === 0) this.level = 0;
  }
}

import { describe, expect, it } from 'vitest';
import { PROBE_EVERY, SPIN_BUDGET_MS, SPIN_MAX_MS, SPIN_MIN_MS, SpinBudget } from '../src/engine/run/spin-budget.js';

const ms = (b: SpinBudget): number => SPIN_BUDGET_MS[b.level];

describe('the barrier spin budget', () => {
  it('starts at the full budget, the one a quiet VM needs', () => {
    expect(ms(new SpinBudget())).toBe(1);
    expect(SPIN_MAX_MS).toBe(1);
  });

  it('halves after each wait that slept, down to the floor, and doubles back on spun waits', () => {
    const b = new SpinBudget();
    const seen: number[] = [];
    for (let i = 0; i < 8; i++) {
      b.slept();
      seen.push(ms(b));
    }
    // 1/2, 1/4, ..., 1/64 ms, then held at the floor.
    expect(seen).toEqual([0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625, 0.015625, 0.015625]);
    expect(SPIN_MIN_MS).toBe(0.015625);
    b.spun();
    b.spun();
    expect(ms(b)).toBe(0.0625);
    for (let i = 0; i < 10; i++) b.spun();
    expect(ms(b)).toBe(1);
  });

  it('goes back to the full budget every PROBE_EVERY waits, so a burst of load does not last', () => {
    const b = new SpinBudget();
    for (let i = 1; i < PROBE_EVERY; i++) b.slept();
    expect(ms(b)).toBe(SPIN_MIN_MS);
    b.slept(); // the 64th wait
    expect(ms(b)).toBe(1);
    b.slept();
    expect(ms(b)).toBe(0.5);
  });
});

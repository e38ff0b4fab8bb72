/**
 * Seed-count advice beside the results table: for each variant compared with the baseline on one
 * metric, the fewest seeds with which the two-sided paired t-test (alpha 0.05) detects a chosen
 * difference with 80% power, given the spread of the paired differences observed so far
 * (src/shared/intervals.ts, seedsForPower). The difference defaults to the one observed. Pure.
 */
import type { Comparison } from '../../../shared/api.js';
import { MAX_ADVISED_SEEDS, seedsForPower } from '../../../shared/intervals.js';

export interface SeedAdvice {
  variantId: string;
  label: string;
  /** Observed mean paired difference, its standard deviation, and the pairs behind them. */
  observed: number | null;
  sd: number | null;
  pairs: number;
  /** The difference the advice is for (the chosen one, else |observed|). */
  delta: number | null;
  seeds: number | null;
  /** Why there is no advice, when there is none. */
  reason: string | null;
}

export function seedAdvice(cmp: Comparison, metric: string, chosen: number | null): SeedAdvice[] {
  return cmp.variants
    .filter((v) => v.variantId !== cmp.baseline)
    .map((v) => {
      const d = v.vsBaseline?.[metric] ?? null;
      const base = { variantId: v.variantId, label: v.label, observed: d?.mean ?? null, sd: d?.sd ?? null, pairs: d?.n ?? 0 };
      const delta = chosen ?? (d && Number.isFinite(d.mean) ? Math.abs(d.mean) : null);
      if (!d || d.n < 2 || d.sd === null) return { ...base, delta, seeds: null, reason: 'needs at least 2 seeds paired with the baseline' };
      if (d.sd === 0) return { ...base, delta, seeds: null, reason: 'every pair differs by the same amount: no spread to plan with' };
      if (delta === null || delta === 0) return { ...base, delta, seeds: null, reason: 'no difference to detect' };
      const seeds = seedsForPower(delta, d.sd);
      return { ...base, delta, seeds, reason: seeds === null ? `more than ${MAX_ADVISED_SEEDS} seeds` : null };
    });
}

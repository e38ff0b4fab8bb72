/**
 * Words of the comparison across experiments (Api `compareExperiments`): how a cell's difference
 * to the baseline was made (paired by seed, or unpaired with Welch's interval when no seed is
 * shared), or why there is none. Pure.
 */
import type { CrossComparison, PairedResult } from '../../../shared/api.js';
import { fmtNum, plural } from './format.js';
import type { DiffReason } from './tables.js';

/**
 * The pairing of one cell: null for the baseline itself; with a paired difference, the number of
 * seed pairs behind it; with an unpaired one, that it is Welch's and over how many seeds; without
 * one, why (this variant or the baseline has no value of the metric, or none at the shared seeds).
 */
export function pairingNote(
  shared: readonly number[] | undefined,
  d: (Pick<PairedResult, 'n'> & Partial<Pick<PairedResult, 'test' | 'nBaseline' | 'df' | 'lower'>>) | null | undefined,
  isBaseline: boolean,
): string | null {
  if (isBaseline) return null;
  if (d && d.test === 'welch') {
    const df = d.df !== null && d.df !== undefined ? `, df ${fmtNum(d.df, 3)}` : '';
    const few = d.lower === null ? "; Welch's interval needs 2 seeds or more on each side, so the difference of the means only" : '';
    return `not paired (no seed shared): Welch, ${d.n} vs ${plural(d.nBaseline ?? 0, 'seed')}${df}${few}`;
  }
  if (d) return `paired over ${plural(d.n, 'seed')}`;
  if (!shared || shared.length === 0) return 'no difference: this variant or the baseline has no value of this metric';
  return `no difference: this metric is missing at the ${plural(shared.length, 'shared seed')}`;
}

/** Why a difference cell of the copies is empty, in the words of the table on screen (tables.ts fills in the rest). */
export function crossDiffReason(result: CrossComparison): DiffReason {
  return (row, metric) => {
    if (row.variantId === result.comparison.baseline || (row.vsBaseline?.[metric] ?? null) !== null) return null;
    if (!row.metrics[metric]) return null;
    return pairingNote(result.sharedSeeds[row.variantId], null, false);
  };
}

/** "seeds 1, 2, 3" or "no run ended healthy". */
export function seedsText(seeds: readonly number[]): string {
  return seeds.length === 0 ? 'no run ended healthy' : `${seeds.length === 1 ? 'seed' : 'seeds'} ${seeds.join(', ')}`;
}

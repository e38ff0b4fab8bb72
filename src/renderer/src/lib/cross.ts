/**
 * Words of the comparison across experiments (Api `compareExperiments`): how a cell's difference
 * to the baseline was paired, or why there is none. Pure.
 */
import { plural } from './format.js';

/**
 * The pairing of one cell: null for the baseline itself; with a difference, the number of seed
 * pairs behind it; without one, why (no seed shared with the baseline, or none of the shared seeds
 * has this metric).
 */
export function pairingNote(
  shared: readonly number[] | undefined,
  d: { n: number } | null | undefined,
  isBaseline: boolean,
): string | null {
  if (isBaseline) return null;
  if (d) return `paired over ${plural(d.n, 'seed')}`;
  if (!shared || shared.length === 0) return 'not paired: no seed in common with the baseline, so no difference';
  return `no difference: this metric is missing at the ${plural(shared.length, 'shared seed')}`;
}

/** "seeds 1, 2, 3" or "no run ended healthy". */
export function seedsText(seeds: readonly number[]): string {
  return seeds.length === 0 ? 'no run ended healthy' : `${seeds.length === 1 ? 'seed' : 'seeds'} ${seeds.join(', ')}`;
}

/**
 * The words that say which of a variant's ended runs the seed statistics left out, from the
 * variant's `statuses` (runs per stored status, VariantResult): "n = 2 of 3; 1 damaged run
 * excluded". Only completed and early-stopped runs with intact files count (compare.ts); runs
 * still training have no status and are not counted either way. `ablate show`, the Compare
 * results table and the report print the same sentence. Pure; imported by the renderer and Node.
 */
import { STATE_WORDS, type RunState } from './run-state.js';

const COUNTED = new Set(['completed', 'early_stopped']);

/** In the order a reader needs them: what is broken first. */
const ORDER = ['damaged', 'diverged', 'failed', 'cancelled', 'unreadable'];

/** Runs in the statistics, runs ended in all, and the excluded ones per status (in ORDER, then the rest). */
export function exclusions(statuses: Readonly<Record<string, number>>): {
  counted: number;
  ended: number;
  excluded: Array<{ status: string; n: number }>;
} {
  let counted = 0;
  let ended = 0;
  const excluded: Array<{ status: string; n: number }> = [];
  const rank = (s: string) => (ORDER.includes(s) ? ORDER.indexOf(s) : ORDER.length);
  for (const [status, n] of Object.entries(statuses).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))) {
    if (!(n > 0)) continue;
    ended += n;
    if (COUNTED.has(status)) counted += n;
    else excluded.push({ status, n });
  }
  return { counted, ended, excluded };
}

/** "n = 2 of 3; 1 damaged run excluded", or null when no ended run was left out. */
export function exclusionText(statuses: Readonly<Record<string, number>>): string | null {
  const { counted, ended, excluded } = exclusions(statuses);
  if (excluded.length === 0) return null;
  const total = excluded.reduce((a, e) => a + e.n, 0);
  const words = excluded.map((e) => `${e.n} ${STATE_WORDS[e.status as RunState] ?? e.status.replace('_', ' ')}`);
  return `n = ${counted} of ${ended}; ${words.join(', ')} run${total === 1 ? '' : 's'} excluded`;
}

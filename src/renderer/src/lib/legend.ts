/**
 * What the variant legend (components/compare/VariantLegend.svelte) reads and sets, so the Compare
 * tab of one experiment and the comparison across experiments share one legend: the variants in
 * their styles, the runs that went wrong, which are hidden from the plots, the filter, and the
 * variant pointed at or pinned. The Compare tab's model reads its session; the cross view's its
 * state (state/cross.svelte.ts). Pure words helper below.
 */
import type { Dash } from './palette.js';

export interface LegendModel {
  readonly variants: ReadonlyArray<{ id: string; label: string }>;
  styleOf(id: string): { color: string; dash: Dash };
  /** The variant's runs that diverged, failed or are damaged, in words ("2 diverged"); "" when none. */
  trouble(id: string): string;
  isHidden(id: string): boolean;
  toggleHidden(id: string): void;
  showAll(): void;
  variantFilter: string;
  hovered: string | null;
  pinned: string | null;
  readonly highlight: string | null;
}

/** "2 diverged, 1 failed" from counts of runs by state (only the bad ones named). */
export function troubleWords(counts: Readonly<Record<string, number | undefined>>, words: Readonly<Record<string, string>>): string {
  return (['diverged', 'failed', 'damaged'] as const)
    .filter((s) => (counts[s] ?? 0) > 0)
    .map((s) => `${counts[s]} ${words[s] ?? s}`)
    .join(', ');
}

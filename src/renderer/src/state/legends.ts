/**
 * The variant legend's models (lib/legend.ts): one over an experiment's session (its Compare tab),
 * one over the comparison across experiments. Getters and setters reach the reactive state, so the
 * legend renders and sets it as if it held it.
 */
import { countStates, STATE_WORDS } from '../../../shared/run-state';
import { troubleWords, type LegendModel } from '../lib/legend';
import { variantDash } from '../lib/palette';
import type { CrossCompareState } from './cross.svelte';
import type { ExperimentSession } from './session.svelte';

/** Where the hidden variants and the filter live (CompareState, CrossCompareState). */
interface LegendFilter {
  readonly hidden: { has(id: string): boolean; clear(): void };
  toggleHidden(id: string): void;
  variantFilter: string;
}

/** Where the variant pointed at and the pinned one live (ExperimentSession, CrossCompareState). */
interface LegendPointer {
  hovered: string | null;
  pinned: string | null;
  readonly highlight: string | null;
}

/**
 * A legend over `f`'s hidden set and filter and `p`'s pointer, with what differs between the two
 * views (the variants, their styles and trouble) from `rows`. Getters, not copies: reading a field
 * reads the state each time, so it stays reactive.
 */
function legendOver(
  rows: Pick<LegendModel, 'styleOf' | 'trouble'> & { variants(): LegendModel['variants'] },
  f: () => LegendFilter,
  p: LegendPointer,
): LegendModel {
  return {
    get variants() {
      return rows.variants();
    },
    styleOf: rows.styleOf,
    trouble: rows.trouble,
    isHidden: (id) => f().hidden.has(id),
    toggleHidden: (id) => f().toggleHidden(id),
    showAll: () => {
      f().hidden.clear();
      f().variantFilter = '';
    },
    get variantFilter() {
      return f().variantFilter;
    },
    set variantFilter(v) {
      f().variantFilter = v;
    },
    get hovered() {
      return p.hovered;
    },
    set hovered(v) {
      p.hovered = v;
    },
    get pinned() {
      return p.pinned;
    },
    set pinned(v) {
      p.pinned = v;
    },
    get highlight() {
      return p.highlight;
    },
  };
}

export function sessionLegend(session: ExperimentSession): LegendModel {
  return legendOver(
    {
      variants: () => session.variants,
      styleOf: (id) => session.styleOf(id),
      trouble: (id) => troubleWords(countStates(session.runs.filter((r) => r.variantId === id).map((r) => r.status)), STATE_WORDS),
    },
    () => session.compare,
    session,
  );
}

/** `colors`: each picked variant's color (lib/plots/cross-curves.ts crossColors). */
export function crossLegend(x: CrossCompareState, colors: () => Record<string, string>): LegendModel {
  const rows = () => x.result?.comparison.variants ?? [];
  return legendOver(
    {
      variants: () => rows().map((v) => ({ id: v.variantId, label: v.label })),
      styleOf: (id) => ({
        color: colors()[id],
        dash: variantDash(rows().findIndex((v) => v.variantId === id)),
      }),
      trouble: (id) => troubleWords(rows().find((v) => v.variantId === id)?.statuses ?? {}, STATE_WORDS),
    },
    () => x,
    x,
  );
}

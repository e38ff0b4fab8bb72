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

export function sessionLegend(session: ExperimentSession): LegendModel {
  const c = () => session.compare;
  return {
    get variants() {
      return session.variants;
    },
    styleOf: (id) => session.styleOf(id),
    trouble: (id) => troubleWords(countStates(session.runs.filter((r) => r.variantId === id).map((r) => r.status)), STATE_WORDS),
    isHidden: (id) => c().hidden.has(id),
    toggleHidden: (id) => c().toggleHidden(id),
    showAll: () => {
      c().hidden.clear();
      c().variantFilter = '';
    },
    get variantFilter() {
      return c().variantFilter;
    },
    set variantFilter(v) {
      c().variantFilter = v;
    },
    get hovered() {
      return session.hovered;
    },
    set hovered(v) {
      session.hovered = v;
    },
    get pinned() {
      return session.pinned;
    },
    set pinned(v) {
      session.pinned = v;
    },
    get highlight() {
      return session.highlight;
    },
  };
}

/** `colors`: each picked variant's color (lib/plots/cross-curves.ts crossColors). */
export function crossLegend(x: CrossCompareState, colors: () => Record<string, string>): LegendModel {
  const rows = () => x.result?.comparison.variants ?? [];
  return {
    get variants() {
      return rows().map((v) => ({ id: v.variantId, label: v.label }));
    },
    styleOf: (id) => ({
      color: colors()[id],
      dash: variantDash(rows().findIndex((v) => v.variantId === id)),
    }),
    trouble: (id) => troubleWords(rows().find((v) => v.variantId === id)?.statuses ?? {}, STATE_WORDS),
    isHidden: (id) => x.hidden.has(id),
    toggleHidden: (id) => x.toggleHidden(id),
    showAll: () => {
      x.hidden.clear();
      x.variantFilter = '';
    },
    get variantFilter() {
      return x.variantFilter;
    },
    set variantFilter(v) {
      x.variantFilter = v;
    },
    get hovered() {
      return x.hovered;
    },
    set hovered(v) {
      x.hovered = v;
    },
    get pinned() {
      return x.pinned;
    },
    set pinned(v) {
      x.pinned = v;
    },
    get highlight() {
      return x.highlight;
    },
  };
}

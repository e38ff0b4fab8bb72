/**
 * For the views that draw one seed's run per variant: keeps those runs' diagnostics loaded, and
 * fetches again what went stale while runs are live (each `liveTick`). Call during component
 * initialisation.
 */
import type { CompareState } from '../../state/compare.svelte';

export function useSeedDiagnostics(compare: () => CompareState): void {
  $effect(() => {
    const c = compare();
    void c.liveTick;
    c.ensureDiagnostics(c.seedRunIds());
  });
}

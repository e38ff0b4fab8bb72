/**
 * The variant legend's models (state/legends.ts) over the reactive state they stand for: what the
 * legend reads comes from the state as it is now, and what it sets lands in the state (the
 * highlight follows hovered, then pinned). The Compare tab's over an experiment's session, the
 * cross view's over the comparison across experiments; trouble words and styles by hand.
 */
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import type { Api, CrossComparison, RunView, ExperimentView } from '../../src/shared/api.js';
import { crossLegend, sessionLegend } from '../../src/renderer/src/state/legends.js';
import { CrossCompareState } from '../../src/renderer/src/state/cross.svelte.js';
import { ExperimentSession } from '../../src/renderer/src/state/session.svelte.js';
import { ToastState } from '../../src/renderer/src/state/toasts.svelte.js';
import type { LegendModel } from '../../src/renderer/src/lib/legend.js';

/** Hover, pin, hide, filter and show all through `legend`, checking `state` after each. */
function pointsHidesAndFilters(
  legend: LegendModel,
  state: { hovered: string | null; pinned: string | null; highlight: string | null },
  view: { hidden: Set<string>; variantFilter: string },
) {
  legend.pinned = 'b';
  flushSync();
  expect([state.pinned, legend.highlight]).toEqual(['b', 'b']);
  legend.hovered = 'a';
  flushSync();
  expect([state.hovered, state.highlight, legend.highlight]).toEqual(['a', 'a', 'a']);
  legend.hovered = null;
  flushSync();
  expect(legend.highlight).toBe('b');
  legend.toggleHidden('a');
  expect([view.hidden.has('a'), legend.isHidden('a'), legend.isHidden('b')]).toEqual([true, true, false]);
  legend.variantFilter = 'rel';
  expect(view.variantFilter).toBe('rel');
  view.variantFilter = 'tan';
  expect(legend.variantFilter).toBe('tan');
  legend.showAll();
  expect([view.hidden.size, view.variantFilter, legend.isHidden('a')]).toEqual([0, '', false]);
}

describe('the variant legend over the comparison across experiments', () => {
  it('reads the variants, styles and trouble of the comparison shown, and sets its pointer, hidden set and filter', () => {
    const x = new CrossCompareState({} as Api);
    const legend = crossLegend(x, () => ({ 'e1/a': '#111111', 'e2/b': '#222222' }));
    expect(legend.variants).toEqual([]);
    x.result = {
      comparison: {
        variants: [
          { variantId: 'e1/a', label: 'One: a', statuses: { completed: 1, diverged: 2, failed: 1 } },
          { variantId: 'e2/b', label: 'Two: b', statuses: { completed: 3 } },
        ],
      },
    } as unknown as CrossComparison;
    expect(legend.variants).toEqual([
      { id: 'e1/a', label: 'One: a' },
      { id: 'e2/b', label: 'Two: b' },
    ]);
    expect(legend.styleOf('e2/b')).toEqual({ color: '#222222', dash: 'solid' });
    expect(legend.trouble('e1/a')).toBe('2 diverged, 1 failed');
    expect(legend.trouble('e2/b')).toBe('');
    pointsHidesAndFilters(legend, x, x);
  });
});

describe("the variant legend over an experiment's session", () => {
  it('reads the variants and trouble of its runs, and sets the session pointer and the Compare tab hidden set and filter', () => {
    const s = new ExperimentSession(
      {} as Api,
      'exp',
      new ToastState(),
      () => 'light',
      () => '0',
    );
    const legend = sessionLegend(s);
    s.view = {
      experiment: { spec: {} },
      variants: [
        { id: 'a', label: 'relu', factors: {} },
        { id: 'b', label: 'tanh', factors: {} },
      ],
    } as unknown as ExperimentView;
    s.runs = [
      { variantId: 'a', status: 'diverged' },
      { variantId: 'a', status: 'completed' },
      { variantId: 'b', status: 'failed' },
    ] as RunView[];
    flushSync();
    expect(legend.variants.map((v) => v.label)).toEqual(['relu', 'tanh']);
    expect(legend.trouble('a')).toBe('1 diverged');
    expect(legend.trouble('b')).toBe('1 failed');
    expect(legend.styleOf('b').dash).toBe('solid');
    pointsHidesAndFilters(legend, s, s.compare);
    s.dispose();
  });
});

/**
 * "Jump to the first problem" (the Design tab's status, F8): opens every card that has a problem,
 * then moves focus to the first problem in the tab's reading order, the control it is about when
 * there is one (else the message itself), and scrolls it into view. Returns whether one was found.
 */
import { tick } from 'svelte';
import type { CardId, DesignState } from '../../state/design.svelte';

const CARDS: readonly CardId[] = ['data', 'network', 'training', 'compare', 'seeds'];

/** What marks a problem on the Design tab: a message under a field or a card, or a control marked invalid. */
const PROBLEM = '[data-testid="field-error"], [aria-invalid="true"]';

export async function jumpToFirstProblem(design: DesignState, root: ParentNode = document): Promise<boolean> {
  for (const card of CARDS) if (design.cardErrorCount(card) > 0) design.collapsed[card] = false;
  await tick();
  const tab = root.querySelector('[data-testid="design-tab"]');
  const first = tab?.querySelector<HTMLElement>(PROBLEM);
  if (!first) return false;
  const target = first.matches('input, select, textarea, button') ? first : controlBefore(first);
  if (target) target.focus();
  else {
    first.tabIndex = -1;
    first.focus();
  }
  first.scrollIntoView({ block: 'center' });
  return true;
}

/** The control a message belongs to: the one in its field (the message follows its control). */
function controlBefore(message: HTMLElement): HTMLElement | null {
  const field = message.closest('.field, [data-testid="layer-row"]');
  return field?.querySelector<HTMLElement>('input, select, textarea') ?? null;
}

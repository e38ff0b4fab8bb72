/**
 * The app's keyboard shortcuts, as data: which key chord does what. Pure (App.svelte and, for its
 * views, CompareTab.svelte listen and act; the help dialog lists SHORTCUTS). Chords avoid what a
 * browser keeps for itself under `ablate serve` (Ctrl+1..9 and Alt+1..9 switch browser tabs,
 * Alt+Left goes back): tabs are Alt+Shift+1..4, Compare's views Alt+Shift+Left/Right. Chords
 * without Ctrl or Alt (the help's "?") and the arrows are left to a text field that has the focus.
 */
export type ShortcutAction =
  { kind: 'run' } | { kind: 'first-problem' } | { kind: 'tab'; index: number } | { kind: 'view'; step: 1 | -1 } | { kind: 'help' };

export interface Chord {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  code?: string;
  /** The focus is in a text field (input, textarea, select, contenteditable). */
  editable?: boolean;
}

export const SHORTCUTS: ReadonlyArray<{ keys: string; does: string }> = [
  { keys: 'Ctrl+Enter (⌘+Enter on macOS)', does: 'run the design (when it can run)' },
  { keys: 'F8', does: 'go to the first problem of the design' },
  { keys: 'Alt+Shift+1 … 4', does: 'Design, Runs, Compare, Export' },
  { keys: 'Alt+Shift+→ / Alt+Shift+←', does: 'Compare: the next / previous view (curves, gradient flow, …, results table)' },
  { keys: '← / → (view picker focused)', does: 'Compare: the next / previous view' },
  { keys: '?', does: 'this list of shortcuts' },
];

export function shortcutOf(e: Chord): ShortcutAction | null {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey) return { kind: 'run' };
  if (e.key === 'F8' && !e.ctrlKey && !e.metaKey && !e.altKey) return { kind: 'first-problem' };
  // With Shift held, key is "!" or "@" on many layouts: the physical digit (code) decides.
  const digit = /^Digit([1-4])$/.exec(e.code ?? '')?.[1];
  if (digit && e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey) return { kind: 'tab', index: Number(digit) - 1 };
  if (e.editable) return null;
  if ((e.key === 'ArrowRight' || e.key === 'ArrowLeft') && e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey)
    return { kind: 'view', step: e.key === 'ArrowRight' ? 1 : -1 };
  if (e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey) return { kind: 'help' };
  return null;
}

/** The fields of a key event a chord is made of. */
export function pickChord(e: Chord): Chord {
  return { key: e.key, code: e.code, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, shiftKey: e.shiftKey };
}

/** Whether a key event's target is a text field, where typing and arrows keep their meaning. */
export function isEditable(target: EventTarget | null): boolean {
  const el = target as { tagName?: string; isContentEditable?: boolean; type?: string } | null;
  if (!el || typeof el.tagName !== 'string') return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  return tag === 'INPUT' && !['button', 'checkbox', 'radio', 'range', 'submit', 'reset', 'color', 'file'].includes(el.type ?? 'text');
}

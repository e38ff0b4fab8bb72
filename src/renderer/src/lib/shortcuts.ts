/**
 * The app's keyboard shortcuts, as data: which key chord does what. Pure (App.svelte listens and
 * acts). Chords avoid what a browser keeps for itself under `ablate serve` (Ctrl+1..9 and Alt+1..9
 * switch browser tabs): tabs are Alt+Shift+1..4.
 */
export type ShortcutAction = { kind: 'run' } | { kind: 'first-problem' } | { kind: 'tab'; index: number };

export interface Chord {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  code?: string;
}

export const SHORTCUTS: ReadonlyArray<{ keys: string; does: string }> = [
  { keys: 'Ctrl+Enter (⌘+Enter on macOS)', does: 'run the design (when it can run)' },
  { keys: 'F8', does: 'go to the first problem of the design' },
  { keys: 'Alt+Shift+1 … 4', does: 'Design, Runs, Compare, Export' },
];

export function shortcutOf(e: Chord): ShortcutAction | null {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey) return { kind: 'run' };
  if (e.key === 'F8' && !e.ctrlKey && !e.metaKey && !e.altKey) return { kind: 'first-problem' };
  // With Shift held, key is "!" or "@" on many layouts: the physical digit (code) decides.
  const digit = /^Digit([1-4])$/.exec(e.code ?? '')?.[1];
  if (digit && e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey) return { kind: 'tab', index: Number(digit) - 1 };
  return null;
}

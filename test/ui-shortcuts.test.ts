/** The keyboard shortcuts (src/renderer/src/lib/shortcuts.ts): which chord does what, and what it leaves alone. */
import { describe, expect, it } from 'vitest';
import { shortcutOf, type Chord } from '../src/renderer/src/lib/shortcuts.js';

const chord = (key: string, over: Partial<Chord> = {}): Chord => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...over,
});

describe('shortcuts', () => {
  it('Ctrl+Enter and Cmd+Enter run; plain Enter or Ctrl+Shift+Enter do not', () => {
    expect(shortcutOf(chord('Enter', { ctrlKey: true }))).toEqual({ kind: 'run' });
    expect(shortcutOf(chord('Enter', { metaKey: true }))).toEqual({ kind: 'run' });
    expect(shortcutOf(chord('Enter'))).toBeNull();
    expect(shortcutOf(chord('Enter', { ctrlKey: true, shiftKey: true }))).toBeNull();
  });

  it('F8 goes to the first problem', () => {
    expect(shortcutOf(chord('F8'))).toEqual({ kind: 'first-problem' });
    expect(shortcutOf(chord('F8', { ctrlKey: true }))).toBeNull();
  });

  it('Alt+Shift+1..4 pick a tab by the physical digit, whatever the layout types', () => {
    expect(shortcutOf(chord('!', { altKey: true, shiftKey: true, code: 'Digit1' }))).toEqual({ kind: 'tab', index: 0 });
    expect(shortcutOf(chord('"', { altKey: true, shiftKey: true, code: 'Digit2' }))).toEqual({ kind: 'tab', index: 1 });
    expect(shortcutOf(chord('$', { altKey: true, shiftKey: true, code: 'Digit4' }))).toEqual({ kind: 'tab', index: 3 });
    expect(shortcutOf(chord('%', { altKey: true, shiftKey: true, code: 'Digit5' }))).toBeNull();
    // What a browser keeps for its own tabs is left alone.
    expect(shortcutOf(chord('1', { ctrlKey: true, code: 'Digit1' }))).toBeNull();
    expect(shortcutOf(chord('1', { altKey: true, code: 'Digit1' }))).toBeNull();
  });
});

/** The keyboard shortcuts (src/renderer/src/lib/shortcuts.ts): which chord does what, and what it leaves alone. */
import { describe, expect, it } from 'vitest';
import { isEditable, shortcutOf, type Chord } from '../src/renderer/src/lib/shortcuts.js';

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

describe('shortcuts for the Compare views and the help', () => {
  it("Alt+Shift+Right/Left step Compare's views; not in a text field, not without Shift", () => {
    expect(shortcutOf(chord('ArrowRight', { altKey: true, shiftKey: true }))).toEqual({ kind: 'view', step: 1 });
    expect(shortcutOf(chord('ArrowLeft', { altKey: true, shiftKey: true }))).toEqual({ kind: 'view', step: -1 });
    expect(shortcutOf(chord('ArrowLeft', { altKey: true }))).toBeNull(); // the browser's Back
    expect(shortcutOf(chord('ArrowRight', { altKey: true, shiftKey: true, editable: true }))).toBeNull(); // selects words on macOS
    expect(shortcutOf(chord('ArrowRight', { altKey: true, shiftKey: true, ctrlKey: true }))).toBeNull();
  });

  it('"?" opens the help, except while typing', () => {
    expect(shortcutOf(chord('?', { shiftKey: true }))).toEqual({ kind: 'help' });
    expect(shortcutOf(chord('?', { shiftKey: true, editable: true }))).toBeNull();
    expect(shortcutOf(chord('?', { ctrlKey: true }))).toBeNull();
    // The older chords still work from a text field (Ctrl+Enter runs while typing a value).
    expect(shortcutOf(chord('Enter', { ctrlKey: true, editable: true }))).toEqual({ kind: 'run' });
  });

  it('a text field is told apart from buttons and ranges', () => {
    expect(isEditable({ tagName: 'INPUT', type: 'text' } as unknown as EventTarget)).toBe(true);
    expect(isEditable({ tagName: 'INPUT', type: 'number' } as unknown as EventTarget)).toBe(true);
    expect(isEditable({ tagName: 'INPUT', type: 'range' } as unknown as EventTarget)).toBe(false);
    expect(isEditable({ tagName: 'TEXTAREA' } as unknown as EventTarget)).toBe(true);
    expect(isEditable({ tagName: 'DIV', isContentEditable: true } as unknown as EventTarget)).toBe(true);
    expect(isEditable({ tagName: 'BUTTON' } as unknown as EventTarget)).toBe(false);
    expect(isEditable(null)).toBe(false);
  });
});

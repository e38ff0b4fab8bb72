/**
 * Colour for terminal output, by a run's tone (src/shared/run-state.ts): red for runs whose numbers
 * are not results (diverged, failed, damaged), yellow for cancelled or interrupted ones, green for
 * healthy ones. Only on a terminal, and never when NO_COLOR is set (https://no-color.org).
 */
import type { Tone } from '../shared/run-state.js';

const CODES: Partial<Record<Tone, string>> = { bad: '31', warn: '33', ok: '32' };

export function colorsOn(stream: { isTTY?: boolean }): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR;
}

export function paint(text: string, tone: Tone, on: boolean): string {
  const code = CODES[tone];
  return on && code ? `\x1b[${code}m${text}\x1b[0m` : text;
}

/** A formatted table (header, rule, one line per row) with each row's line painted by its tone. */
export function paintRows(table: string, tones: readonly Tone[], on: boolean): string {
  if (!on) return table;
  return table
    .split('\n')
    .map((line, i) => (i >= 2 && tones[i - 2] ? paint(line, tones[i - 2], true) : line))
    .join('\n');
}

/**
 * ExperimentError: an experiment file that cannot be run, with every problem found, and the path
 * helpers all of spec/ uses so every message names its field the same way.
 *
 * Path style (the engine's, see src/engine/errors.ts): dotted from the root of the file, list
 * indices in brackets, keys that are not plain identifiers quoted in brackets:
 *   train.optimizer.lr   model.hidden[1].dropout   seeds[2]   compare["model.hidden[*].dropout"][0]
 * An empty path means the file as a whole (JSON syntax errors carry line and column instead).
 */
import type { FieldIssue } from '../../../engine/index.js';

export type { FieldIssue };

export class ExperimentError extends Error {
  readonly issues: FieldIssue[];
  readonly fileName: string;
  constructor(fileName: string, issues: FieldIssue[]) {
    const line = (i: FieldIssue) => (i.path ? `${i.path}: ${i.message}` : i.message);
    super(
      issues.length === 1
        ? `Invalid experiment ${fileName}: ${line(issues[0])}`
        : `Invalid experiment ${fileName} (${issues.length} problems):\n` + issues.map((i) => `  - ${line(i)}`).join('\n'),
    );
    this.name = 'ExperimentError';
    this.fileName = fileName;
    this.issues = issues;
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Appends a key or a list index to a path in the style above. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (IDENTIFIER.test(key)) return base ? `${base}.${key}` : key;
  return `${base}[${JSON.stringify(key)}]`;
}

/** Object keys a JSON file must not use: assigning them can reach Object.prototype in JavaScript. */
export const RESERVED_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** Every reserved key in a parsed JSON value, as issues (own keys only; JSON.parse makes them own). */
export function reservedKeyIssues(value: unknown, path = ''): FieldIssue[] {
  const out: FieldIssue[] = [];
  const visit = (v: unknown, p: string, depth: number) => {
    if (depth > 64 || typeof v !== 'object' || v === null) return;
    if (Array.isArray(v)) return v.forEach((item, i) => visit(item, joinPath(p, i), depth + 1));
    for (const key of Object.keys(v)) {
      const child = joinPath(p, key);
      if (RESERVED_KEYS.includes(key)) out.push({ path: child, message: `is not allowed: ${RESERVED_KEYS.join(', ')} are reserved names` });
      else visit((v as Record<string, unknown>)[key], child, depth + 1);
    }
  };
  visit(value, path, 0);
  return out;
}

/** The closest allowed name to a misspelt one, or null when none is close (edit distance). */
export function closest(word: string, allowed: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== null && bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : null;
}

/** "; did you mean "x"?" or "". */
export function suggestion(word: unknown, allowed: readonly string[]): string {
  if (typeof word !== 'string') return '';
  const near = closest(word, allowed);
  return near !== null && near !== word ? `; did you mean "${near}"?` : '';
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours cost 1. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** `"a", "b", "c"`: how every message lists allowed string values. */
export function quoteList(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

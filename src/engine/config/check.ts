/**
 * A tiny field checker that records every problem with its dotted path, so one validation pass
 * reports all mistakes at once. Used by the run-config validator and by data options. `field`
 * checks a value against its entry in the config vocabulary (type, range, allowed values, whether
 * it is required), so the rules are the table's and the words are the Checker's.
 */
import { ConfigError, quoteInput, type FieldIssue } from '../errors.js';
import { fieldAt, fieldKey, rangeOf } from './vocabulary/index.js';

export class Checker {
  readonly issues: FieldIssue[] = [];

  fail(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  /** True when `value` is a plain object; records an issue otherwise. */
  object(path: string, value: unknown): value is Record<string, unknown> {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return true;
    this.fail(path, `must be an object, got ${describe(value)}`);
    return false;
  }

  /** Unknown keys are mistakes (a typo would otherwise be silently ignored). */
  knownKeys(path: string, value: Record<string, unknown>, allowed: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.fail(`${path}.${key}`, `is not a known field; allowed: ${allowed.join(', ')}`);
    }
  }

  number(
    path: string,
    value: unknown,
    opts: { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean; integer?: boolean } = {},
  ): value is number {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.fail(path, `must be a finite number, got ${describe(value)}`);
      return false;
    }
    if (opts.integer && !Number.isInteger(value)) {
      this.fail(path, `must be a whole number, got ${value}`);
      return false;
    }
    const { min, max } = opts;
    const belowMin = min !== undefined && (opts.minExclusive ? value <= min : value < min);
    const aboveMax = max !== undefined && (opts.maxExclusive ? value >= max : value > max);
    if (belowMin || aboveMax) {
      this.fail(path, `must be ${rangeText(opts)}, got ${value}`);
      return false;
    }
    return true;
  }

  optionalNumber(path: string, value: unknown, opts: Parameters<Checker['number']>[2] = {}): void {
    if (value !== undefined) this.number(path, value, opts);
  }

  boolean(path: string, value: unknown): void {
    if (value !== undefined && typeof value !== 'boolean') this.fail(path, `must be true or false, got ${describe(value)}`);
  }

  oneOf<T extends string>(path: string, value: unknown, allowed: readonly T[]): value is T {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return true;
    this.fail(path, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${describe(value)}`);
    return false;
  }

  /**
   * Checks a value against the vocabulary entry of `key` (by default the entry of `path` itself):
   * absent is fine unless the entry (or `required`) says otherwise. True when the value is present
   * and valid.
   */
  field(path: string, value: unknown, key = fieldKey(path), required?: boolean): boolean {
    const f = fieldAt(key);
    if (!f) throw new Error(`config vocabulary: no field ${key}`);
    if (value === undefined && !(required ?? (f.required || key.startsWith('$')))) return false;
    switch (f.type) {
      case 'integer':
      case 'number':
        if (value === null && f.nullable) return true;
        return this.number(path, value, rangeOf(key));
      case 'boolean':
        if (value === undefined) return false;
        this.boolean(path, value);
        return typeof value === 'boolean';
      case 'enum':
        return this.oneOf(path, value, f.values as readonly string[]);
      default:
        throw new Error(`config vocabulary: ${key} (${f.type}) is not checked by Checker.field`);
    }
  }

  /** The number range of a field, for checks that narrow it (elu's alpha must be above 0). */
  rangeOf(path: string): ReturnType<typeof rangeOf> {
    return rangeOf(fieldKey(path));
  }

  throwIfAny(): void {
    if (this.issues.length > 0) throw new ConfigError(this.issues);
  }
}

function rangeText(o: { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean; integer?: boolean }): string {
  const kind = o.integer ? 'a whole number' : 'a number';
  const lo = o.min === undefined ? '' : `${o.minExclusive ? 'above' : 'at least'} ${o.min}`;
  const hi = o.max === undefined ? '' : `${o.maxExclusive ? 'below' : 'at most'} ${o.max}`;
  return [kind, [lo, hi].filter(Boolean).join(' and ')].filter(Boolean).join(' ');
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return quoteInput(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

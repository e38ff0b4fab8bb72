/**
 * Error classes the engine throws on purpose. Each says what failed in words a user can act on;
 * callers (CLI, services, IPC) print `message` and never a stack trace.
 */

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `model.hidden[1].dropout`. */
  path: string;
  message: string;
}

/** A configuration that cannot be trained; lists every problem found, each with its field. */
export class ConfigError extends Error {
  readonly issues: FieldIssue[];
  constructor(issues: FieldIssue[]) {
    super(
      issues.length === 1
        ? `Invalid config: ${issues[0].path}: ${issues[0].message}`
        : `Invalid config (${issues.length} problems):\n` + issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n'),
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** Input data that cannot be read or used: names the file and, where it applies, line and column. */
export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}

/** A run stopped by the user or by the pool (shutdown, a sibling worker died). */
export class CancelledError extends Error {
  constructor(message = 'The run was cancelled.') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** An error's message, safe to print (printable below): what every Result and listing carries. */
export function errorMessage(err: unknown): string {
  return printable(err instanceof Error ? err.message : String(err));
}

/**
 * Characters that must not reach a terminal or a page raw when they come from user input: C0
 * controls (escape sequences move the cursor, clear the screen, ring the bell), DEL, C1 controls,
 * the bidirectional overrides and isolates that reorder what is shown, zero-width marks that hide
 * text, line and paragraph separators, and unpaired surrogates.
 */
const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const escapeChar = (c: string): string => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * User content (a value from a file, a flag, a cell) as an error message quotes it: in double
 * quotes, with quotes, backslashes and every unsafe character escaped JSON-style ("\u001b"), and
 * at most `max` characters of it followed by "..." and its length when longer. Cheap on any
 * length: only the shown part is scanned.
 */
export function quoteInput(value: string, max = 40): string {
  const head = Array.from(value.slice(0, 2 * max))
    .slice(0, max)
    .join('');
  const body = head.replace(/["\\]/g, '\\$&').replace(UNSAFE, escapeChar);
  return head.length < value.length ? `"${body}..." (${value.length} characters)` : `"${body}"`;
}

/**
 * Any user value (a list, an object, a number) as an error message shows it: its JSON, escaped
 * as in quoteInput (JSON escapes only C0 controls) and cut after `max` characters with "..." and
 * the full length.
 */
export function shownJson(value: unknown, max = 60): string {
  const json = JSON.stringify(value) ?? String(value);
  const head = Array.from(json.slice(0, 2 * max))
    .slice(0, max)
    .join('')
    .replace(UNSAFE, escapeChar);
  return json.length > max ? `${head}... (${json.length} characters)` : head;
}

/**
 * A whole message made safe to print: unsafe characters escaped as in quoteInput, except line
 * breaks and tabs, which a message may use; the last line of defence at the CLI's and the app's
 * error outputs, where a message may carry user content no one quoted.
 */
export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => (c === '\n' || c === '\t' ? c : escapeChar(c)));
}

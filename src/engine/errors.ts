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

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * How the CLI reports failure: input errors (bad file, bad flag, bad config, bad data) exit with
 * code 2 and a one-paragraph message; a run that failed or diverged exits 1; anything unexpected
 * exits 1 with its message (the stack only with ABLATE_DEBUG=1). Never a raw stack trace, and never
 * a raw control character: messages are made printable (engine errors.ts) before they are shown.
 */
import { printable } from '../engine/index.js';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Error classes whose message is a complete, user-facing explanation of bad input. */
const INPUT_ERRORS = new Set(['UsageError', 'ConfigError', 'DataError', 'ExperimentError', 'StoreError', 'OnnxError']);

export function exitCodeFor(err: unknown): 2 | 1 {
  return err instanceof Error && INPUT_ERRORS.has(err.name) ? 2 : 1;
}

export function describeFailure(err: unknown): string {
  if (!(err instanceof Error)) return `ablate: ${printable(String(err))}`;
  if (INPUT_ERRORS.has(err.name)) return `ablate: ${printable(err.message)}`;
  const detail = process.env.ABLATE_DEBUG ? `\n${printable(err.stack ?? '')}` : '\n(set ABLATE_DEBUG=1 for details)';
  return `ablate: internal error: ${printable(err.message)}${detail}`;
}

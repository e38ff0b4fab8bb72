/**
 * StoreError: the one error class of the experiment store. Every instance names the file or
 * folder concerned and says what is wrong with it, in words a user can act on; callers (CLI, app)
 * print `message` and never a stack trace. Errors of the operating system are wrapped, with the
 * original kept as `cause`.
 */

export class StoreError extends Error {
  /** The file or folder the error is about (absolute path). */
  readonly file: string;
  /** What is wrong, without the file name. */
  readonly problem: string;

  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super(`${file}: ${problem}`, options);
    this.name = 'StoreError';
    this.file = file;
    this.problem = problem;
  }
}

/** The error code of a Node system error (`ENOENT`, ...), or undefined. */
export function errnoCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Wraps an error of the operating system (or anything thrown) as a StoreError about `file`. */
export function wrapIoError(file: string, doing: string, err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  const code = errnoCode(err);
  const detail = err instanceof Error ? err.message : String(err);
  const problem =
    code === 'ENOENT'
      ? `cannot ${doing}: no such file or folder`
      : code === 'EACCES' || code === 'EPERM'
        ? `cannot ${doing}: permission denied`
        : code === 'ENOSPC'
          ? `cannot ${doing}: the disk is full`
          : `cannot ${doing}: ${detail}`;
  return new StoreError(file, problem, { cause: err });
}

/**
 * The folders whose files the UI may name by path, without a file dialog: the store, plus (in a
 * browser, `ablate serve --data DIR`) the folders the user named on the command line. A path is
 * inside when it resolves (relative paths against the working folder) into one of them; for a file
 * that exists, its real path counts, so a symbolic link inside a root cannot reach a file outside.
 * Main thread (synchronous file-system calls, one per check).
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';

export class FileRoots {
  /** Absolute roots as given (shown to the user) and their real paths (compared against). */
  readonly paths: string[];
  private readonly real: string[];

  constructor(roots: readonly string[]) {
    this.paths = [...new Set(roots.map((r) => path.resolve(r)))];
    this.real = this.paths.map(realOrResolved);
  }

  /** Whether `file` lies inside one of the roots (a root itself is not a file inside it). */
  contains(file: string): boolean {
    const resolved = path.resolve(file);
    const candidates = [resolved, realOrResolved(resolved)];
    return candidates.every((c) => this.real.some((root, i) => inside(root, c) || inside(this.paths[i], c)));
  }
}

function inside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/** The real path of `p` (links resolved) when it exists, else `p` resolved. */
function realOrResolved(p: string): string {
  try {
    return realpathSync.native(p);
  } catch {
    return path.resolve(p);
  }
}

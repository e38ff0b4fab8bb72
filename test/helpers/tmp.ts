/** Temporary folders for a test file, removed when its tests are done. Call at module level. */
import { mkdtempSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** A function making a fresh folder under the system's temp folder (named `<prefix>-XXXXXX`) on each call. */
export function tempFolders(prefix: string): () => string {
  const made: string[] = [];
  afterAll(() => Promise.all(made.map((d) => fs.rm(d, { recursive: true, force: true }))));
  return () => {
    const d = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
    made.push(d);
    return d;
  };
}

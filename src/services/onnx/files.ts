/**
 * Crash-safe file writes: the data goes to a temporary file in the same directory, is flushed to
 * disk, then renamed over the target, so a reader sees either the old file or the whole new one,
 * never a torn write. A failed write removes its temporary file. Not a lock: two writers to the
 * same path race, and the last rename wins.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { OnnxError, messageOf } from './errors.js';

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new OnnxError(`could not write ${path}: ${messageOf(err)}`, { cause: err });
  }
}

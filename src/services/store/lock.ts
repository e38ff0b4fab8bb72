/**
 * The writer lock: one process at a time writes an experiment. `acquireLock` creates
 * `<experiment>/.writer.lock` exclusively, holding `{ pid, hostname, since }`; a lock left by a
 * process that no longer runs on this host (killed, crashed) is taken over. Without it, the app
 * and the CLI resuming the same experiment would reset and append to each other's runs.
 *
 * Best effort, not a distributed lock: a lock from another host (a shared network folder) is
 * always treated as live, a recycled pid makes a stale lock look live (the error says which file
 * to delete), and two processes taking over the same stale lock in the same millisecond can both
 * succeed. Readers never look at the lock. Async, main thread.
 */
import * as fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { errnoCode, StoreError, wrapIoError } from './errors.js';
import { LOCK_FILE } from './layout.js';

interface LockContent {
  pid: number;
  hostname: string;
  since: string;
}

/** Takes the lock of the experiment folder `dir`; returns the function that releases it. */
export async function acquireLock(dir: string): Promise<() => Promise<void>> {
  const file = path.join(dir, LOCK_FILE);
  const mine: LockContent = { pid: process.pid, hostname: os.hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await fs.writeFile(file, JSON.stringify(mine) + '\n', { flag: 'wx' });
      return () => releaseLock(file);
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw wrapIoError(file, 'create the writer lock', err);
    }
    let holder = await readLock(file);
    if (holder === null) {
      // Empty or half-written: its creator may be writing it this instant. Look once more.
      await new Promise((resolve) => setTimeout(resolve, 100));
      holder = await readLock(file);
    }
    if (holder !== null && isLive(holder)) {
      const who =
        holder.pid === process.pid && holder.hostname === mine.hostname ? 'this process' : `process ${holder.pid} on ${holder.hostname}`;
      throw new StoreError(
        file,
        `the experiment is already open for writing by ${who} (since ${holder.since}). ` +
          `If no Ablate process is running it, delete this file and try again.`,
      );
    }
    // Stale (its process is gone) or unreadable (the holder was killed while writing it): take over.
    await fs.rm(file, { force: true }).catch((err: unknown) => {
      throw wrapIoError(file, 'remove a stale writer lock', err);
    });
  }
  throw new StoreError(file, 'could not take the writer lock: another process keeps taking it');
}

async function releaseLock(file: string): Promise<void> {
  const holder = await readLock(file);
  // Only remove our own lock: after a takeover race the file may be someone else's.
  if (holder !== null && holder.pid === process.pid && holder.hostname === os.hostname()) {
    await fs.rm(file, { force: true }).catch(() => undefined);
  }
}

async function readLock(file: string): Promise<LockContent | null> {
  try {
    const v = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<LockContent>;
    if (typeof v.pid === 'number' && typeof v.hostname === 'string') return { pid: v.pid, hostname: v.hostname, since: String(v.since) };
  } catch {
    // Missing or half-written: treated as no lock / stale.
  }
  return null;
}

function isLive(holder: LockContent): boolean {
  if (holder.hostname !== os.hostname()) return true; // cannot check another machine's processes
  try {
    process.kill(holder.pid, 0); // signal 0: an existence check, sends nothing
    return true;
  } catch (err) {
    return errnoCode(err) === 'EPERM'; // exists, owned by another user
  }
}

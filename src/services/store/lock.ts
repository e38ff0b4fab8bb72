/**
 * The writer lock: one process at a time writes an experiment. It is a claim (claim.ts) on
 * `<experiment>/.writer.lock`: taken atomically, renewed while held, and taken over when its
 * holder is gone (a dead or recycled pid on this host, an expired lease on another host sharing
 * the folder). Exactly one of any number of processes taking over a stale lock at once wins.
 * Without it, the app and the CLI resuming the same experiment would reset and append to each
 * other's runs. Readers never look at the lock. Async, main thread.
 */
import os from 'node:os';
import path from 'node:path';
import { type ClaimOptions, type HeldClaim, tryClaim } from './claim.js';
import { StoreError } from './errors.js';
import { LOCK_FILE } from './layout.js';

/** Renewed every 15 s; another host may take the lock over 60 s after the last renewal. */
export const WRITER_LEASE_MS = 60_000;

/** Takes the lock of the experiment folder `dir`; StoreError naming the holder when it is live. */
export async function acquireLock(dir: string, o: Pick<ClaimOptions, 'leaseMs' | 'onLost' | 'interleave'> = {}): Promise<HeldClaim> {
  const file = path.join(dir, LOCK_FILE);
  const r = await tryClaim(file, { leaseMs: WRITER_LEASE_MS, ...o, purpose: 'writer' });
  if (r.held) return r.held;
  const holder = r.holder.owner!;
  const here = holder.host === os.hostname();
  const who = here && holder.pid === process.pid ? 'this process' : `process ${holder.pid} on ${holder.host}`;
  const advice = here
    ? 'If no Ablate process is running it, delete this file and try again.'
    : `The lock expires ${Math.round(holder.leaseMs / 1000)} s after its holder stops renewing it (if that machine is gone, wait or delete this file).`;
  throw new StoreError(file, `the experiment is already open for writing by ${who} (since ${holder.since}). ${advice}`);
}

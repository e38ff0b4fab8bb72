/**
 * Who holds a claim (claim.ts) and whether it is stale: reading a claim file, parsing its owner
 * (also an older Ablate's `{ pid, hostname, since }` lock), and the staleness rules: on this host
 * the owner's pid must still run the same process (same start time); on another host its lease
 * must not have run out. Async file reads, main thread.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { errnoCode, wrapIoError } from './errors.js';
import { openRegular } from './files.js';

/** What a claim file holds. */
export interface ClaimOwner {
  /** Random, unique per claim: names the takeover marker of this claim. */
  token: string;
  host: string;
  pid: number;
  /** The process's start (Linux: boot id and start tick); null where the platform does not say. */
  processStart: string | null;
  /** ISO 8601 time the claim was taken. */
  since: string;
  /** After this long without a renewal, another host may take the claim over. */
  leaseMs: number;
  /** What the claim is for, in words (shown in messages), e.g. "writer". */
  purpose: string;
}

/** The state of a claim file as another process sees it. */
export interface ClaimInspection {
  owner: ClaimOwner | null;
  /** The owner's token, or a hash of the content when it is not a claim we can read. */
  token: string;
  /** Modification time: the last renewal. */
  mtimeMs: number;
  state: 'live' | 'stale';
  /** Why it is stale, in words. */
  why?: string;
}

export const DEFAULT_LEASE_MS = 60_000;
/** A claim file whose content is not a readable owner (an older Ablate, a stray file) is stale after this. */
const UNKNOWN_CONTENT_GRACE_MS = 2_000;
/** A claim's owner is about 300 bytes of JSON; past this a file is not a claim. */
const MAX_CLAIM_BYTES = 64 * 1024;

/** Reads a claim file and judges it; null when there is no such file. */
export async function inspectClaim(file: string, now = Date.now()): Promise<ClaimInspection | null> {
  // A claim is one short line: only a regular file is read (a link to /dev/zero once grew the
  // reader to the string limit), and only its first MAX_CLAIM_BYTES (more is a stray file).
  const opened = await openRegular(file, Number.MAX_SAFE_INTEGER, 'read the claim');
  if (opened === null) return null;
  const mtimeMs = opened.stats.mtimeMs;
  let text: string;
  try {
    const bytes = Buffer.alloc(Math.min(opened.size, MAX_CLAIM_BYTES));
    const { bytesRead } = await opened.handle.read(bytes, 0, bytes.length, 0);
    text = bytes.toString('utf8', 0, bytesRead);
  } catch (err) {
    throw wrapIoError(file, 'read the claim', err);
  } finally {
    await opened.handle.close().catch(() => undefined);
  }
  const owner = parseOwner(text);
  const token = owner?.token ?? `x${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
  const judged = owner === null ? judgeUnknown(mtimeMs, now) : judgeOwner(owner, mtimeMs, now);
  return { owner, token, mtimeMs, ...judged };
}

function judgeOwner(o: ClaimOwner, mtimeMs: number, now: number): { state: 'live' | 'stale'; why?: string } {
  if (o.host === os.hostname()) {
    if (!pidRuns(o.pid)) return { state: 'stale', why: `process ${o.pid} no longer runs` };
    const start = o.processStart === null ? null : processStartOf(o.pid);
    if (start !== null && start !== o.processStart) return { state: 'stale', why: `process ${o.pid} is another process now` };
    return { state: 'live' };
  }
  if (now - mtimeMs > o.leaseMs) return { state: 'stale', why: `its lease ran out ${Math.round((now - mtimeMs) / 1000)} s ago` };
  return { state: 'live' };
}

function judgeUnknown(mtimeMs: number, now: number): { state: 'live' | 'stale'; why?: string } {
  return now - mtimeMs > UNKNOWN_CONTENT_GRACE_MS ? { state: 'stale', why: 'it does not name a readable owner' } : { state: 'live' };
}

/** The owner of a claim file's text; an older Ablate's `{ pid, hostname, since }` lock reads as one without a start time. */
function parseOwner(text: string): ClaimOwner | null {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null || typeof v.pid !== 'number') return null;
  const host = typeof v.host === 'string' ? v.host : typeof v.hostname === 'string' ? v.hostname : null;
  if (host === null) return null;
  return {
    token:
      typeof v.token === 'string' && /^[0-9a-f]{8,64}$/.test(v.token)
        ? v.token
        : `x${createHash('sha256').update(text).digest('hex').slice(0, 24)}`,
    host,
    pid: v.pid,
    processStart: typeof v.processStart === 'string' ? v.processStart : null,
    since: String(v.since),
    leaseMs: typeof v.leaseMs === 'number' && v.leaseMs > 0 ? v.leaseMs : DEFAULT_LEASE_MS,
    purpose: typeof v.purpose === 'string' ? v.purpose : 'writer',
  };
}

/** Whether a process `pid` runs on this host. */
export function pidRuns(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: an existence check, sends nothing
    return true;
  } catch (err) {
    return errnoCode(err) === 'EPERM'; // exists, owned by another user
  }
}

/** This host in file names: 8 hex of the SHA-256 of its name (host names may hold dots). */
export function hostTag(host = os.hostname()): string {
  return createHash('sha256').update(host).digest('hex').slice(0, 8);
}

let bootId: string | null | undefined;
/** Linux: `<boot id>:<start tick>` from /proc; null elsewhere or when unreadable. */
export function processStartOf(pid: number): string | null {
  if (process.platform !== 'linux') return null;
  try {
    bootId ??= readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime); the command name (field 2) may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return `${bootId}:${fields[19]}`;
  } catch {
    return null;
  }
}

/**
 * Claims: an exclusive, leased ownership of one name in a folder, built only on operations that
 * are atomic on local file systems and on NFS (v3 and later): hard-link creation (fails when the
 * name exists), rename over a name, and unlink. No flock. The experiment's writer lock (lock.ts)
 * is one claim; per-run claims of a store shared by many processes or machines can be others.
 *
 * A claim file holds its owner as JSON (`ClaimOwner`: a random token, host, pid, the process's
 * start time, a lease length) and is made whole before it becomes visible (written to a temp
 * file, then linked or renamed into place), so a reader never sees half of one. The holder
 * renews its lease by touching the file's modification time (renewEvery).
 *
 * A claim is **stale** when its owner is known to be gone: on the same host, its pid no longer
 * runs, or runs a different process (another start time: the pid was recycled); on another host
 * (which cannot be asked), its lease ran out (modification time older than the lease; this
 * assumes the hosts' clocks agree to within a fraction of the lease, as NTP keeps them). A
 * same-host owner that still runs is live whatever its lease says.
 *
 * Taking over a stale claim is itself exclusive: to replace a claim whose token is T, a process
 * must first claim the takeover marker `.<name>.takeover-T` (the same procedure, recursively, so
 * a taker that died holding a marker is taken over in turn), then re-read the claim, check that
 * it still holds T, and rename its own complete claim file over it. Only the marker's holder may
 * replace the claim holding T, so exactly one of any number of concurrent takers wins; a taker
 * that finds the claim changed gives its marker back and looks again. Leases cannot protect
 * against a holder frozen longer than its lease on another host: it learns at its next renewal
 * that it lost the claim (`lost`, `onLost`) and must stop writing.
 *
 * Async, main thread of the process that owns the claim.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type ClaimInspection, type ClaimOwner, DEFAULT_LEASE_MS, hostTag, inspectClaim, pidRuns, processStartOf } from './claim-owner.js';
import { errnoCode, StoreError, wrapIoError } from './errors.js';

export { type ClaimInspection, type ClaimOwner, inspectClaim, processStartOf } from './claim-owner.js';

export interface ClaimOptions {
  /** Lease length; default 60 s. Renewed every leaseMs / 4 while held, unless renew is false. */
  leaseMs?: number;
  renew?: boolean;
  purpose?: string;
  /** Called once when a renewal finds the claim taken by someone else. */
  onLost?: (holder: ClaimOwner | null) => void;
  /**
   * Test seam: awaited between the steps of a takeover, so a stress test can widen the windows
   * between reading, marking, checking and replacing. Never set in production code.
   */
  interleave?: (step: string) => Promise<void>;
}

/** Markers of markers: each level needs a taker that died inside the few milliseconds of a takeover. */
const MAX_DEPTH = 4;
const MAX_ATTEMPTS = 200;
const LEFTOVER_AGE_MS = 10_000;

export class HeldClaim {
  private timer: NodeJS.Timeout | null = null;
  private released = false;
  private lostFlag = false;

  /** @internal Use tryClaim. */
  constructor(
    readonly file: string,
    readonly owner: ClaimOwner,
    private readonly onLost?: (holder: ClaimOwner | null) => void,
  ) {}

  /** True once a renewal found the claim file held by someone else (or gone). */
  get lost(): boolean {
    return this.lostFlag;
  }

  /** Renews the lease now; false (and `lost`) when the file no longer holds our token. */
  async renew(): Promise<boolean> {
    if (this.released || this.lostFlag) return false;
    const seen = await inspectClaim(this.file).catch(() => null);
    if (seen === null || seen.token !== this.owner.token) {
      this.lostFlag = true;
      this.stopRenewing();
      this.onLost?.(seen?.owner ?? null);
      return false;
    }
    // If a taker replaced the file since we read it, this touches their file: it only extends a
    // live lease, and the next renewal sees the loss.
    const now = new Date();
    await fs.utimes(this.file, now, now).catch(() => undefined);
    return true;
  }

  startRenewing(everyMs: number): void {
    this.stopRenewing();
    this.timer = setInterval(() => void this.renew(), everyMs);
    this.timer.unref();
  }

  private stopRenewing(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * Gives the claim up. The file is first renamed to a name of our own, then checked: if it was
   * not ours any more (we lost it while frozen), it is linked back, never deleted.
   */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.stopRenewing();
    if (this.lostFlag) return;
    const aside = hiddenClaimName(this.file, `${this.owner.token}.released`);
    try {
      await fs.rename(this.file, aside);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return;
      throw wrapIoError(this.file, `release the ${this.owner.purpose} claim`, err);
    }
    const seen = await inspectClaim(aside).catch(() => null);
    if (seen !== null && seen.token !== this.owner.token) await fs.link(aside, this.file).catch(() => undefined);
    await fs.rm(aside, { force: true });
  }
}

export type ClaimResult = { held: HeldClaim; holder?: undefined } | { held?: undefined; holder: ClaimInspection };

/**
 * Takes the claim `file` when it is free or stale; otherwise returns its live holder. Exactly one
 * of any number of processes calling this at once on the same free or stale name gets `held`.
 */
export async function tryClaim(file: string, o: ClaimOptions = {}): Promise<ClaimResult> {
  const leaseMs = o.leaseMs ?? DEFAULT_LEASE_MS;
  const owner: ClaimOwner = {
    token: randomBytes(12).toString('hex'),
    host: os.hostname(),
    pid: process.pid,
    processStart: processStartOf(process.pid),
    since: new Date().toISOString(),
    leaseMs,
    purpose: o.purpose ?? 'claim',
  };
  const taker = new Taker(path.resolve(file), owner, o.interleave ?? (async () => undefined));
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const r = await taker.acquire(taker.file, 0);
    if (r === 'won') {
      await taker.sweep();
      const held = new HeldClaim(taker.file, owner, o.onLost);
      if (o.renew !== false) held.startRenewing(Math.max(50, Math.floor(leaseMs / 4)));
      return { held };
    }
    if (r !== 'retry') return { holder: r };
    await sleep(2 + Math.floor(Math.random() * Math.min(50, 2 + attempt * 5)));
  }
  throw new StoreError(file, `could not take the ${owner.purpose} claim: it kept changing hands (${MAX_ATTEMPTS} attempts)`);
}

class Taker {
  private readonly dir: string;
  private readonly base: string;

  constructor(
    readonly file: string,
    private readonly owner: ClaimOwner,
    private readonly interleave: (step: string) => Promise<void>,
  ) {
    this.dir = path.dirname(file);
    this.base = path.basename(file);
  }

  /** Claims `target` (the claim file or a takeover marker): 'won', the live holder, or 'retry'. */
  async acquire(target: string, depth: number): Promise<'won' | 'retry' | ClaimInspection> {
    if (await this.place(target, 'link')) return 'won';
    await this.interleave('exists');
    const seen = await inspectClaim(target);
    if (seen === null) return 'retry'; // released in between
    // A live holder of the claim is the answer; a live taker of a marker, or a claim file still
    // being written by a process without hard links, is waited for.
    if (seen.state === 'live') return depth === 0 && seen.owner !== null ? seen : 'retry';
    if (depth >= MAX_DEPTH) return 'retry';
    const marker = hiddenClaimName(this.file, `takeover-${seen.token}`);
    await this.interleave('stale');
    const m = await this.acquire(marker, depth + 1);
    if (m !== 'won') return 'retry';
    try {
      await this.interleave('marked');
      const again = await inspectClaim(target);
      if (again === null || again.token !== seen.token) return 'retry'; // someone else's takeover finished first
      await this.interleave('verified');
      await this.place(target, 'rename');
      return 'won';
    } finally {
      await this.dropIfMine(marker);
    }
  }

  /**
   * Makes `target` our complete claim file: by a hard link, only when the name is free (false when
   * it is taken), or by a rename over it. The content goes to a temp file first; a temp swept away
   * by the holder's leftover cleanup is written again.
   */
  private async place(target: string, how: 'link' | 'rename'): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      const tmp = claimTempName(this.file, this.owner.token);
      try {
        await fs.writeFile(tmp, claimText(this.owner), { flag: 'wx' });
        if (how === 'rename') await fs.rename(tmp, target);
        else await fs.link(tmp, target);
        return true;
      } catch (err) {
        const code = errnoCode(err);
        if (how === 'link' && code === 'EEXIST') return false;
        if (how === 'link' && (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS'))
          return this.createExclusive(target);
        if (code === 'ENOENT' && attempt < 3) continue;
        throw wrapIoError(target, `${how === 'link' ? 'create' : 'take over'} the ${this.owner.purpose} claim`, err);
      } finally {
        await fs.rm(tmp, { force: true }).catch(() => undefined);
      }
    }
  }

  /** For file systems without hard links: O_EXCL create, then write (briefly empty: see UNKNOWN_CONTENT_GRACE_MS). */
  private async createExclusive(target: string): Promise<boolean> {
    try {
      await fs.writeFile(target, claimText(this.owner), { flag: 'wx' });
      return true;
    } catch (err) {
      if (errnoCode(err) === 'EEXIST') return false;
      throw wrapIoError(target, `create the ${this.owner.purpose} claim`, err);
    }
  }

  /**
   * Removes what crashed takers left beside the claim: takeover markers and temp files older than
   * LEFTOVER_AGE_MS (a marker of an old token can no longer replace anything; the age keeps us
   * away from files in use this instant).
   */
  async sweep(): Promise<void> {
    const prefix = `.${this.base.replace(/^\./, '')}.`;
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    const now = Date.now();
    const mine = path.basename(hiddenClaimName(this.file, `takeover-${this.owner.token}`));
    for (const name of names) {
      if (!name.startsWith(prefix) || name === mine) continue;
      if (!(name.slice(prefix.length).startsWith('takeover-') || name.endsWith('.tmp') || name.endsWith('.released'))) continue;
      const p = path.join(this.dir, name);
      const st = await fs.stat(p).catch(() => null);
      if (st !== null && now - st.mtimeMs > LEFTOVER_AGE_MS) await fs.rm(p, { force: true }).catch(() => undefined);
    }
  }

  private async dropIfMine(marker: string): Promise<void> {
    const seen = await inspectClaim(marker).catch(() => null);
    if (seen?.token === this.owner.token) await fs.rm(marker, { force: true }).catch(() => undefined);
  }
}

/**
 * A claim file's content: the owner, plus `hostname` (= host) because Ablate 0.1's lock reader
 * needs it: without it, an older Ablate would take a live claim for a half-written lock.
 */
function claimText(owner: ClaimOwner): string {
  return JSON.stringify({ ...owner, hostname: owner.host }) + '\n';
}

/**
 * A temp file for the claim `file`: `.<name>.<token>.<host tag>-<pid>.<random>.tmp`. It is empty
 * between its creation and its write, and a writer killed there leaves it so; its name then still
 * tells whose it was (inspectLeftover).
 */
export function claimTempName(file: string, token: string, pid = process.pid): string {
  return hiddenClaimName(file, `${token}.${hostTag()}-${pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Judges a claim's leftover, a temp file or a released claim (only its owner ever touches one),
 * as inspectClaim does; besides, a temp file that names no owner yet is stale at once when its
 * name says its writer ran on this host and runs no more.
 */
export async function inspectLeftover(file: string, now = Date.now()): Promise<ClaimInspection | null> {
  const seen = await inspectClaim(file, now);
  if (seen === null || seen.state === 'stale' || seen.owner !== null) return seen;
  const writer = /\.([0-9a-f]{8})-(\d+)\.[0-9a-f]{8}\.tmp$/.exec(path.basename(file));
  if (writer === null || writer[1] !== hostTag() || pidRuns(Number(writer[2]))) return seen;
  return { ...seen, state: 'stale', why: `its writer, process ${writer[2]}, no longer runs` };
}

function hiddenClaimName(file: string, suffix: string): string {
  return path.join(path.dirname(file), `.${path.basename(file).replace(/^\./, '')}.${suffix}`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

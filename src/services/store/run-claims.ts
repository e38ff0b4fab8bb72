/**
 * Per-run claims: which process trains which run of an experiment that several processes (the
 * tasks of a Slurm array, on one machine or on many sharing a network file system) work on at
 * once. Each run's claim is a claim (claim.ts: atomic hard-link create, a lease renewed while the
 * run trains, an exclusive takeover once its holder is gone) on `<experiment>/.claims/<run-id>`.
 * A process writes a run's folder only while it holds the run's claim.
 *
 * RunClaimBook is one process's set of held run claims (ExperimentHandle keeps one);
 * readRunClaims lists every claim of an experiment for status views. Async, main thread.
 */
import * as fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensureDir } from './atomic.js';
import { type ClaimInspection, type ClaimOwner, type HeldClaim, inspectClaim, inspectLeftover, tryClaim } from './claim.js';
import { errnoCode, StoreError, wrapIoError } from './errors.js';
import { CLAIMS_DIR, isHiddenName } from './layout.js';

/** Renewed every 15 s while the run trains; a run held by a process on another host is retried 60 s after its last renewal. */
export const RUN_LEASE_MS = 60_000;

export type RunClaimResult = { held: true } | { held: false; holder: ClaimInspection };

export interface RunClaimOptions {
  /** Called once when a renewal finds that another process took the run over (this one was frozen past its lease). */
  onLost?: () => void;
}

/** `<experimentDir>/.claims/<runId>` (the run id is checked by the caller). */
export function runClaimFile(experimentDir: string, runId: string): string {
  return path.join(experimentDir, CLAIMS_DIR, runId);
}

/** The run claims one process holds in one experiment. */
export class RunClaimBook {
  private readonly held = new Map<string, HeldClaim>();
  private dirReady = false;

  constructor(
    private readonly experimentDir: string,
    private readonly leaseMs = RUN_LEASE_MS,
  ) {}

  holds(runId: string): boolean {
    const claim = this.held.get(runId);
    return claim !== undefined && !claim.lost;
  }

  /** Takes the run's claim when it is free or stale (already ours: held); otherwise names its live holder. */
  async take(runId: string, o: RunClaimOptions = {}): Promise<RunClaimResult> {
    if (this.holds(runId)) return { held: true };
    const file = runClaimFile(this.experimentDir, runId);
    for (let attempt = 0; ; attempt++) {
      if (!this.dirReady) await ensureDir(path.dirname(file)).catch(() => undefined); // a failure shows in tryClaim
      this.dirReady = true;
      try {
        const r = await tryClaim(file, { leaseMs: this.leaseMs, purpose: `run ${runId}`, onLost: o.onLost });
        if (!r.held) return { held: false, holder: r.holder };
        this.held.set(runId, r.held);
        return { held: true };
      } catch (err) {
        // Another process removed the empty claims folder as it closed (removeIfEmpty): make it again.
        if (errnoCode((err as Error).cause ?? err) !== 'ENOENT' || attempt >= 5) throw err;
        this.dirReady = false;
      }
    }
  }

  /** Holds the run's claim, taking it when free; StoreError naming the process that trains the run otherwise. */
  async ensure(runId: string): Promise<void> {
    const r = await this.take(runId);
    if (!r.held)
      throw new StoreError(runClaimFile(this.experimentDir, runId), `run "${runId}" is being trained by ${holderText(r.holder.owner)}`);
  }

  /** Renews the run's claim before its files are written; StoreError when this process no longer holds it. */
  async check(runId: string): Promise<void> {
    const claim = this.held.get(runId);
    if (claim !== undefined && (await claim.renew())) return;
    const file = runClaimFile(this.experimentDir, runId);
    const seen = await inspectClaim(file).catch(() => null);
    throw new StoreError(
      file,
      claim === undefined
        ? `this process does not hold run "${runId}"`
        : `this process lost run "${runId}" to ${seen?.owner ? holderText(seen.owner) : 'another process'} (its lease ran out while this process was not renewing it); nothing more is written to the run`,
    );
  }

  async release(runId: string): Promise<void> {
    const claim = this.held.get(runId);
    this.held.delete(runId);
    await claim?.release();
  }

  /**
   * Removes the claims whose holders are gone (a process killed while it held runs): each is taken
   * over (exclusive, like any takeover) and released. Runs whose claims are live are left alone.
   */
  async clearStale(): Promise<void> {
    for (const [runId, c] of await readRunClaims(this.experimentDir)) {
      if (c.state !== 'stale' || this.held.has(runId)) continue;
      if ((await this.take(runId)).held) await this.release(runId);
    }
    // A claim's temp file (before its link) and a released claim (before its deletion) name their
    // owner too, and only that owner ever touches them: once it is gone they can go. Takeover
    // markers are left to the claim primitive (a marker's removal is part of its protocol).
    const dir = path.join(this.experimentDir, CLAIMS_DIR);
    for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
      if (!isHiddenName(name) || !(name.endsWith('.tmp') || name.endsWith('.released'))) continue;
      const seen = await inspectLeftover(path.join(dir, name)).catch(() => null);
      if (seen?.state === 'stale') await fs.rm(path.join(dir, name), { force: true });
    }
    await this.removeIfEmpty();
  }

  /** Releases every claim (the handle closes), then removes the claims folder if no one else's claim is in it. */
  async releaseAll(): Promise<void> {
    const errors: unknown[] = [];
    for (const runId of [...this.held.keys()]) await this.release(runId).catch((err: unknown) => errors.push(err));
    if (errors.length > 0) throw errors[0];
    await this.removeIfEmpty();
  }

  /**
   * Removes the claims folder when it is empty, so a store nobody works on has none; called only
   * when this process holds no claim (opening, closing). Another process claiming at that moment
   * makes it again (take).
   */
  private async removeIfEmpty(): Promise<void> {
    if (this.held.size > 0) return;
    this.dirReady = false;
    await fs.rmdir(path.join(this.experimentDir, CLAIMS_DIR)).catch(() => undefined); // ENOTEMPTY: others' claims; ENOENT
  }
}

/** One run's claim as a status view shows it. */
export interface RunClaimState {
  runId: string;
  owner: ClaimOwner | null;
  /** live: its holder runs (this host) or renewed it within its lease (another host); stale: it will be taken over. */
  state: 'live' | 'stale';
  why?: string;
  /** The last renewal (the file's modification time). */
  renewedAt: string;
}

/** Every run claim of the experiment in `experimentDir`, by run id (takeover markers and temp files skipped). */
export async function readRunClaims(experimentDir: string, now = Date.now()): Promise<Map<string, RunClaimState>> {
  const dir = path.join(experimentDir, CLAIMS_DIR);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return new Map();
    throw wrapIoError(dir, 'list the run claims', err);
  }
  const out = new Map<string, RunClaimState>();
  for (const runId of names.filter((n) => !isHiddenName(n)).sort()) {
    const seen = await inspectClaim(path.join(dir, runId), now).catch(() => null);
    if (seen === null) continue; // released in between
    out.set(runId, { runId, owner: seen.owner, state: seen.state, why: seen.why, renewedAt: new Date(seen.mtimeMs).toISOString() });
  }
  return out;
}

/** "process 4711 on node-7 (since ...)", or "this process". */
export function holderText(owner: ClaimOwner | null): string {
  if (owner === null) return 'another process';
  if (owner.host === os.hostname() && owner.pid === process.pid) return 'this process';
  return `process ${owner.pid} on ${owner.host}, since ${owner.since}`;
}

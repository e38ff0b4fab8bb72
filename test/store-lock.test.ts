/**
 * The writer lock and the claim primitive under it (src/services/store/claim.ts, lock.ts): many
 * processes taking over one stale lock at once, round after round, must produce exactly one
 * winner each time (issue 14.1: before, two to four `ablate run` processes could all take it);
 * and each way a claim goes stale (dead pid, recycled pid, expired lease on another host,
 * unreadable content) or is lost is checked on its own.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ClaimOwner, inspectClaim, processStartOf, tryClaim } from '../src/services/store/claim.js';
import { ExperimentStore, specHashOf } from '../src/services/store/index.js';
import { acquireLock } from '../src/services/store/lock.js';
import { testSpec } from './fixtures/store/plan.js';
import { deadPid, lockStress } from './helpers/lock-stress.js';

describe('taking over a stale writer lock', () => {
  it('exactly one of 8 concurrent processes wins, in each of 30 rounds', async () => {
    const report = await lockStress({ contenders: 8, rounds: 30, interleave: false });
    expect(report.badRounds).toEqual([]);
    expect(report.otherErrors).toEqual([]);
  }, 600_000);

  it('and still with random pauses between the steps of every takeover', async () => {
    const report = await lockStress({ contenders: 6, rounds: 20, interleave: true });
    expect(report.badRounds).toEqual([]);
    expect(report.otherErrors).toEqual([]);
  }, 600_000);

  it('a contender killed at a random step never lets two win, nor wedges the lock', async () => {
    const report = await lockStress({ contenders: 5, rounds: 12, interleave: true, kill: true });
    expect(report.badRounds).toEqual([]);
    expect(report.otherErrors).toEqual([]);
  }, 600_000);
});

const tmpDirs: string[] = [];
afterAll(async () => {
  for (const d of tmpDirs) await fs.rm(d, { recursive: true, force: true });
});
async function tmpDir(): Promise<string> {
  const d = await fs.mkdtemp(path.join(os.tmpdir(), 'ablate-claim-'));
  tmpDirs.push(d);
  return d;
}
function owner(over: Partial<ClaimOwner>): string {
  const o: ClaimOwner = {
    token: randomBytes(12).toString('hex'),
    host: os.hostname(),
    pid: process.pid,
    processStart: processStartOf(process.pid),
    since: new Date().toISOString(),
    leaseMs: 60_000,
    purpose: 'writer',
    ...over,
  };
  return JSON.stringify(o) + '\n';
}
const hidden = async (dir: string) => (await fs.readdir(dir)).filter((n) => n !== '.writer.lock').sort();
const ago = (ms: number) => new Date(Date.now() - ms);

describe('when a claim is stale, live or lost', () => {
  it('a dead pid on this host is stale; the claim is taken over and leaves no marker behind', async () => {
    const dir = await tmpDir();
    const file = path.join(dir, '.writer.lock');
    await fs.writeFile(file, owner({ pid: deadPid() }));
    expect((await inspectClaim(file))?.state).toBe('stale');
    const lock = await acquireLock(dir, { leaseMs: 60_000 });
    expect(JSON.parse(await fs.readFile(file, 'utf8')).token).toBe(lock.owner.token);
    expect(await hidden(dir)).toEqual([]);
    await lock.release();
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('a live process of this host holds its claim whatever its lease says', async () => {
    const dir = await tmpDir();
    const file = path.join(dir, '.writer.lock');
    await fs.writeFile(file, owner({ leaseMs: 1 }));
    await fs.utimes(file, ago(3_600_000), ago(3_600_000));
    await expect(acquireLock(dir)).rejects.toThrow(/already open for writing by this process/);
  });

  it.runIf(process.platform === 'linux')('a recycled pid (same pid, another start time) is stale', async () => {
    const dir = await tmpDir();
    await fs.writeFile(path.join(dir, '.writer.lock'), owner({ processStart: 'another-boot:1' }));
    const lock = await acquireLock(dir);
    await lock.release();
  });

  it('another host holds its claim while it renews, and loses it once the lease runs out', async () => {
    const dir = await tmpDir();
    const file = path.join(dir, '.writer.lock');
    await fs.writeFile(file, owner({ host: 'node-17.cluster', pid: 4242, leaseMs: 30_000 }));
    await expect(acquireLock(dir)).rejects.toThrow(/by process 4242 on node-17\.cluster .*expires 30 s after its holder stops renewing/);
    await fs.utimes(file, ago(31_000), ago(31_000));
    expect((await inspectClaim(file))?.why).toMatch(/lease ran out 31 s ago/);
    const lock = await acquireLock(dir);
    await lock.release();
  });

  it('the holder renews by touching the file, so its lease does not run out', async () => {
    const dir = await tmpDir();
    const file = path.join(dir, 'claim');
    const r = await tryClaim(file, { leaseMs: 200 });
    await fs.utimes(file, ago(10_000), ago(10_000));
    // Renewals come every 50 ms; wait for one (however busy the machine is).
    for (let waited = 0; Date.now() - (await fs.stat(file)).mtimeMs > 5_000 && waited < 60_000; waited += 20)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(Date.now() - (await fs.stat(file)).mtimeMs).toBeLessThan(5_000);
    await r.held!.release();
  });

  it('a file that names no owner (an interrupted write, a stray file) is stale once it is older than a moment', async () => {
    const dir = await tmpDir();
    const file = path.join(dir, '.writer.lock');
    await fs.writeFile(file, '{"pid": 12');
    await fs.utimes(file, ago(60_000), ago(60_000));
    const lock = await acquireLock(dir);
    await lock.release();
    await fs.writeFile(file, ''); // fresh: maybe being written; waited for, then taken over
    const again = await acquireLock(dir);
    await again.release();
  });

  it.runIf(process.platform !== 'win32')(
    'a claim that is a device or a pipe is refused by name, never read; a huge stray file is stale',
    async () => {
      const dir = await tmpDir();
      const file = path.join(dir, '.writer.lock');
      await fs.symlink('/dev/zero', file); // was read until the string limit (600 MiB, "Invalid string length")
      await expect(acquireLock(dir)).rejects.toThrow(
        `${file}: cannot read the claim: it is a character device (a link to /dev/zero), not a regular file`,
      );
      await fs.rm(file);
      execFileSync('mkfifo', [file]);
      await expect(inspectClaim(file)).rejects.toThrow(/\.writer\.lock: cannot read the claim: it is a named pipe \(FIFO\)/);
      await fs.rm(file);
      await fs.writeFile(file, Buffer.alloc(8 << 20, 0x20)); // 8 MiB of spaces: no owner
      await fs.utimes(file, ago(60_000), ago(60_000));
      expect(await inspectClaim(file)).toMatchObject({ owner: null, state: 'stale' });
      const lock = await acquireLock(dir);
      await lock.release();
    },
  );

  it('a taker that died holding the takeover marker is taken over in turn', async () => {
    const dir = await tmpDir();
    const file = path.join(dir, '.writer.lock');
    const stale = randomBytes(12).toString('hex');
    const dead = deadPid();
    await fs.writeFile(file, owner({ token: stale, pid: dead }));
    await fs.writeFile(path.join(dir, `.writer.lock.takeover-${stale}`), owner({ pid: dead }));
    const lock = await acquireLock(dir);
    expect(await hidden(dir)).toEqual([]);
    await lock.release();
  });

  it("a holder that lost its claim notices at its next renewal, stops writing, and does not delete the new holder's file", async () => {
    const root = await tmpDir();
    const spec = testSpec('Lost lock');
    const handle = await new ExperimentStore(root).createOrOpen(spec, specHashOf(spec), 'test');
    const file = path.join(handle.dir, '.writer.lock');
    const theirs = owner({ host: 'node-3.cluster', pid: 77 });
    await fs.writeFile(file, theirs); // what a takeover by another machine leaves
    await expect(handle.runWriter('r')).rejects.toThrow(/lost the writer lock/);
    await handle.close();
    expect(await fs.readFile(file, 'utf8')).toBe(theirs);
  });
});

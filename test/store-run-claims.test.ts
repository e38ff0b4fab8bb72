/**
 * Per-run claims in the store (src/services/store/run-claims.ts, ExperimentHandle.claimRun):
 * several handles on one experiment (as several processes would hold) write only the runs they
 * hold; a claim left by a process on another host is respected until its lease runs out, then
 * taken over; a holder that lost its run writes nothing more to it; experiment.json is written
 * once when many processes create the experiment at the same moment; a writer opening the
 * experiment alone never sweeps a run folder another process holds.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { claimTempName, type ClaimOwner, processStartOf } from '../src/services/store/claim.js';
import { ExperimentStore, readRunClaims, specHashOf, StoreError } from '../src/services/store/index.js';
import { runClaimFile } from '../src/services/store/run-claims.js';
import { recordOf, runConfigOf, runIdOf, summaryOf, testSpec, weightsOf } from './fixtures/store/plan.js';
import { deadPid } from './helpers/lock-stress.js';
import { tempFolders } from './helpers/tmp.js';

const tmpStore = tempFolders('ablate-run-claims');

/** A claim file as a process elsewhere would have written it. */
function foreignClaim(over: Partial<ClaimOwner>): string {
  const o: ClaimOwner = {
    token: randomBytes(12).toString('hex'),
    host: 'node-17.cluster',
    pid: 4242,
    processStart: null,
    since: new Date().toISOString(),
    leaseMs: 60_000,
    purpose: 'run',
    ...over,
  };
  return JSON.stringify(o) + '\n';
}

async function openShared(root: string, name = 'Run claims') {
  const spec = testSpec(name);
  return new ExperimentStore(root).createOrOpen(spec, specHashOf(spec), 'test', { shared: true });
}

describe('run claims between handles', () => {
  it('a run held by one handle is refused to another until it is released', async () => {
    const root = tmpStore();
    const a = await openShared(root);
    const b = await openShared(root);
    const run = runIdOf(0);
    expect(await a.claimRun(run)).toEqual({ held: true });
    const refused = await b.claimRun(run);
    expect(refused.held).toBe(false);
    expect(refused.held === false && refused.holder.owner?.pid).toBe(process.pid);
    // Writing without the claim is refused, naming the holder.
    await expect(b.runWriter(run)).rejects.toThrow(/is being trained by this process/);
    await expect(b.resetRun(run)).rejects.toThrow(StoreError);
    // The holder writes; another run is free for b meanwhile.
    const w = await a.runWriter(run);
    await w.writeConfig(runConfigOf(0));
    expect(await b.claimRun(runIdOf(1))).toEqual({ held: true });
    await w.close(); // closing the writer ends the claim
    expect(await b.claimRun(run)).toEqual({ held: true });
    await b.resetRun(run); // b owns the interrupted run now and may start it over
    await a.close();
    await b.close();
    expect(await fs.readdir(a.dir)).toEqual(['experiment.json', 'runs']); // claims gone with their holders
  });

  it('a claim of another host is respected within its lease and taken over after it', async () => {
    const root = tmpStore();
    const handle = await openShared(root);
    const run = runIdOf(2);
    const file = runClaimFile(handle.dir, run);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, foreignClaim({ leaseMs: 30_000 }));
    const within = await handle.claimRun(run);
    expect(within.held).toBe(false);
    expect(within.held === false && within.holder.owner?.host).toBe('node-17.cluster');
    expect((await readRunClaims(handle.dir)).get(run)?.state).toBe('live');
    // Its holder stops renewing: 31 s after the last renewal the lease has run out.
    const last = new Date(Date.now() - 31_000);
    await fs.utimes(file, last, last);
    expect((await readRunClaims(handle.dir)).get(run)).toMatchObject({ state: 'stale', why: expect.stringMatching(/lease ran out/) });
    expect(await handle.claimRun(run)).toEqual({ held: true });
    const now = JSON.parse(await fs.readFile(file, 'utf8')) as ClaimOwner;
    expect(now).toMatchObject({ host: os.hostname(), pid: process.pid });
    await handle.close();
  });

  it('a holder that lost its run (frozen past its lease) writes nothing more to it', async () => {
    const root = tmpStore();
    const handle = await openShared(root);
    const run = runIdOf(4);
    const w = await handle.runWriter(run);
    await w.writeConfig(runConfigOf(4));
    w.append(recordOf(4, 0));
    // Another host took the run over (as it may once the lease ran out while this process was frozen).
    await fs.writeFile(runClaimFile(handle.dir, run), foreignClaim({ host: 'node-3.cluster' }));
    const { params, bnBuffers } = weightsOf(4);
    await expect(w.writeWeights(params, bnBuffers)).rejects.toThrow(/lost run "0-relu-s4" to process 4242 on node-3\.cluster/);
    await expect(w.writeSummary(summaryOf(4, null))).rejects.toThrow(/lost run/);
    expect((await fs.readdir(handle.runDir(run))).sort()).toEqual(['config.json', 'metrics.ndjson']);
    await w.close();
    // Its claim is left to its new holder.
    expect(JSON.parse(await fs.readFile(runClaimFile(handle.dir, run), 'utf8'))).toMatchObject({ host: 'node-3.cluster' });
    await handle.close();
  });

  it('the claim of a dead process on this host is taken over at once, and cleared when the experiment is opened', async () => {
    const root = tmpStore();
    const handle = await openShared(root);
    const file = runClaimFile(handle.dir, runIdOf(1));
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, foreignClaim({ host: os.hostname(), pid: deadPid(), processStart: processStartOf(process.pid) }));
    await handle.close();
    const again = await openShared(root);
    expect(await readRunClaims(again.dir)).toEqual(new Map());
    await again.close();
  });

  it('an empty claim temp file of a writer killed before writing it is cleared at once when the experiment is opened', async () => {
    const root = tmpStore();
    const handle = await openShared(root);
    const file = runClaimFile(handle.dir, runIdOf(2));
    await fs.mkdir(path.dirname(file), { recursive: true });
    const token = randomBytes(12).toString('hex');
    const ofDeadWriter = claimTempName(file, token, deadPid());
    const ofLiveWriter = claimTempName(file, token, process.pid);
    for (const f of [ofDeadWriter, ofLiveWriter]) await fs.writeFile(f, '');
    // "Just created" however slow this machine is: an empty file of a live writer is kept for a
    // grace time after its last change, so only the name can tell the two apart.
    const soon = new Date(Date.now() + 3_600_000);
    for (const f of [ofDeadWriter, ofLiveWriter]) await fs.utimes(f, soon, soon);
    await handle.close();
    const again = await openShared(root);
    expect(await fs.readdir(path.dirname(file))).toEqual([path.basename(ofLiveWriter)]);
    await fs.rm(ofLiveWriter);
    await again.close();
    expect(await fs.readdir(again.dir)).not.toContain('.claims'); // removed once empty
  });
});

describe('experiment.json, written once', () => {
  it('of 6 processes creating the experiment at once, one writes it and all agree on it', async () => {
    const root = tmpStore();
    const script = fileURLToPath(new URL('./fixtures/store/shared-opener.ts', import.meta.url));
    const go = path.join(root, '.go'); // a hidden name: not an experiment folder
    const children = Array.from({ length: 6 }, (_, i) => runNode([script, root, new Date(Date.UTC(2030, 0, 1 + i)).toISOString(), go]));
    await Promise.all(children.map((c) => c.ready));
    await fs.writeFile(go, ''); // all at once
    const outs = await Promise.all(children.map((c) => c.done));
    const created = outs.map((o) => JSON.parse(o.replace('ready\n', '').trim()) as { createdAt: string; resumed: boolean });
    expect(new Set(created.map((c) => c.createdAt)).size).toBe(1);
    expect(created.filter((c) => !c.resumed).length).toBe(1);
    const [dir] = (await fs.readdir(root)).filter((n) => !n.startsWith('.'));
    const stored = JSON.parse(await fs.readFile(path.join(root, dir, 'experiment.json'), 'utf8')) as { createdAt: string };
    expect(stored.createdAt).toBe(created[0].createdAt);
    expect((await fs.readdir(path.join(root, dir))).filter((n) => n.startsWith('.'))).toEqual([]);
  }, 120_000);
});

describe('an exclusive writer beside shared ones', () => {
  it('sweeps leftovers of free runs, never those of a run another process holds', async () => {
    const root = tmpStore();
    const shared = await openShared(root, 'Sweep');
    for (const i of [0, 1]) {
      const w = await shared.runWriter(runIdOf(i));
      await w.writeConfig(runConfigOf(i));
      await w.close();
    }
    expect(await shared.claimRun(runIdOf(1))).toEqual({ held: true }); // run 1 is (again) being written by `shared`
    const tmpOf = (i: number) => path.join(shared.runDir(runIdOf(i)), '.summary.json.999-x-1.tmp');
    for (const i of [0, 1]) await fs.writeFile(tmpOf(i), '{"half');
    const spec = testSpec('Sweep');
    const alone = await new ExperimentStore(root).createOrOpen(spec, specHashOf(spec), 'test');
    await expect(fs.access(tmpOf(0))).rejects.toThrow(); // a free run's leftover: removed
    await fs.access(tmpOf(1)); // the held run's: left to its holder
    await alone.close();
    await shared.close();
  });
});

/** A tsx child: `ready` once it printed "ready", `done` with all it printed once it exits 0. */
function runNode(args: string[]): { ready: Promise<void>; done: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.includes('ready\n')) onReady();
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<string>((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err}`)))),
  );
  return { ready: Promise.race([ready, done.then(() => undefined)]), done };
}

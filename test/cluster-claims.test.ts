/**
 * Many `ablate run` processes on one store (issue 19.1), through the CLI as cluster tasks run it:
 * four `--claim` processes, killed with SIGKILL at random moments and replaced, finish every run
 * exactly once, with the same weights (weightsSha256) as one process alone; a run claimed by a
 * process on another host is waited for and taken over once its lease has run out; `--shard I/N`
 * trains exactly its slice; `ablate status` reports who holds what.
 */
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadExperiment } from '../src/services/store/reader.js';
import { ablate, type RunningCli, startAblate } from './helpers/ablate-cli.js';
import { SPIRAL_MODEL_64X2, spiralSpec } from './helpers/experiments.js';
import { tempFolders } from './helpers/tmp.js';

const tmp = tempFolders('ablate-claims');

/**
 * 12 runs long enough for kills to land inside them on any machine: the naive kernels (the native
 * ones trained the whole experiment before three kills landed) and two hidden layers of 64 take
 * about 0.6 s of CPU per run on the 2-core development machine, and the kill loop looks every
 * 20-170 ms.
 */
const spec = spiralSpec('claims under fire', {
  data: { source: 'synthetic', kind: 'spiral', n: 600, classes: 3, noise: 0.05, seed: 1 },
  model: SPIRAL_MODEL_64X2,
  train: { epochs: 40, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } },
  compare: { activation: ['relu', 'tanh', 'sigmoid'] },
  seeds: [1, 2, 3, 4],
  execution: { kernels: 'naive' },
});

let file = '';
/** weightsSha256 per run id, from one process training the whole experiment alone. */
const reference = new Map<string, string>();

beforeAll(() => {
  const dir = tmp();
  file = path.join(dir, 'experiment.json');
  writeFileSync(file, JSON.stringify(spec, null, 2));
  const r = ablate(['run', file, '--out', path.join(dir, 'alone'), '--workers', '2', '--json']);
  expect(r.code, r.stderr).toBe(0);
  for (const s of (JSON.parse(r.stdout) as { summaries: Array<{ runId: string; weightsSha256: string }> }).summaries)
    reference.set(s.runId, s.weightsSha256);
  expect(reference.size).toBe(12);
}, 600_000);

/** The run ids and weights of the experiment in `store`, checking every run is complete and nothing else is there. */
async function storedWeights(store: string): Promise<Map<string, string>> {
  const [id] = readdirSync(store).filter((n) => !n.startsWith('.') && statSync(path.join(store, n)).isDirectory());
  const loaded = await loadExperiment(path.join(store, id));
  expect(loaded.notStarted).toEqual([]);
  expect(loaded.runs.map((r) => [r.runId, r.state])).toEqual([...reference.keys()].sort().map((runId) => [runId, 'completed']));
  expect(existsSync(path.join(loaded.path, '.claims')), 'claims left behind').toBe(false);
  return new Map(loaded.runs.map((r) => [r.runId, r.summary!.weightsSha256!]));
}

/** Runs a process trained to the end, by its progress lines ("[2 here] <run>: done ..."). */
function finishedIn(stderr: string): string[] {
  return [...stderr.matchAll(/^ {2}\[\d+ here\] (\S+): /gm)].map((m) => m[1]);
}
function startedIn(stderr: string): string[] {
  return [...stderr.matchAll(/^ {2}started (\S+) on /gm)].map((m) => m[1]);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('four claiming processes, killed at random', () => {
  it('finish every run exactly once, with the weights of a single process', async () => {
    const store = path.join(tmp(), 'shared');
    const all: RunningCli[] = [];
    const live = new Set<RunningCli>();
    const killed = new Set<RunningCli>();
    const start = () => {
      const p = startAblate(['run', file, '--out', store, '--claim', '--workers', '1']);
      all.push(p);
      live.add(p);
      void p.exited.then(() => live.delete(p));
    };
    for (let i = 0; i < 4; i++) start();
    // Now and then, kill a process in the middle of a run (it started one it has not finished), and
    // start another in its place.
    const midRun = (p: RunningCli) => startedIn(p.output().stderr).length > finishedIn(p.output().stderr).length;
    for (let round = 0; killed.size < 6 && round < 1000 && live.size > 0; round++) {
      await sleep(20 + Math.random() * 150);
      const training = [...live].filter(midRun);
      if (training.length === 0) continue;
      const victim = training[Math.floor(Math.random() * training.length)];
      victim.kill('SIGKILL');
      killed.add(victim);
      start();
    }
    const results = await Promise.all(all.map((p) => p.exited));
    const log = results.map((r, i) => `process ${i}${killed.has(all[i]) ? ' (killed)' : ''}:\n${r.stderr}`).join('\n');
    expect(killed.size, log).toBeGreaterThanOrEqual(3);
    results.forEach((r, i) => {
      if (killed.has(all[i])) expect(r.signal, log).toBe('SIGKILL');
      else expect(r.code, log).toBe(0);
    });

    expect(await storedWeights(store)).toEqual(reference);
    // No run was trained to its end twice (a kill may cut the line of a run that did end).
    const finished = results.flatMap((r) => finishedIn(r.stderr));
    for (const runId of reference.keys()) expect(finished.filter((f) => f === runId).length, `${runId}\n${log}`).toBeLessThanOrEqual(1);
    // And the kills did interrupt training: runs a killed process started and did not finish were
    // trained to their end by other processes.
    const cut = results.flatMap((r, i) =>
      killed.has(all[i])
        ? startedIn(r.stderr)
            .map((runId) => ({ runId, i }))
            .filter(({ runId }) => !finishedIn(r.stderr).includes(runId))
        : [],
    );
    const takenOver = cut.filter(({ runId, i }) => results.some((r, j) => j !== i && finishedIn(r.stderr).includes(runId)));
    expect(takenOver.length, log).toBeGreaterThan(0);
  }, 900_000);
});

describe('a run claimed by a process on another host', () => {
  it('is waited for while its lease runs, then taken over and trained', async () => {
    const store = path.join(tmp(), 'store');
    // `ablate slurm` without --submit creates the experiment folder and says where it is.
    const made = ablate(['slurm', file, '--out', store, '--json']);
    expect(made.code, made.stderr).toBe(0);
    const { dir } = JSON.parse(made.stdout) as { dir: string };
    const runId = [...reference.keys()][5];
    const claim = path.join(dir, '.claims', runId);
    await fs.mkdir(path.dirname(claim), { recursive: true });
    const leaseMs = 4000;
    const owner = {
      token: 'ab'.repeat(12),
      host: 'node-gone.cluster',
      pid: 31337,
      processStart: null,
      since: new Date().toISOString(),
      leaseMs,
      purpose: `run ${runId}`,
    };
    await fs.writeFile(claim, JSON.stringify(owner) + '\n');

    const status = ablate(['status', dir, '--json']);
    expect(status.code, status.stderr).toBe(0);
    type Status = { experiments: Array<{ runs: Array<{ runId: string; state: string; holder: { host: string } | null }> }> };
    const before = (JSON.parse(status.stdout) as Status).experiments[0];
    expect(before.runs.find((r) => r.runId === runId)).toMatchObject({ state: 'claimed', holder: { host: 'node-gone.cluster' } });
    expect(before.runs.filter((r) => r.state === 'planned').length).toBe(11);

    // The remote holder renews its lease until the claimer has trained everything else and waits
    // for this run; then it stops (its node died), and the lease runs out.
    const claimer = startAblate(['run', file, '--out', store, '--claim', '--workers', '2']);
    while (!/waiting for 1 run/.test(claimer.output().stderr)) {
      const now = new Date();
      await fs.utimes(claim, now, now);
      const exited = await Promise.race([claimer.exited, sleep(500)]);
      expect(exited, 'the claimer ended without waiting for the claimed run').toBeUndefined();
    }
    const lastRenewal = statSync(claim).mtimeMs;
    const r = await claimer.exited;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      new RegExp(`waiting for 1 run other processes are training: ${runId} \\(process 31337 on node-gone\\.cluster`),
    );
    expect(finishedIn(r.stderr).sort()).toEqual([...reference.keys()].sort());
    // It trained the run only once the lease had run out.
    expect(statSync(path.join(dir, 'runs', runId, 'config.json')).mtimeMs).toBeGreaterThanOrEqual(lastRenewal + leaseMs);
    expect(await storedWeights(store)).toEqual(reference);
  }, 600_000);
});

describe('--shard I/N', () => {
  it('trains exactly its slice of the plan; the slices together make the experiment', async () => {
    const store = path.join(tmp(), 'store');
    const planOrder = [...reference.keys()].sort(); // "<variant index>-<variant>-s<seed>", seeds 1 to 4
    for (const index of [0, 1, 2]) {
      const r = ablate(['run', file, '--out', store, '--shard', `${index}/3`, '--workers', '2']);
      expect(r.code, r.stderr).toBe(0);
      expect(finishedIn(r.stderr).sort()).toEqual(planOrder.filter((_, i) => i % 3 === index));
    }
    expect(await storedWeights(store)).toEqual(reference);
  }, 600_000);

  it('refuses a slice that does not exist', () => {
    for (const bad of ['3/3', '1', 'a/b', '0/0', '-1/2']) {
      const r = ablate(['run', file, `--shard=${bad}`]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toMatch(/--shard must be I\/N with 0 <= I < N/);
    }
  });
});

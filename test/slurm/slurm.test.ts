/**
 * Ablate on a real Slurm (issue 19.4): a one-node cluster on this machine (test/slurm/cluster.sh,
 * which .ci/run starts). `ablate slurm --submit --tasks 3` runs an experiment as a job array whose
 * every run completes once with the weights a local `ablate run` computes; a job cancelled with
 * scancel mid-run leaves the experiment unfinished, and submitting again finishes it.
 *
 * The cluster is the one named by ABLATE_TEST_SLURM_CONF (what `cluster.sh start` prints; never
 * SLURM_CONF, which on a login node names a real cluster). Skipped, with the reason, where no test
 * cluster runs; with ABLATE_REQUIRE_SLURM=1 (set by .ci/run) that is a failure instead. No timing
 * is asserted: jobs are waited for (generously).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { experimentStatus } from '../../src/services/cluster/status.js';
import { loadExperiment } from '../../src/services/store/reader.js';
import { ablate } from '../helpers/ablate-cli.js';
import { SPIRAL_MODEL_64X2, spiralSpec } from '../helpers/experiments.js';
import { tempFolders } from '../helpers/tmp.js';

const conf = process.env.ABLATE_TEST_SLURM_CONF ?? '';
const env = { ...process.env, SLURM_CONF: conf };
const required = process.env.ABLATE_REQUIRE_SLURM === '1';

/** Whether the test cluster answers, and if not, why. */
function probe(): { ok: true } | { ok: false; why: string } {
  const start = 'start one with `eval "$(bash test/slurm/cluster.sh start)"` (needs slurm-wlm, munge and root)';
  if (conf === '') return { ok: false, why: `no Slurm test cluster: ABLATE_TEST_SLURM_CONF is not set; ${start}` };
  if (!existsSync(conf)) return { ok: false, why: `no Slurm test cluster: ${conf} does not exist; ${start}` };
  const r = spawnSync('sinfo', ['-h', '-o', '%t'], { env, encoding: 'utf8', timeout: 30_000 });
  if (r.error) return { ok: false, why: `sinfo cannot run: ${r.error.message} (Debian: apt-get install slurm-wlm)` };
  if (r.status !== 0) return { ok: false, why: `sinfo fails with SLURM_CONF=${conf}: ${(r.stderr || r.stdout).trim()}` };
  if (!/^(idle|mix|alloc)/m.test(r.stdout))
    return { ok: false, why: `the test cluster's node is not up (sinfo: ${r.stdout.trim() || 'nothing'})` };
  return { ok: true };
}

const cluster = probe();
if (!cluster.ok && !required) console.warn(`test/slurm: skipped: ${cluster.why}`);

const tmp = tempFolders('ablate-slurm');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until no task of job `id` is pending, running or completing. */
async function waitForJob(id: string, limitMs = 20 * 60_000): Promise<void> {
  for (const end = Date.now() + limitMs; Date.now() < end; await sleep(1000)) {
    const r = spawnSync('squeue', ['-h', '-j', id, '-t', 'PD,CF,R,CG,S', '-o', '%i %T'], { env, encoding: 'utf8' });
    if (r.status !== 0 && /Invalid job id/i.test(r.stderr)) return; // long gone
    expect(r.status, r.stderr).toBe(0);
    if (r.stdout.trim() === '') return;
  }
  throw new Error(`job ${id} did not end within ${limitMs / 60_000} minutes: ${spawnSync('squeue', [], { env, encoding: 'utf8' }).stdout}`);
}

/** Writes the experiment file, trains it locally, and returns the file and weightsSha256 per run. */
function withReference(spec: unknown): { file: string; reference: Map<string, string> } {
  const dir = tmp();
  const file = path.join(dir, 'experiment.json');
  writeFileSync(file, JSON.stringify(spec, null, 2));
  const r = ablate(['run', file, '--out', path.join(dir, 'laptop'), '--workers', '2', '--json']);
  expect(r.code, r.stderr).toBe(0);
  const { summaries } = JSON.parse(r.stdout) as { summaries: Array<{ runId: string; weightsSha256: string }> };
  return { file, reference: new Map(summaries.map((s) => [s.runId, s.weightsSha256])) };
}

function submit(file: string, store: string, tasks: number): { jobId: string; dir: string; logDir: string } {
  const r = ablate(['slurm', file, '--out', store, '--tasks', String(tasks), '--submit', '--json'], { env });
  expect(r.code, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout) as { jobId: string; dir: string; logDir: string; tasks: number };
  expect(out.tasks).toBe(tasks);
  expect(out.jobId).toMatch(/^\d+$/);
  return out;
}

/** Runs each task log says it trained to the end ("[2 here] <run>: done ..."). */
function finishedByTask(logDir: string, jobId: string): Map<string, string[]> {
  const logs = readdirSync(logDir).filter((n) => n.includes(`-${jobId}_`));
  return new Map(
    logs.map((n) => [n, [...readFileSync(path.join(logDir, n), 'utf8').matchAll(/^ {2}\[\d+ here\] (\S+): /gm)].map((m) => m[1])]),
  );
}

async function storedWeights(dir: string): Promise<Map<string, string>> {
  const loaded = await loadExperiment(dir);
  expect(loaded.notStarted).toEqual([]);
  for (const r of loaded.runs) expect(r.state, r.runId).toBe('completed');
  return new Map(loaded.runs.map((r) => [r.runId, r.summary!.weightsSha256!]));
}

if (!cluster.ok && required) {
  describe('a real Slurm (ABLATE_REQUIRE_SLURM=1)', () => {
    it('is running', () => {
      throw new Error(`ABLATE_REQUIRE_SLURM=1 but ${cluster.why}`);
    });
  });
}

describe.skipIf(!cluster.ok)(`a real one-node Slurm${cluster.ok ? '' : ` (skipped: ${cluster.why})`}`, () => {
  it('runs an experiment as a 3-task job array: every run once, the same weights as on a laptop', async () => {
    const { file, reference } = withReference(
      spiralSpec('slurm array', {
        compare: { activation: ['relu', 'tanh', 'sigmoid'] },
        seeds: [1, 2],
        train: { epochs: 20, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } },
      }),
    );
    const store = path.join(tmp(), 'cluster-store');
    const { jobId, dir, logDir } = submit(file, store, 3);
    await waitForJob(jobId);

    expect(await storedWeights(dir)).toEqual(reference);
    const byTask = finishedByTask(logDir, jobId);
    expect(byTask.size, [...byTask.keys()].join(', ')).toBe(3); // three array tasks ran
    const finished = [...byTask.values()].flat().sort();
    expect(finished).toEqual([...reference.keys()].sort()); // each run trained to its end by exactly one task
    expect((await experimentStatus(dir)).counts).toMatchObject({ completed: 6, total: 6, running: 0, claimed: 0 });
  }, 1_200_000);

  it('a job cancelled mid-run leaves the experiment unfinished; submitting again finishes it', async () => {
    // Six runs of a few seconds, one task: the cancel lands while runs are left.
    const { file, reference } = withReference(
      spiralSpec('slurm cancel', {
        data: { source: 'synthetic', kind: 'spiral', n: 2000, classes: 3, noise: 0.05, seed: 1 },
        model: SPIRAL_MODEL_64X2,
        train: { epochs: 200, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } },
        compare: { activation: ['relu', 'tanh', 'sigmoid'] },
        seeds: [1, 2],
      }),
    );
    const store = path.join(tmp(), 'cluster-store');
    const first = submit(file, store, 1);
    // Cancel once a run is done and the next one trains.
    for (;;) {
      const s = await experimentStatus(first.dir);
      if (s.counts.completed >= 1 && s.counts.running >= 1) break;
      expect(s.counts.completed, 'the job finished before it could be cancelled').toBeLessThan(6);
      await sleep(200);
    }
    const cancel = spawnSync('scancel', [first.jobId], { env, encoding: 'utf8' });
    expect(cancel.status, cancel.stderr).toBe(0);
    await waitForJob(first.jobId);

    const after = await experimentStatus(first.dir);
    expect(after.counts.completed).toBeGreaterThanOrEqual(1);
    expect(after.counts.completed).toBeLessThan(6);
    expect(after.counts.running + after.counts.claimed, 'a cancelled task still holds a run').toBe(0);

    const second = submit(file, store, 1);
    expect(second.dir).toBe(first.dir);
    await waitForJob(second.jobId);
    expect(await storedWeights(second.dir)).toEqual(reference);
    const [log] = [...finishedByTask(second.logDir, second.jobId).keys()];
    expect(readFileSync(path.join(second.logDir, log), 'utf8')).toMatch(new RegExp(`6 runs, ${after.counts.completed} already complete`));
  }, 1_200_000);
});

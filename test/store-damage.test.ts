/**
 * Damage that speaks (issue 14.5) and exports that clean up (14.6, 13.6), through the CLI as a
 * user meets them: a complete run that lost weights.bin, config.json or metrics.ndjson, or whose
 * weights were flipped, cut or replaced by a link to /dev/zero, is listed and shown as damaged with
 * what is wrong, and `ablate run` retrains exactly those runs, to the same fingerprints; an experiment
 * interrupted between runs counts its planned runs, not its folders, and names the runs that never
 * started; `ablate export` of a missing, cancelled, unfinished or damaged run, or of an experiment
 * folder, exits 2 with a plain message and leaves no .onnx.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../src/services/experiments/types.js';
import { ExperimentStore } from '../src/services/store/experiment-store.js';
import { listExperiments, loadExperiment, loadRun } from '../src/services/store/reader.js';
import { spiralSpec } from './helpers/experiments.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin/ablate.js');
const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = fs.mkdtempSync(path.join(tmpdir(), 'ablate-damage-'));
  tmpDirs.push(d);
  return d;
}
function ablate(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 600_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at [\w.<>]+ \(|node:internal|internal error/);

/** Trains the 4-run spiral experiment into a fresh store; returns the paths and the summaries. */
function trained(): { store: string; spec: string; dir: string; summaries: RunSummary[] } {
  const base = tmp();
  const spec = path.join(base, 'spiral.json');
  fs.writeFileSync(
    spec,
    JSON.stringify(spiralSpec('Damage', { train: { epochs: 3, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } } })),
  );
  const store = path.join(base, 'store');
  const r = ablate(['run', spec, '--out', store, '--json', '--workers', '2']);
  expect(r.code, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout) as { dir: string; summaries: RunSummary[] };
  expect(out.summaries).toHaveLength(4);
  const summaries = out.summaries.sort((a, b) => (a.runId < b.runId ? -1 : 1)); // the reader's order
  return { store, spec, dir: out.dir, summaries };
}

describe('a complete run whose files were damaged', () => {
  let t: ReturnType<typeof trained>;
  beforeAll(() => {
    t = trained();
  });
  const runDir = (i: number) => path.join(t.dir, 'runs', t.summaries[i].runId);

  it('is listed as damaged with what is wrong, and `ablate run` retrains exactly those runs, to the same fingerprints', async () => {
    fs.rmSync(path.join(runDir(0), 'weights.bin'));
    fs.rmSync(path.join(runDir(1), 'config.json'));
    const w = path.join(runDir(2), 'weights.bin');
    const bytes = fs.readFileSync(w);
    bytes[40] ^= 0x01;
    fs.writeFileSync(w, bytes);
    fs.rmSync(path.join(runDir(3), 'metrics.ndjson'));

    const loaded = await loadExperiment(t.dir);
    const damage = loaded.runs.map((r) => [r.state, r.complete, r.damage.join(' | ')]);
    expect(damage[0]).toEqual(['damaged', false, `${path.join(runDir(0), 'weights.bin')}: is missing although the summary names its hash`]);
    expect(damage[1]).toEqual(['damaged', false, `${path.join(runDir(1), 'config.json')}: is missing although the run is complete`]);
    expect(damage[2][2]).toMatch(/weights\.bin: the parameters hash to [0-9a-f]{64}, but the run's summary says [0-9a-f]{64}/);
    expect(damage[3][2]).toBe(`${path.join(runDir(3), 'metrics.ndjson')}: is missing`);
    const [listing] = await listExperiments(t.store);
    expect(listing).toMatchObject({ runCount: 4, planned: true, completedRuns: 0, damagedRuns: 4, statusSummary: { damaged: 4 } });

    const list = ablate(['list', t.store]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/\b4 damaged\b/); // the run-state model's words (src/shared/run-state.ts)
    const show = ablate(['show', t.dir]); // text show once printed "completed" for these
    expect(show.code).toBe(1);
    expect(show.stdout).toContain(`damaged: ${path.join(runDir(0), 'weights.bin')}: is missing`);
    expect(show.stdout).toMatch(/4 planned runs: 4 damaged/);
    expect(show.stdout).not.toMatch(/\bdone\b|completed/);

    const again = ablate(['run', t.spec, '--out', t.store, '--json']);
    expect(again.code, again.stderr).toBe(0);
    const retrained = (JSON.parse(again.stdout) as { summaries: RunSummary[] }).summaries;
    expect(retrained.map((s) => s.runId).sort()).toEqual(t.summaries.map((s) => s.runId).sort());
    for (const s of retrained) expect(s.weightsSha256).toBe(t.summaries.find((o) => o.runId === s.runId)!.weightsSha256);
    const [after] = await listExperiments(t.store);
    expect(after).toMatchObject({ runCount: 4, completedRuns: 4, damagedRuns: 0, statusSummary: { completed: 4 } });
  });

  it('weights.bin cut short, or a link to /dev/zero: damaged, and export exits 2 in bounded memory, leaving no .onnx', async () => {
    const w = path.join(runDir(0), 'weights.bin');
    fs.truncateSync(w, 100);
    expect((await loadRun(runDir(0))).damage.join()).toMatch(
      /weights\.bin: holds 25 float32 values \(100 bytes\), but the model has \d+ parameters/,
    );
    if (process.platform === 'win32') return;
    fs.rmSync(w);
    fs.symlinkSync('/dev/zero', w);
    expect((await loadRun(runDir(0))).damage.join()).toMatch(
      /weights\.bin: cannot read the weights: it is a character device \(a link to \/dev\/zero\)/,
    );
    const r = ablate(['export', runDir(0)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the run is damaged: .*weights\.bin.*\/dev\/zero/);
    noStack(r.stderr);
    expect(fs.existsSync(path.join(runDir(0), 'model.onnx'))).toBe(false);
  });
});

describe('an experiment interrupted between runs', () => {
  it('counts its planned runs, not its folders, and names the runs that never started', async () => {
    const t = trained();
    const [a, b] = t.summaries.map((s) => s.runId).slice(2);
    fs.rmSync(path.join(t.dir, 'runs', a), { recursive: true });
    fs.rmSync(path.join(t.dir, 'runs', b), { recursive: true });
    const [listing] = await listExperiments(t.store);
    expect(listing).toMatchObject({ runCount: 4, completedRuns: 2, statusSummary: { completed: 2, planned: 2 } });
    const loaded = await loadExperiment(t.dir);
    expect(loaded.runs).toHaveLength(2);
    expect(loaded.plan!.map((r) => r.runId).sort()).toEqual(t.summaries.map((s) => s.runId).sort());
    expect(loaded.notStarted.map((r) => r.runId)).toEqual([a, b]);
    const list = ablate(['list', t.store]);
    expect(list.stdout).not.toMatch(/\b2\/2\b/);
    expect(list.stdout).toMatch(/\b2\/4\b/);
  });
});

describe('`ablate export` on bad input exits 2 with a plain message and writes nothing', () => {
  let t: ReturnType<typeof trained>;
  beforeAll(() => {
    t = trained();
  });

  it('a missing path, a file, an experiment folder, a folder that is not a run', () => {
    const cases: [string, RegExp][] = [
      [path.join(t.dir, 'runs', 'no-such-run'), /no-such-run: no such run folder/],
      [path.join(t.dir, 'experiment.json'), /experiment\.json: is a file, not a run folder/],
      [t.dir, /is an experiment folder, not a run folder: give one of its runs, e.g. .*runs\/00-activation-relu-s1/],
      [path.join(t.dir, 'runs'), /runs: is not a run folder: it has no config\.json/],
    ];
    for (const [dir, pattern] of cases) {
      const r = ablate(['export', dir]);
      expect(r.code, `${dir}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(pattern);
      noStack(r.stderr);
    }
  });

  it('a run that was cancelled, that has not finished, or whose summary is damaged', async () => {
    const runs = t.summaries.map((s) => path.join(t.dir, 'runs', s.runId));
    const summaryOf = (d: string) => path.join(d, 'summary.json');
    const cancelled = {
      ...JSON.parse(fs.readFileSync(summaryOf(runs[0]), 'utf8')),
      status: 'cancelled',
      stopReason: 'cancelled by the user',
    };
    fs.writeFileSync(summaryOf(runs[0]), JSON.stringify(cancelled));
    fs.rmSync(summaryOf(runs[1]));
    fs.writeFileSync(summaryOf(runs[2]), '{"runId": "x", "sta');
    const expected: [string, RegExp][] = [
      [runs[0], /was cancelled \(cancelled by the user\): it has no trained model; rerun it with ablate run/],
      [runs[1], /has not finished \(no summary\.json yet\)/],
      [runs[2], /the run cannot be read: .*summary\.json: is not valid JSON/],
    ];
    for (const [dir, pattern] of expected) {
      const r = ablate(['export', dir]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(pattern);
      noStack(r.stderr);
      expect(fs.readdirSync(dir).filter((n) => n.startsWith('model.'))).toEqual([]);
    }
    // The store's writer lock never gets in the way of an export (readers do not take it).
    const handle = await new ExperimentStore(t.store).createOrOpen(
      JSON.parse(fs.readFileSync(path.join(t.dir, 'experiment.json'), 'utf8')).spec,
      JSON.parse(fs.readFileSync(path.join(t.dir, 'experiment.json'), 'utf8')).specHash,
      'test',
    );
    const ok = ablate(['export', runs[3]]);
    await handle.close();
    expect(ok.code, ok.stderr).toBe(0);
    expect(
      fs
        .readdirSync(runs[3])
        .filter((n) => n.startsWith('model.'))
        .sort(),
    ).toEqual(['model.onnx', 'model.validation.json']);
  });
});

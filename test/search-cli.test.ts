/**
 * `ablate run` with a search: the trials planned with two workers are the ones planned with one (a
 * rerun with another worker count finds every run done and trains nothing), a run killed half-way
 * resumes only what is missing, and the stored experiment's variants carry each trial's values.
 * `ablate compare` puts variants of several experiments side by side, paired where seeds match (Welch's
 * unpaired difference, labelled, where none is shared), and
 * refuses experiments trained on different data.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spiralSpec } from './helpers/experiments.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin/ablate.js');

function ablate(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('ablate run with a search', () => {
  it('plans the same trials with any worker count, and resumes them', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ablate-search-'));
    const file = path.join(dir, 'experiment.json');
    const search = {
      method: 'sobol',
      trials: 3,
      seed: 5,
      space: { lr: { log: [1e-3, 0.1] }, 'train.optimizer.weightDecay': { log: [1e-6, 1e-3] } },
    };
    writeFileSync(
      file,
      JSON.stringify(spiralSpec('search cli', { train: { epochs: 2, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } }, search })),
    );
    const out = path.join(dir, 'runs');

    const first = ablate(['run', file, '--out', out, '--workers', '2', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const result = JSON.parse(first.stdout) as { dir: string; runs: number; trained: number };
    expect(result).toMatchObject({ runs: 12, trained: 12 }); // 2 activations x 3 trials x 2 seeds

    const stored = JSON.parse(readFileSync(path.join(result.dir, 'experiment.json'), 'utf8'));
    expect(stored.spec.search).toEqual(search);

    const again = ablate(['run', file, '--out', out, '--workers', '1', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ dir: result.dir, runs: 12, trained: 0 });

    // Lose two runs (as a kill would): only they are trained again, under their trial's config.
    const runs = readdirSync(path.join(result.dir, 'runs')).sort();
    expect(runs[0]).toBe('00-trial-1_activation-relu-s1');
    for (const id of [runs[1], runs[7]]) rmSync(path.join(result.dir, 'runs', id), { recursive: true });
    const resumed = ablate(['run', file, '--out', out, '--workers', '1', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const summaries = (JSON.parse(resumed.stdout) as { summaries: { runId: string }[] }).summaries;
    expect(summaries.map((s) => s.runId).sort()).toEqual([runs[1], runs[7]]);
  });
});

describe('ablate compare', () => {
  it('compares variants across experiments on the same data, paired by the seeds they share', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ablate-compare-'));
    const out = path.join(dir, 'runs');
    const train = { epochs: 2, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } };
    const write = (name: string, spec: unknown) => {
      const file = path.join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify(spec));
      const r = ablate(['run', file, '--out', out, '--workers', '2', '--json']);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { dir: string }).dir;
    };
    const a = write('a', spiralSpec('last week', { train, compare: { activation: ['relu', 'tanh'] }, seeds: [1, 2, 3] }));
    const b = write('b', spiralSpec('today', { train, compare: { activation: ['elu'] }, seeds: [2, 3, 4] }));
    const other = write('c', {
      ...spiralSpec('other data', { train }),
      data: { source: 'synthetic', kind: 'spiral', n: 300, classes: 3, noise: 0.2, seed: 1 },
    });

    const r = ablate(['compare', a, b, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    const [ida, idb] = [path.basename(a), path.basename(b)];
    expect(result.experiments.map((e: { id: string; seeds: number[] }) => [e.id, e.seeds])).toEqual([
      [ida, [1, 2, 3]],
      [idb, [2, 3, 4]],
    ]);
    const variants = result.statistics.variants as { variantId: string; vsBaseline: Record<string, { n: number }> | null }[];
    expect(variants.map((v) => v.variantId)).toEqual([`${ida}/activation=relu`, `${ida}/activation=tanh`, `${idb}/activation=elu`]);
    expect(result.statistics.baseline).toBe(`${ida}/activation=relu`);
    expect(variants[1].vsBaseline!['weights.valLoss'].n).toBe(3);
    // elu ran seeds 2, 3, 4; the baseline 1, 2, 3: paired over the two they share.
    expect(variants[2].vsBaseline!['weights.valLoss'].n).toBe(2);

    const text = ablate(['compare', a, b, '--baseline', `${idb}/activation=elu`]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Against the baseline ".*activation=elu", paired by seed/);

    // A week with other seeds (7, 8): nothing to pair, so Welch's unpaired difference, labelled.
    const far = write('far', spiralSpec('other seeds', { train, compare: { activation: ['relu'] }, seeds: [7, 8] }));
    const unpaired = ablate(['compare', a, far, '--json']);
    expect(unpaired.code, unpaired.stderr).toBe(0);
    const cross = JSON.parse(unpaired.stdout);
    const farRow = cross.statistics.variants.find((v: { variantId: string }) => v.variantId === `${path.basename(far)}/activation=relu`);
    const welch = farRow.vsBaseline['weights.valLoss'];
    expect([welch.test, welch.n, welch.nBaseline]).toEqual(['welch', 2, 3]);
    expect(welch.df).toBeGreaterThan(0);
    // The validation curves' summaries, one target for both experiments, as in the app.
    expect(cross.statistics.metrics).toContain('curve.valLossArea');
    expect(cross.statistics.curveTarget.reached).toHaveProperty(`${path.basename(far)}/activation=relu`);
    const unpairedText = ablate(['compare', a, far]);
    expect(unpairedText.stdout).toMatch(/other seeds: relu\s+weights\.valLoss\s.*unpaired \(Welch, df [0-9.]+\)\s+2 vs 3/);
    // tanh shares seeds with relu: paired on every metric, even where a run has no value (a target never reached).
    expect(unpairedText.stdout).not.toMatch(/last week: tanh.*Welch/);
    expect(unpairedText.stdout).toMatch(/is not paired: its difference is the difference of the two means with Welch's t-interval/);

    const refused = ablate(['compare', a, other]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${path.basename(other)} was trained on other data than ${ida} (data.noise differ)`);
    expect(refused.stdout).toBe('');
  });
});

/**
 * search.method "bayes" in the experiment file: the startup trials are the sobol ones; a round of
 * proposals appears only once every earlier run has finished, per compare variant, from those
 * results alone (same results, same proposals); run ids of earlier trials never change as the
 * search grows; and `ablate run` trains every round, then resumes a lost run with the same trial.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expandExperiment } from '../src/services/experiments/spec/expand.js';
import { ExperimentError, validateExperiment } from '../src/services/experiments/spec/validate.js';
import type { ExperimentSpec, PlannedRun } from '../src/services/experiments/types.js';
import { spiralSpec } from './helpers/experiments.js';

const search = {
  method: 'bayes',
  trials: 11,
  batch: 3,
  startup: 5,
  seed: 2,
  space: { lr: { log: [1e-4, 1] }, optimizer: ['sgd', 'adam'] },
};
const spec = (extra: Record<string, unknown> = {}): ExperimentSpec =>
  validateExperiment(spiralSpec('bayes', { search: { ...search, ...extra }, seeds: [0, 1] }), 'x.json');

/** Every run finished, with a loss that is lowest at lr = 0.01 for relu, at 0.1 for tanh. */
function finish(runs: PlannedRun[], skip: (r: PlannedRun) => boolean = () => false): Map<string, Map<number, number | null>> {
  const out = new Map<string, Map<number, number | null>>();
  for (const r of runs) {
    if (skip(r)) continue;
    const best = r.variant.factors.activation === 'relu' ? 2 : 1;
    const loss = Math.abs(Math.log10(r.variant.factors.lr as number) + best) + 0.01 * r.seed;
    out.set(r.variant.id, (out.get(r.variant.id) ?? new Map()).set(r.seed, loss));
  }
  return out;
}

describe('bayes search: expansion', () => {
  it('starts with the sobol trials, and grows by a batch per compare variant once every run has finished', () => {
    const s = spec();
    const first = expandExperiment(s);
    const sobol = expandExperiment({ ...s, search: { ...s.search!, method: 'sobol', trials: 5, batch: undefined, startup: undefined } });
    expect(first.variants.map((v) => v.factors)).toEqual(sobol.variants.map((v) => v.factors));
    expect(first.variants).toHaveLength(5 * 2);

    const second = expandExperiment(s, 'x', finish(first.runs));
    expect(second.variants).toHaveLength(8 * 2);
    // Earlier trials keep their ids and run ids as the plan grows; the index width is the complete plan's.
    expect(second.runs.slice(0, first.runs.length).map((r) => r.id)).toEqual(first.runs.map((r) => r.id));
    expect(first.runs[0].id).toBe('00-trial-1_activation-relu-s0');
    // Proposals are made per compare variant, from its own results.
    const proposed = second.variants.slice(10);
    expect(proposed.map((v) => v.id)).toEqual([
      'trial=6,activation=relu',
      'trial=6,activation=tanh',
      'trial=7,activation=relu',
      'trial=7,activation=tanh',
      'trial=8,activation=relu',
      'trial=8,activation=tanh',
    ]);
    expect(proposed[0].factors).not.toEqual({ ...proposed[1].factors, activation: 'relu' });

    // Same results, same proposals; a different result, other proposals.
    expect(expandExperiment(s, 'x', finish(first.runs)).variants).toEqual(second.variants);
    // TPE reads only which trials are good: reversing relu's results changes that.
    const other = finish(first.runs);
    for (const [id, bySeed] of other) if (id.endsWith('relu')) for (const [seed, y] of bySeed) bySeed.set(seed, -y!);
    const changed = expandExperiment(s, 'x', other).variants.slice(10);
    expect(changed.filter((v) => v.id.endsWith('relu'))).not.toEqual(proposed.filter((v) => v.id.endsWith('relu')));
    expect(changed.filter((v) => v.id.endsWith('tanh'))).toEqual(proposed.filter((v) => v.id.endsWith('tanh')));

    const third = expandExperiment(s, 'x', finish(second.runs));
    expect(third.variants).toHaveLength(11 * 2); // 5 + 3 + 3 = the 11 trials; no more rounds
    expect(expandExperiment(s, 'x', finish(third.runs)).variants).toEqual(third.variants);
  });

  it('proposes nothing while a run of an earlier trial has not finished', () => {
    const s = spec();
    const first = expandExperiment(s);
    const oneMissing = finish(first.runs, (r) => r.id === first.runs.at(-1)!.id);
    expect(expandExperiment(s, 'x', oneMissing).variants).toHaveLength(10);
  });

  it('moves towards the better learning rate', () => {
    const s = spec({ trials: 26, batch: 4 });
    let runs = expandExperiment(s).runs;
    for (let i = 0; i < 10; i++) runs = expandExperiment(s, 'x', finish(runs)).runs;
    const lrs = runs.filter((r) => r.seed === 0 && r.variant.factors.activation === 'relu').map((r) => r.variant.factors.lr as number);
    expect(lrs).toHaveLength(26);
    const distance = (lr: number) => Math.abs(Math.log10(lr) + 2);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // The last 8 proposals sit closer to lr = 0.01 than the 5 startup trials, on average.
    expect(mean(lrs.slice(-8).map(distance))).toBeLessThan(mean(lrs.slice(0, 5).map(distance)) / 2);
  });

  it('refuses batch and startup outside their ranges', () => {
    const issues = (extra: Record<string, unknown>) => {
      try {
        spec(extra);
      } catch (e) {
        return (e as ExperimentError).issues.map((i) => `${i.path}: ${i.message}`);
      }
      return [];
    };
    expect(issues({ batch: 0 })[0]).toMatch(/^search\.batch: must be/);
    expect(issues({ startup: 0 })[0]).toMatch(/^search\.startup: must be/);
  });
});

describe('bayes search: ablate run', () => {
  it('trains every round, then resumes a lost run of a proposed trial with the same trial', () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const ablate = (args: string[]) =>
      spawnSync(process.execPath, [path.join(root, 'bin/ablate.js'), ...args], { encoding: 'utf8', timeout: 240_000 });
    const dir = mkdtempSync(path.join(tmpdir(), 'ablate-bayes-'));
    const file = path.join(dir, 'experiment.json');
    writeFileSync(
      file,
      JSON.stringify(
        spiralSpec('bayes cli', { train: { epochs: 2, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } }, search, seeds: [0, 1] }),
      ),
    );
    const out = path.join(dir, 'runs');
    const first = ablate(['run', file, '--out', out, '--workers', '2', '--json']);
    expect(first.status, first.stderr).toBe(0);
    const result = JSON.parse(first.stdout) as { dir: string; runs: number; trained: number };
    expect(result).toMatchObject({ runs: 44, trained: 44 }); // 11 trials x 2 activations x 2 seeds, in rounds of 5, 3, 3
    expect(first.stderr.match(/experiment .*: \d+ runs/g)).toEqual([
      expect.stringMatching(/: 20 runs/),
      expect.stringMatching(/: 32 runs/),
      expect.stringMatching(/: 44 runs/),
      expect.stringMatching(/: 44 runs/),
    ]);

    const lost = readdirSync(path.join(result.dir, 'runs')).find((id) => id.startsWith('21-trial-11_activation-tanh'))!;
    const config = (id: string) => JSON.parse(readFileSync(path.join(result.dir, 'runs', id, 'config.json'), 'utf8'));
    const before = config(lost);
    rmSync(path.join(result.dir, 'runs', lost), { recursive: true });
    const resumed = ablate(['run', file, '--out', out, '--workers', '1', '--json']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ runs: 44, trained: 1 });
    expect(config(lost).variant).toEqual(before.variant);
    expect(config(lost).config).toEqual(before.config);
  });
});

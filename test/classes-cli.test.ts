/**
 * `ablate classes` on experiments trained by `ablate run`: every stored matrix sums to its split's
 * size and its diagonal over the total is the accuracy the run recorded for its kept weights; class
 * names come from the data (CSV label values); runs written before matrices existed print as "not
 * recorded"; bad input exits 2 with a message.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../src/shared/types/experiment.js';
import { spiralSpec } from './helpers/experiments.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin/ablate.js');
const ablate = (args: string[], cwd: string) => {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

function trained(spec: unknown): { dir: string; experiment: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'ablate-classes-'));
  writeFileSync(path.join(dir, 'experiment.json'), JSON.stringify(spec));
  const run = ablate(['run', 'experiment.json', '--out', 'store', '--workers', '2'], dir);
  expect(run.code, run.stderr).toBe(0);
  const store = path.join(dir, 'store');
  return {
    dir,
    experiment: path.join(
      store,
      readdirSync(store).find((f) => !f.startsWith('.') && !f.endsWith('.sbatch'))!,
    ),
  };
}

const summaries = (experiment: string): Array<{ file: string; s: RunSummary }> =>
  readdirSync(path.join(experiment, 'runs')).map((id) => {
    const file = path.join(experiment, 'runs', id, 'summary.json');
    return { file, s: JSON.parse(readFileSync(file, 'utf8')) as RunSummary };
  });

describe('ablate classes', () => {
  let spiral: { dir: string; experiment: string };
  beforeAll(() => {
    spiral = trained(
      spiralSpec('classes', {
        train: {
          epochs: 10,
          batchSize: 32,
          optimizer: { name: 'adam', lr: 0.01 },
          earlyStopping: { monitor: 'val_loss', patience: 2, restoreBestWeights: true },
        },
        data: { source: 'synthetic', kind: 'spiral', n: 300, classes: 3, noise: 0.05, seed: 1, split: { validation: 0.2, test: 0.2 } },
      }),
    );
  }, 300_000);

  it('stores matrices that sum to the split sizes with diagonal/total = the recorded accuracies', () => {
    const runs = summaries(spiral.experiment);
    expect(runs).toHaveLength(4);
    for (const { s } of runs) {
      const c = s.confusion!;
      expect(c.epoch).toBe(s.weightsEpoch);
      expect(c.classNames).toEqual(['0', '1', '2']);
      const kept = [s.final, s.best].find((e) => e?.epoch === s.weightsEpoch)!;
      for (const [m, accuracy] of [
        [c.validation!, kept.valAccuracy!],
        [c.test!, s.test!.accuracy!],
      ] as const) {
        const total = m.flat().reduce((a, b) => a + b, 0);
        expect(total).toBe(60); // 300 rows, 20% each
        expect(m.reduce((a, row, i) => a + row[i], 0) / total).toBeCloseTo(accuracy, 12);
      }
    }
  });

  it('prints per-class tables and the paired differences; --json has every cell', () => {
    const text = ablate(['classes', spiral.experiment], spiral.dir);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/== test split/);
    expect(text.stdout).toMatch(/relu \(baseline\): 2 seeds \(1, 2\), weights of epoch/);
    expect(text.stdout).toMatch(/Which classes each variant fixed against "relu"/);
    const json = JSON.parse(ablate(['classes', spiral.experiment, '--json'], spiral.dir).stdout);
    const test = json.splits.find((s: { split: string }) => s.split === 'test');
    expect(test.results.variants).toHaveLength(2);
    const v = test.results.variants[0];
    // Mean counts over the two seeds equal the mean of the stored matrices.
    const stored = summaries(spiral.experiment)
      .filter(({ s }) => s.variantId === v.variantId)
      .map(({ s }) => s.confusion!.test!);
    expect(v.counts[1][2].mean).toBeCloseTo((stored[0][1][2] + stored[1][1][2]) / 2, 12);
    expect(test.vsBaseline['activation=tanh'].recall).toHaveLength(3);
  });

  it('puts the same tables in the report', () => {
    const out = path.join(spiral.dir, 'report.html');
    expect(ablate(['report', spiral.experiment, '--out', out], spiral.dir).code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/<h2>Per-class results<\/h2>/);
    expect(html).toMatch(/relu \(baseline\), test split: the confusion matrix normalized by row/);
    expect(html).toMatch(/Which classes each variant fixed against <strong>relu<\/strong>, validation split/);
  });

  it('says "not recorded" for runs written before matrices existed, never zeros', () => {
    const { dir, experiment } = trained(spiralSpec('old', { seeds: [1] }));
    for (const { file, s } of summaries(experiment)) {
      delete s.confusion;
      writeFileSync(file, JSON.stringify(s, null, 2) + '\n');
    }
    const r = ablate(['classes', experiment], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/not recorded/);
    expect(r.stdout).not.toMatch(/0\.000/);
    const out = path.join(dir, 'report.html');
    expect(ablate(['report', experiment, '--out', out], dir).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(
      /<h2>Per-class results<\/h2>\n<p>Not recorded: no run of this experiment recorded confusion matrices/,
    );
  }, 300_000);

  it('names classes by the CSV label values', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ablate-classes-csv-'));
    const rows = ['x1,x2,animal'];
    for (let i = 0; i < 90; i++) {
      const k = i % 3;
      rows.push(`${(k + 0.1 * Math.sin(i)).toFixed(3)},${(k * 0.5 + 0.1 * Math.cos(i)).toFixed(3)},${['cat', 'dog', 'eel'][k]}`);
    }
    writeFileSync(path.join(dir, 'animals.csv'), rows.join('\n') + '\n');
    const spec = spiralSpec('csv', { data: { source: 'csv', path: 'animals.csv', target: 'animal' }, seeds: [1], compare: undefined });
    writeFileSync(path.join(dir, 'experiment.json'), JSON.stringify(spec));
    expect(ablate(['run', 'experiment.json', '--out', 'store'], dir).code).toBe(0);
    const store = path.join(dir, 'store');
    const exp = path.join(
      store,
      readdirSync(store).find((f) => f.startsWith('csv'))!,
    );
    const r = ablate(['classes', exp], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/true \\ predicted\s+cat\s+dog\s+eel/);
  }, 300_000);

  it('rejects bad input with exit 2 and a message', () => {
    const missing = ablate(['classes'], spiral.dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/classes: which experiment folder/);
    const baseline = ablate(['classes', spiral.experiment, '--baseline', 'nope'], spiral.dir);
    expect(baseline.code).toBe(2);
    expect(baseline.stderr).toMatch(/no variant "nope"; variants: activation=relu, activation=tanh/);
    const notThere = ablate(['classes', path.join(spiral.dir, 'nowhere')], spiral.dir);
    expect(notThere.code).toBe(2);
    expect(notThere.stderr).not.toMatch(/\n\s+at /);
  });
});

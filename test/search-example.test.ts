/**
 * examples/tuned-then-compared: the tuned values written in 2-relu.json and 2-tanh.json are the
 * best trials `ablate show` reports for 1-tune.json (so the example says what the engine finds),
 * and `ablate compare` of the two tuned experiments pairs all 5 new seeds. About 10 s of training.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SearchResults } from '../src/services/experiments/search/results.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const example = (name: string) => path.join(root, 'examples', 'tuned-then-compared', name);

function ablate(args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/ablate.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 600_000 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe('examples/tuned-then-compared', () => {
  it('tunes each activation, then compares the tuned settings on 5 new seeds', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'ablate-tuned-'));
    const tune = ablate(['run', example('1-tune.json'), '--out', out, '--json']);
    expect(tune).toMatchObject({ runs: 96, ok: true });
    const search = ablate(['show', tune.dir, '--json']).search as SearchResults;
    const dirs: string[] = [];
    for (const activation of ['relu', 'tanh']) {
      const best = search.cells.find((c) => c.cell === `activation=${activation}`)!.best!;
      const file = `2-${activation}.json`;
      const optimizer = JSON.parse(readFileSync(example(file), 'utf8')).train.optimizer;
      expect({ lr: optimizer.lr, weightDecay: optimizer.weightDecay }, `update ${file} to the best trial of 1-tune.json`).toEqual({
        lr: best.values.lr,
        weightDecay: best.values['train.optimizer.weightDecay'],
      });
      dirs.push(ablate(['run', example(file), '--out', out, '--json']).dir);
    }
    const compared = ablate(['compare', ...dirs, '--json']);
    const tanh = compared.statistics.variants[1];
    expect(tanh.vsBaseline['weights.valLoss'].n).toBe(5);
    expect(compared.experiments.map((e: { seeds: number[] }) => e.seeds)).toEqual([
      [100, 101, 102, 103, 104],
      [100, 101, 102, 103, 104],
    ]);
  });
});

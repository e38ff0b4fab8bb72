/**
 * Successive halving end to end through the CLI (issue 20 item 2): a planted sobol search of 8
 * learning rates (round 0: trials 1-4, round 1: trials 5-8; rung after epoch 1 of 3; eta 3) whose
 * decisions are recomputed here by hand from the runs' metrics.ndjson: a round-1 run goes on only
 * if its epoch-1 val loss is at most the 2nd best (ceil(5/3) = 2) of round 0's. The planted seed
 * prunes some runs and keeps others; a pruned run stops after epoch 1, is complete and not
 * failed, `ablate list` and `show` say "pruned", and 1 or 2 workers give the same states and weights.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../src/services/store/reader.js';
import { ablate } from './helpers/ablate-cli.js';
import { halvingSearchSpec } from './helpers/experiments.js';
import { tempFolders } from './helpers/tmp.js';

const tmp = tempFolders('ablate-halving');

const spec = halvingSearchSpec('halving');

function train(dir: string, store: string, workers: number) {
  const file = path.join(dir, 'halving.json');
  writeFileSync(file, JSON.stringify(spec));
  const r = ablate(['run', file, '--out', store, '--workers', String(workers), '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { experimentId: string; dir: string };
}

/** Epoch records of a run, from its metrics.ndjson. */
function epochs(runDir: string): Array<{ epoch: number; valLoss: number }> {
  return readFileSync(path.join(runDir, 'metrics.ndjson'), 'utf8')
    .split('\n')
    .filter((l) => l.includes('"kind":"epoch"'))
    .map((l) => JSON.parse(l));
}

describe('successive halving through the CLI', () => {
  it('prunes exactly the runs the rule prunes by hand, the same on 1 and 2 workers', async () => {
    const dir = tmp();
    const two = train(dir, path.join(dir, 'two'), 2);
    const one = train(dir, path.join(dir, 'one'), 1);
    const a = await loadExperiment(two.dir);
    const b = await loadExperiment(one.dir);
    expect(a.runs.map((r) => r.runId)).toHaveLength(8);
    expect(b.runs.map((r) => [r.runId, r.summary!.status, r.summary!.weightsSha256])).toEqual(
      a.runs.map((r) => [r.runId, r.summary!.status, r.summary!.weightsSha256]),
    );

    const firstEpoch = a.runs.map((r) => epochs(r.path)[0].valLoss);
    const bar = [...firstEpoch.slice(0, 4)].sort((x, y) => x - y)[1];
    const states = a.runs.map((r) => r.summary!.status);
    expect(states.slice(0, 4)).toEqual(['completed', 'completed', 'completed', 'completed']);
    for (let i = 4; i < 8; i++) {
      const run = a.runs[i];
      const pruned = firstEpoch[i] > bar;
      expect(states[i], run.runId).toBe(pruned ? 'pruned' : 'completed');
      expect(epochs(run.path)).toHaveLength(pruned ? 1 : 3);
      expect(run.summary!.halving!.rungs).toEqual([{ epochs: 1, value: firstEpoch[i], bar }]);
      expect(run.complete).toBe(true);
    }
    // The planted seed gives both outcomes.
    expect(states.filter((s) => s === 'pruned').length).toBeGreaterThan(0);
    expect(states.slice(4).filter((s) => s === 'completed').length).toBeGreaterThan(0);

    const n = states.filter((s) => s === 'pruned').length;
    const list = ablate(['list', path.join(dir, 'two')]);
    expect(list.stdout).toMatch(new RegExp(`8/8 finished\\s+${8 - n} done, ${n} pruned`));
    const show = ablate(['show', two.dir]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/pruned after epoch 1 \(successive halving\)/);
    // A resume trains nothing: pruned runs are complete.
    const again = ablate(['run', path.join(dir, 'halving.json'), '--out', path.join(dir, 'two'), '--json']);
    expect(JSON.parse(again.stdout).trained).toBe(0);
  }, 600_000);
});

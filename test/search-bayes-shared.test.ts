/**
 * A bayes search shared by several `ablate run` processes (issue 20): every process must go on to
 * the next round once the previous one is complete in the shared store, whoever trained it. Two
 * `--shard I/2` processes, the second started only once the first has trained its slice of round
 * 1, and two `--claim` processes started together, each leave the store with every trial the
 * search plans, the same trials (ids and drawn values) as one process alone.
 */
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadExperiment } from '../src/services/store/reader.js';
import { ablate, startAblate } from './helpers/ablate-cli.js';
import { spiralSpec } from './helpers/experiments.js';
import { tempFolders } from './helpers/tmp.js';

const tmp = tempFolders('ablate-bayes-shared');

/** 6 trials: 2 startup, then rounds of 2; one seed, so each round has 2 runs (one per shard). */
const spec = spiralSpec('bayes shared', {
  compare: undefined,
  seeds: [1],
  model: {
    inputSize: 2,
    hidden: [{ width: 8, activation: 'relu' }],
    outputSize: 3,
    head: 'softmax',
    init: { weights: 'he_uniform', bias: 'zeros' },
  },
  train: { epochs: 3, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } },
  search: { method: 'bayes', trials: 6, startup: 2, batch: 2, seed: 4, space: { lr: { log: [1e-3, 0.3] } } },
});

let file = '';
/** Run id -> drawn lr, from one process alone. */
const reference = new Map<string, number>();

async function trialsIn(store: string): Promise<Map<string, number>> {
  const [id] = readdirSync(store).filter((n) => !n.startsWith('.') && statSync(path.join(store, n)).isDirectory());
  const loaded = await loadExperiment(path.join(store, id));
  for (const r of loaded.runs) expect(r.state, r.runId).toBe('completed');
  return new Map(loaded.runs.map((r) => [r.runId, r.config!.config.train.optimizer.lr]));
}

beforeAll(async () => {
  const dir = tmp();
  file = path.join(dir, 'bayes.json');
  writeFileSync(file, JSON.stringify(spec));
  const r = ablate(['run', file, '--out', path.join(dir, 'alone'), '--workers', '1', '--json']);
  expect(r.code, r.stderr).toBe(0);
  for (const [k, v] of await trialsIn(path.join(dir, 'alone'))) reference.set(k, v);
  expect(reference.size).toBe(6);
}, 600_000);

describe('a bayes search over processes sharing the store', () => {
  it('--shard: a process whose slice of a round is done waits for the round, then trains its slice of the next', async () => {
    const store = path.join(tmp(), 'sharded');
    const a = startAblate(['run', file, '--out', store, '--shard', '0/2', '--workers', '1']);
    // B starts only once A has nothing left of round 1 (it waits, or, before the fix, it had exited).
    const aDone = a.exited.then(() => 'exited');
    for (;;) {
      if (/waiting for/.test(a.output().stderr)) break;
      if ((await Promise.race([aDone, new Promise((r) => setTimeout(() => r('poll'), 100))])) === 'exited') break;
    }
    const b = startAblate(['run', file, '--out', store, '--shard', '1/2', '--workers', '1']);
    const [ra, rb] = await Promise.all([a.exited, b.exited]);
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code, rb.stderr).toBe(0);
    expect(await trialsIn(store)).toEqual(reference);
  }, 600_000);

  it('--claim: processes started together finish every round', async () => {
    const store = path.join(tmp(), 'claimed');
    const procs = [0, 1].map(() => startAblate(['run', file, '--out', store, '--claim', '--workers', '1']));
    for (const r of await Promise.all(procs.map((p) => p.exited))) expect(r.code, r.stderr).toBe(0);
    expect(await trialsIn(store)).toEqual(reference);
  }, 600_000);
});

/**
 * Successive halving of a search (issue 20 item 2): the rungs, the rounds, and the bars a run
 * must pass, computed by hand on planted rung values; the engine stops a run after the rung's
 * epoch exactly when its value does not pass (its first epochs the same bits as an unstopped
 * run's); validation refuses what cannot be halved; a search with halving reveals its trials in
 * rounds.
 */
import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../src/engine/config/validate.js';
import { halvingStop, rungValue } from '../src/engine/train/halving.js';
import { trainInProcess } from '../src/engine/train/trainer.js';
import { halvingRules, roundOf, rungEpochs } from '../src/services/experiments/search/halving.js';
import { observedRuns } from '../src/services/experiments/search/observed.js';
import {
  countsText,
  countStates,
  experimentState,
  isBad,
  isComplete,
  isHealthy,
  needsRun,
  runState,
  stateText,
  stateTone,
} from '../src/shared/run-state.js';
import { expandExperiment } from '../src/services/experiments/spec/expand.js';
import { validateExperiment } from '../src/services/experiments/spec/validate.js';
import type { ExperimentSpec, PlannedRun, RunSummary } from '../src/services/experiments/types.js';
import { SPIRAL_MODEL_16, spiralSpec } from './helpers/experiments.js';
import { classData, spiral } from './helpers/toy-data.js';

const epochOf = (valLoss: number | null, i: number) =>
  ({ epoch: i, lr: 0.01, trainLoss: 1, trainAccuracy: 0.5, valLoss, valAccuracy: 0.5, penalty: 0, steps: 1, seconds: 0 }) as const;

describe('rungs and rounds', () => {
  it('puts rungs at minEpochs x eta^k below the epochs, and rounds after startup every batch', () => {
    expect(rungEpochs(1, 3, 10)).toEqual([1, 3, 9]);
    expect(rungEpochs(2, 2, 8)).toEqual([2, 4]);
    expect(rungEpochs(3, 3, 3)).toEqual([]);
    expect([1, 3, 4, 5, 6, 7].map((t) => roundOf(t, 3, 2))).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it('rung values: the best so far or the last, NaN never best', () => {
    const h = [0.5, 0.3, 0.4].map(epochOf);
    expect(rungValue({ metric: 'valLoss', best: true, goal: 'min' }, h)).toBe(0.3);
    expect(rungValue({ metric: 'valLoss', best: false, goal: 'min' }, h)).toBe(0.4);
    expect(rungValue({ metric: 'valLoss', best: true, goal: 'min' }, [NaN, 0.7].map(epochOf))).toBe(0.7);
    expect(rungValue({ metric: 'valLoss', best: true, goal: 'min' }, [null, 0.7].map(epochOf))).toBeNull();
    const rule = { metric: 'valLoss' as const, best: false, goal: 'min' as const, rungs: [{ epochs: 2, bar: 0.35 }] };
    expect(halvingStop(rule, [0.5].map(epochOf))).toBeNull(); // not at a rung
    expect(halvingStop(rule, [0.5, 0.35].map(epochOf))).toBeNull(); // ties go on
    expect(halvingStop(rule, [0.5, 0.36].map(epochOf))).toEqual({ epochs: 2, value: 0.36, bar: 0.35 });
    expect(halvingStop(rule, [0.5, NaN].map(epochOf))).not.toBeNull();
  });
});

describe('the bars of a planted search, by hand', () => {
  // 7 trials: round 0 = trials 1-3, round 1 = 4-5, round 2 = 6-7; eta 2; 4 epochs: rungs at 1 and 2.
  const spec = {
    search: { method: 'random', trials: 7, startup: 3, batch: 2, space: {}, halving: { minEpochs: 1, eta: 2 } },
  } as unknown as ExperimentSpec;
  const run = (trial: number, seed: number) =>
    ({
      id: `t${trial}s${seed}`,
      variant: { id: `trial=${trial}`, label: '', factors: { trial } },
      seed,
      config: { train: { epochs: 4 } },
    }) as unknown as PlannedRun;
  const done = (trial: number, seed: number, status: string, rungs: Array<[number, number | null]>) =>
    ({
      variantId: `trial=${trial}`,
      seed,
      status,
      halving: { rungs: rungs.map(([epochs, value]) => ({ epochs, value, bar: null })) },
    }) as unknown as RunSummary;
  const finished = [
    done(1, 1, 'completed', [
      [1, 0.5],
      [2, 0.35],
    ]),
    done(2, 1, 'completed', [
      [1, 0.3],
      [2, 0.25],
    ]),
    done(3, 1, 'completed', [
      [1, 0.9],
      [2, 0.8],
    ]),
    done(4, 1, 'pruned', [[1, 0.6]]),
    done(5, 1, 'completed', [
      [1, 0.1],
      [2, 0.05],
    ]),
    // Another seed, and a cancelled run (not finished): neither counts for seed 1.
    done(1, 2, 'completed', [
      [1, 0.01],
      [2, 0.01],
    ]),
    done(3, 1, 'cancelled', [[1, 0.0001]]),
  ];

  it('round 0 has no bars; later rounds the ceil(n/eta)-th best of the earlier rounds, per seed', () => {
    const rules = halvingRules(spec, [1, 4, 6].map((t) => run(t, 1)).concat([run(4, 2)]), finished.slice(0, 6));
    expect(rules.get('t1s1')!.rungs).toEqual([
      { epochs: 1, bar: null },
      { epochs: 2, bar: null },
    ]);
    // Trial 4, seed 1: rung 1 values before it 0.5, 0.3, 0.9; n = 4, ceil(4/2) = 2nd best = 0.5.
    // Rung 2: 0.35, 0.25, 0.8 -> 0.35.
    expect(rules.get('t4s1')!.rungs).toEqual([
      { epochs: 1, bar: 0.5 },
      { epochs: 2, bar: 0.35 },
    ]);
    // Trial 6 (round 2): rung 1 adds trial 4's 0.6 and trial 5's 0.1: n = 6, 3rd best of
    // 0.1, 0.3, 0.5, 0.6, 0.9 = 0.5. Rung 2: trial 4 did not reach it: 0.05, 0.25, 0.35, 0.8; n = 5, 3rd = 0.35.
    expect(rules.get('t6s1')!.rungs).toEqual([
      { epochs: 1, bar: 0.5 },
      { epochs: 2, bar: 0.35 },
    ]);
    // Seed 2 has one earlier value per rung: n = 2, ceil(2/2) = 1st best = 0.01.
    expect(rules.get('t4s2')!.rungs).toEqual([
      { epochs: 1, bar: 0.01 },
      { epochs: 2, bar: 0.01 },
    ]);
    expect(rules.get('t4s1')).toMatchObject({ metric: 'valLoss', best: true, goal: 'min' });
  });

  it('ignores cancelled runs', () => {
    const rules = halvingRules(spec, [run(4, 1)], [finished[0], finished[1], finished[6]]);
    // Only 0.5 and 0.3 count: n = 3, ceil(3/2) = 2nd best = 0.5.
    expect(rules.get('t4s1')!.rungs[0]).toEqual({ epochs: 1, bar: 0.5 });
  });
});

describe('the engine applies the bar after the rung epoch', () => {
  const { x, y } = spiral(100, 3, 1);
  const data = classData(x, y, 2, 1, 0.2, 0.1);
  const cfg = validateRunConfig({
    seed: 2,
    model: structuredClone(SPIRAL_MODEL_16),
    train: { epochs: 5, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } },
  });

  it('stops a run that does not pass, after exactly the rung epochs, with the same first epochs as a full run', () => {
    const full = trainInProcess(cfg, data).outcome;
    expect(full.status).toBe('completed');
    const at2 = full.epochs[1].valLoss!;
    const rule = (bar: number) => ({ metric: 'valLoss' as const, best: false, goal: 'min' as const, rungs: [{ epochs: 2, bar }] });
    const stopped = trainInProcess(cfg, data, { halving: rule(at2 * 0.999) }).outcome;
    expect(stopped.status).toBe('pruned');
    expect(stopped.epochs).toHaveLength(2);
    expect(stopped.stoppedEpoch).toBe(1);
    expect(stopped.stopReason).toMatch(/pruned after epoch 2 by successive halving/);
    expect(stopped.epochs.map((e) => e.valLoss)).toEqual(full.epochs.slice(0, 2).map((e) => e.valLoss));
    // At the bar exactly: it goes on, to the same end as without the rule.
    const through = trainInProcess(cfg, data, { halving: rule(at2) }).outcome;
    expect(through.status).toBe('completed');
    expect(through.epochs.map((e) => e.valLoss)).toEqual(full.epochs.map((e) => e.valLoss));
  });
});

describe('validation and rounds', () => {
  const base = (search: Record<string, unknown>) =>
    spiralSpec('halving', {
      compare: undefined,
      seeds: [1, 2],
      search: { method: 'random', trials: 6, startup: 2, batch: 2, space: { lr: { log: [1e-3, 1] } }, ...search },
    });

  it('refuses an objective without a value per epoch, a first rung at the last epoch, and rounds without halving', () => {
    expect(() =>
      validateExperiment(base({ halving: { minEpochs: 2 }, objective: { metric: 'test.accuracy', goal: 'max' } }), 'x.json'),
    ).toThrow(/search\.halving: needs an objective measured every epoch/);
    expect(() => validateExperiment(base({ halving: { minEpochs: 8 } }), 'x.json')).toThrow(
      /search\.halving\.minEpochs: must be below train\.epochs \(8\)/,
    );
    expect(() => validateExperiment(base({}), 'x.json')).toThrow(/search\.batch: is only for method "bayes" or a search with "halving"/);
    expect(() => validateExperiment(base({ halving: { minEpochs: 1, eta: 1 } }), 'x.json')).toThrow(/search\.halving\.eta/);
  });

  it('reveals the trials round by round, the same points as without halving', () => {
    const spec = validateExperiment(base({ halving: { minEpochs: 2 } }), 'x.json');
    const plain = expandExperiment(validateExperiment(base({ startup: undefined, batch: undefined }), 'x.json'));
    const first = expandExperiment(spec);
    expect(first.variants.map((v) => v.id)).toEqual(['trial=1', 'trial=2']);
    expect(first.variants.map((v) => v.factors.lr)).toEqual(plain.variants.slice(0, 2).map((v) => v.factors.lr));
    // Trial 1 finished on both seeds, trial 2 on one: still round 0 only.
    const summaries = (ids: Array<[string, number]>) =>
      ids.map(([variantId, seed]) => ({ variantId, seed, status: 'completed', best: { valLoss: 1 } }) as unknown as RunSummary);
    const partial = summaries([
      ['trial=1', 1],
      ['trial=1', 2],
      ['trial=2', 1],
    ]);
    expect(expandExperiment(spec, undefined, observedRuns(spec, partial)).variants).toHaveLength(2);
    const all = summaries([
      ['trial=1', 1],
      ['trial=1', 2],
      ['trial=2', 1],
      ['trial=2', 2],
    ]);
    const next = expandExperiment(spec, undefined, observedRuns(spec, all));
    expect(next.variants.map((v) => v.factors.lr)).toEqual(plain.variants.slice(0, 4).map((v) => v.factors.lr));
  });
});

describe('the pruned run state', () => {
  it('is complete, neither healthy nor bad, and says where it stopped', () => {
    const s = runState({ stored: { summary: { status: 'pruned', stoppedEpoch: 0 } as RunSummary }, live: null });
    expect(s.state).toBe('pruned');
    expect([isComplete('pruned'), needsRun('pruned'), isHealthy('pruned'), isBad('pruned')]).toEqual([true, false, false, false]);
    expect(stateTone('pruned')).toBe('idle');
    expect(stateText(s, { stoppedEpoch: 0 } as RunSummary)).toBe('pruned after epoch 1 (successive halving)');
    const c = countStates(['completed', 'pruned', 'pruned']);
    expect(countsText(c)).toBe('1 done, 2 pruned');
    expect(experimentState(c)).toBe('done');
  });
});

/**
 * What a search found: factor importance (eta squared, checked by hand and on planted effects: the
 * dominant factor ranks first, a factor without effect scores near its chance level), and the best
 * trial per compare variant with its interval and the paired comparison to the runner-up.
 */
import { describe, expect, it } from 'vitest';
import { RandomStream } from '../src/engine/rng/stream.js';
import { etaSquared, factorImportance, groupsOf } from '../src/services/experiments/search/importance.js';
import { searchResults } from '../src/services/experiments/search/results.js';
import { expandExperiment } from '../src/services/experiments/spec/expand.js';
import { validateExperiment } from '../src/services/experiments/spec/validate.js';
import type { ExperimentSpec, RunSummary } from '../src/services/experiments/types.js';
import { spiralSpec } from './helpers/experiments.js';

describe('factor importance', () => {
  it('eta squared by hand', () => {
    // mean 2.5; total sum of squares 5; groups {1,2} and {3,4}: 2 (1.5 - 2.5)^2 + 2 (3.5 - 2.5)^2 = 4.
    expect(
      etaSquared(
        [1, 2, 3, 4],
        [
          [0, 1],
          [2, 3],
        ],
      ),
    ).toBeCloseTo(0.8, 12);
    expect(
      etaSquared(
        [1, 2, 3, 4],
        [
          [0, 3],
          [1, 2],
        ],
      ),
    ).toBeCloseTo(0, 12);
    expect(etaSquared([3, 3, 3], [[0], [1, 2]])).toBeNull();
  });

  it('groups list values by value and numbers in equal-count bins that keep ties together', () => {
    expect(groupsOf(['a', 'b', 'a', 'c'])).toEqual([[0, 2], [1], [3]]);
    const g = groupsOf([5, 1, 4, 2, 3, 6, 7, 8]); // 8 trials: 2 bins
    expect(g).toEqual([
      [1, 3, 4, 2],
      [0, 5, 6, 7],
    ]);
    const ties = groupsOf([1, 1, 1, 1, 1, 2, 3, 4]);
    expect(ties[0]).toEqual([0, 1, 2, 3, 4]);
  });

  it('ranks a planted dominant factor first; a factor without effect stays near chance', () => {
    const rng = new RandomStream(11);
    const trials = Array.from({ length: 40 }, () => {
      const values = { lr: rng.nextFloat(), width: rng.int(8) * 16 + 16, activation: rng.int(2) ? 'relu' : 'tanh' };
      const bySeed = new Map<number, number>();
      for (const seed of [0, 1, 2, 3, 4]) {
        const noise = new RandomStream(1000 * seed + Math.round(values.lr * 1e6)).normal() * 0.05;
        bySeed.set(seed, 3 * (values.lr - 0.3) ** 2 + (values.activation === 'relu' ? 0 : 0.4) + noise);
      }
      return { values, bySeed };
    });
    const ranked = factorImportance(['width', 'activation', 'lr'], trials);
    expect(ranked.map((r) => r.key)).toEqual(['lr', 'activation', 'width']);
    const [lr, , width] = ranked;
    expect(lr.mean).toBeGreaterThan(0.5);
    expect(lr.lower!).toBeGreaterThan(width.upper!);
    expect(lr.seeds).toEqual([0, 1, 2, 3, 4]);
    // width has no effect: its score is noise, of the order of its chance level (4 bins, 40 trials: 3/39).
    expect(width.chance).toBeCloseTo(3 / 39, 12);
    expect(width.mean).toBeLessThan(4 * width.chance);
    for (const r of ranked) expect(r.lower! >= 0 && r.upper! <= 1).toBe(true);
  });
});

describe('search results', () => {
  const spec: ExperimentSpec = validateExperiment(
    spiralSpec('results', {
      seeds: [0, 1, 2],
      search: { method: 'random', trials: 4, space: { lr: { log: [1e-3, 1] } }, objective: { metric: 'best.valLoss', goal: 'min' } },
    }),
    'x.json',
  );
  const { variants, runs } = expandExperiment(spec);
  // valLoss = |log10(lr) + 1.5| + 0.01 * seed (+ 0.5 for tanh); trial 3 of tanh diverged on every seed.
  const summaries = runs.map((r) => {
    const lr = r.variant.factors.lr as number;
    const tanh = r.variant.factors.activation === 'tanh';
    const diverged = tanh && r.variant.factors.trial === 3;
    const loss = Math.abs(Math.log10(lr) + 1.5) + 0.01 * r.seed + (tanh ? 0.5 : 0);
    return {
      runId: r.id,
      variantId: r.variant.id,
      seed: r.seed,
      status: diverged ? 'diverged' : 'completed',
      best: { valLoss: loss },
    } as unknown as RunSummary;
  });

  it('ranks the trials of each compare variant by the objective and compares the best with the runner-up', () => {
    const results = searchResults(spec, variants, summaries)!;
    expect(results.objective).toEqual({ metric: 'best.valLoss', goal: 'min' });
    expect(results.cells.map((c) => c.cell)).toEqual(['activation=relu', 'activation=tanh']);
    for (const cell of results.cells) {
      const lrs = cell.trials.filter((t) => t.objective).map((t) => t.values.lr as number);
      const distance = lrs.map((lr) => Math.abs(Math.log10(lr) + 1.5));
      expect(distance).toEqual([...distance].sort((a, b) => a - b));
      const best = cell.best!;
      expect(best.objective!.n).toBe(3);
      expect(best.objective!.mean).toBeCloseTo(distance[0] + 0.01 + (cell.cell.includes('tanh') ? 0.5 : 0), 12);
      // Every seed shifts both trials equally: the paired difference is exact, no spread.
      expect(cell.bestVsRunnerUp!.mean).toBeCloseTo(distance[0] - distance[1], 12);
      expect(cell.bestVsRunnerUp!.n).toBe(3);
    }
    const tanh = results.cells[1];
    expect(tanh.trials.at(-1)).toMatchObject({ trial: 3, objective: null });
    expect(tanh.trials.filter((t) => t.objective)).toHaveLength(3);
  });

  it('maximizes when the goal is max', () => {
    const max = searchResults(
      { ...spec, search: { ...spec.search!, objective: { metric: 'best.valLoss', goal: 'max' } } },
      variants,
      summaries,
    )!;
    const min = searchResults(spec, variants, summaries)!;
    expect(max.cells[0].best!.trial).toBe(min.cells[0].trials.filter((t) => t.objective).at(-1)!.trial);
  });

  it('is null without a search', () => {
    const { search: _search, ...plain } = spec;
    expect(searchResults(plain, variants, summaries)).toBeNull();
  });
});

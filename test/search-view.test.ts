/**
 * The search as the Compare tab's hyperparameter views receive it (Api `searchView`): each
 * trial's metrics over its healthy seeds (mean, interval bounded to the metric's range, every
 * seed's value), its rank on the objective, its runs' statuses, and the space's axes; checked
 * against hand-planted summaries. And the figures drawn from it (lib/plots/search.ts): positions
 * on log, linear and list axes, error bars that end at the interval, importance with chance.
 */
import { describe, expect, it } from 'vitest';
import { searchView } from '../src/services/experiments/search/search-view.js';
import { expandExperiment } from '../src/services/experiments/spec/expand.js';
import { validateExperiment } from '../src/services/experiments/spec/validate.js';
import type { ExperimentSpec, RunSummary } from '../src/services/experiments/types.js';
import { factorPosition, importanceFigure, parallelFigure, scatterFigure } from '../src/renderer/src/lib/plots/search.js';
import { DEFAULT_TOKENS } from '../src/renderer/src/lib/plots/theme.js';
import { spiralSpec } from './helpers/experiments.js';

const spec: ExperimentSpec = validateExperiment(
  spiralSpec('view', {
    compare: undefined,
    seeds: [0, 1, 2],
    search: {
      method: 'random',
      trials: 5,
      space: { lr: { log: [1e-3, 1] }, activation: ['relu', 'tanh'] },
      objective: { metric: 'best.valAccuracy', goal: 'max' },
    },
  }),
  'x.json',
);
const { variants, runs } = expandExperiment(spec);
// accuracy = 0.9 - 0.1 |log10(lr) + 2| + 0.02 seed; trial 2 diverged on seed 2; trial 4 on every seed.
const acc = (lr: number, seed: number) => 0.9 - 0.1 * Math.abs(Math.log10(lr) + 2) + 0.02 * seed;
const summaries = runs.map((r) => {
  const lr = r.variant.factors.lr as number;
  const trial = r.variant.factors.trial as number;
  const diverged = trial === 4 || (trial === 2 && r.seed === 2);
  return {
    runId: r.id,
    variantId: r.variant.id,
    seed: r.seed,
    status: diverged ? 'diverged' : 'completed',
    best: { valAccuracy: acc(lr, r.seed), valLoss: 1 - acc(lr, r.seed) },
    epochsRun: 8,
    timings: { seconds: 2 },
  } as unknown as RunSummary;
});

describe('the search view', () => {
  const view = searchView(spec, variants, summaries)!;
  const cell = view.cells[0];

  it('gives every trial its metrics over healthy seeds, its rank and its statuses', () => {
    expect(view.objective).toEqual({ metric: 'best.valAccuracy', goal: 'max' });
    expect(view.metrics[0]).toBe('best.valAccuracy');
    expect(view.metrics).toContain('best.valLoss');
    expect(view.axes).toEqual([
      { key: 'lr', kind: 'log', lo: 1e-3, hi: 1, choices: null },
      { key: 'activation', kind: 'choice', lo: null, hi: null, choices: ['relu', 'tanh'] },
    ]);
    expect(cell.cell).toBe('');
    const byTrial = new Map(cell.trials.map((t) => [t.trial, t]));
    const t2 = byTrial.get(2)!;
    const lr2 = t2.values.lr as number;
    expect(t2.metrics['best.valAccuracy'].seeds).toEqual([
      { seed: 0, value: acc(lr2, 0) },
      { seed: 1, value: acc(lr2, 1) },
    ]);
    expect(t2.metrics['best.valAccuracy'].n).toBe(2);
    expect(t2.metrics['best.valAccuracy'].mean).toBeCloseTo((acc(lr2, 0) + acc(lr2, 1)) / 2, 12);
    expect(t2.statuses).toEqual({ completed: 2, diverged: 1 });
    const t4 = byTrial.get(4)!;
    expect(t4.rank).toBeNull();
    expect(t4.metrics).toEqual({});
    // Ranks follow the mean accuracy, highest first, over the 4 trials with a healthy run.
    const ranked = cell.trials.filter((t) => t.rank !== null);
    expect(ranked.map((t) => t.rank)).toEqual([1, 2, 3, 4]);
    const means = ranked.map((t) => t.metrics['best.valAccuracy'].mean);
    expect(means).toEqual([...means].sort((a, b) => b - a));
    expect(cell.best).toBe(ranked[0].variantId);
    expect(cell.runnerUp).toBe(ranked[1].variantId);
  });

  it('bounds every interval to the metric range (accuracy within [0, 1])', () => {
    for (const t of cell.trials)
      for (const [m, x] of Object.entries(t.metrics)) {
        if (x.lower === null) continue;
        expect(x.lower).toBeGreaterThanOrEqual(0);
        if (m.includes('Accuracy')) expect(x.upper!).toBeLessThanOrEqual(1);
        expect(x.lower).toBeLessThanOrEqual(x.mean);
        expect(x.upper!).toBeGreaterThanOrEqual(x.mean);
      }
  });

  it('is null without a search', () => {
    const { search: _s, ...plain } = spec;
    expect(searchView(plain, variants, summaries)).toBeNull();
  });

  it('places values on log, linear and list axes as computed by hand', () => {
    const log = { key: 'lr', kind: 'log' as const, lo: 1e-3, hi: 1, choices: null };
    expect(factorPosition(log, 1e-3)).toBe(0);
    expect(factorPosition(log, 1)).toBe(1);
    expect(factorPosition(log, 0.01)).toBeCloseTo(1 / 3, 12);
    expect(factorPosition({ key: 'w', kind: 'int', lo: 10, hi: 20, choices: null }, 15)).toBeCloseTo(0.5, 12);
    const list = { key: 'a', kind: 'choice' as const, lo: null, hi: null, choices: ['relu', 'tanh', 'elu'] };
    expect([factorPosition(list, 'relu'), factorPosition(list, 'tanh'), factorPosition(list, 'elu')]).toEqual([0, 0.5, 1]);
    expect(factorPosition(list, 'gelu')).toBeNull();
  });

  it('draws parallel coordinates: one line per trial, or per seed, best on top', () => {
    const t = DEFAULT_TOKENS.light;
    const fmt = (_m: string, v: number) => v.toFixed(3);
    const means = parallelFigure(view, cell, ['best.valAccuracy'], false, t, fmt);
    expect(means.axes.map((a) => a.key)).toEqual(['lr', 'activation', 'best.valAccuracy']);
    expect(means.lines).toHaveLength(5);
    expect(means.lines.at(-1)!.variantId).toBe(cell.best);
    // The metric axis spans the means: the best trial's mean sits at the top, the worst ranked at the bottom.
    expect(means.lines.at(-1)!.points[2]).toBe(1);
    const worst = cell.trials.find((x) => x.rank === 4)!;
    expect(means.lines.find((l) => l.variantId === worst.variantId)!.points[2]).toBe(0);
    // The trial without a healthy run has no metric position.
    const none = cell.trials.find((x) => x.rank === null)!;
    expect(means.lines.find((l) => l.variantId === none.variantId)!.points[2]).toBeNull();
    const seeds = parallelFigure(view, cell, ['best.valAccuracy'], true, t, fmt);
    expect(seeds.lines).toHaveLength(3 + 3 + 2 + 3); // trial 2 has 2 healthy seeds, trial 4 none
  });

  it('draws the scatter with error bars ending at the interval, and importance with chance', () => {
    const t = DEFAULT_TOKENS.light;
    const fig = scatterFigure(view, cell, 'lr', 'best.valAccuracy', true, t);
    expect((fig.layout.xaxis as { type: string }).type).toBe('log');
    const [seeds, means] = fig.data as Array<Record<string, unknown>>;
    expect((seeds.y as number[]).length).toBe(11);
    const ranked = cell.trials.filter((x) => x.metrics['best.valAccuracy']);
    const err = means.error_y as { array: number[]; arrayminus: number[] };
    ranked.forEach((tr, i) => {
      const m = tr.metrics['best.valAccuracy'];
      expect((means.y as number[])[i] + err.array[i]).toBeCloseTo(m.upper!, 12);
      expect((means.y as number[])[i] - err.arrayminus[i]).toBeCloseTo(m.lower!, 12);
    });
    const imp = importanceFigure(cell, t);
    const [chance, dots] = imp.data as Array<Record<string, unknown>>;
    expect(dots.y).toEqual([...cell.importance].reverse().map((f) => f.key));
    expect(chance.x).toEqual([...cell.importance].reverse().map((f) => f.chance));
    // The app's plotly bundle carries scatter and heatmap only (plotly-bundle.ts).
    for (const f of [fig, imp]) for (const trace of f.data) expect(trace.type).toBe('scatter');
  });
});

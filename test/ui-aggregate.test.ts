/**
 * Learning curves across seeds as the Compare worker computes them (lib/plots/run-records.ts,
 * aggregate.ts), checked against hand computations: records deduplicated in any order, step
 * losses aligned by step, validation at each epoch's last step, the time axis from the epochs'
 * measured seconds, and the statistics module's bounded interval at every point.
 */
import { describe, expect, it } from 'vitest';
import { aggregateVariant, type CurveQuery } from '../src/renderer/src/lib/plots/aggregate.js';
import { addCurveRecords, curvePoints, emptyRunCurves, type CurveRecord } from '../src/renderer/src/lib/plots/run-records.js';
import { meanInterval } from '../src/shared/intervals.js';

const epoch = (e: number, valLoss: number, seconds = 2): CurveRecord => ({
  kind: 'epoch',
  epoch: e,
  trainLoss: 1,
  trainAccuracy: 0.5,
  valLoss,
  valAccuracy: 0.9,
  steps: 2,
  seconds,
});
const step = (s: number, loss: number): CurveRecord => ({ kind: 'step', step: s, loss });

function run(seed: number, losses: number[], vals: number[]) {
  const data = emptyRunCurves();
  addCurveRecords(data, [...losses.map((l, i) => step(i + 1, l)), ...vals.map((v, e) => epoch(e, v))].reverse());
  // The same records again (from the file after a live event): nothing changes.
  expect(addCurveRecords(data, [step(1, losses[0])])).toBe(false);
  return { runId: `r${seed}`, variantId: 'v', seed, data };
}

const query: CurveQuery = { metric: 'loss', x: 'step', roles: ['train', 'val'], seeds: true, smoothing: 0, logY: false, maxPoints: 1000 };

describe('curves across seeds', () => {
  const runs = [run(1, [2, 1.5, 1.2, 1.0], [1.4, 1.1]), run(2, [2.2, 1.7, 1.0, 0.8], [1.6, 0.9])];

  it('puts step losses at their steps and validation at the last step of each epoch', () => {
    expect(curvePoints(runs[0].data, 'loss', 'train', 'step').map((p) => [p.x, p.y])).toEqual([
      [1, 2],
      [2, 1.5],
      [3, 1.2],
      [4, 1.0],
    ]);
    expect(curvePoints(runs[0].data, 'loss', 'val', 'step').map((p) => [p.x, p.y])).toEqual([
      [2, 1.4],
      [4, 1.1],
    ]);
    expect(curvePoints(runs[0].data, 'loss', 'val', 'epoch').map((p) => p.x)).toEqual([1, 2]);
    // Training time: epoch 1 ends at 2 s, epoch 2 at 4 s; steps evenly inside.
    expect(curvePoints(runs[0].data, 'loss', 'train', 'time').map((p) => p.x)).toEqual([1, 2, 3, 4]);
  });

  it('averages seeds per step with the bounded interval and n', () => {
    const v = aggregateVariant(runs, query);
    const train = v.lines.find((l) => l.role === 'train')!.line;
    expect(train.x).toEqual([1, 2, 3, 4]);
    expect(train.mean[0]).toBeCloseTo(2.1, 12);
    const iv = meanInterval([2, 2.2], 'positive');
    expect(train.lower[0]).toBeCloseTo(iv.lower!, 12);
    expect(train.upper[0]).toBeCloseTo(iv.upper!, 12);
    expect(train.lower.every((x) => x > 0)).toBe(true);
    expect(train.n).toEqual([2, 2, 2, 2]);
    expect(v.seedLines.map((s) => `${s.role}:${s.seed}`)).toEqual(['train:1', 'train:2', 'val:1', 'val:2']);
    expect(v.epochEnds).toEqual([2, 4]);
    expect(v.seeds).toBe(2);
  });

  it('keeps an accuracy band inside [0, 1]', () => {
    const a = run(3, [1], [1]);
    const b = run(4, [1], [1]);
    addCurveRecords(a.data, [{ ...(epoch(5, 1) as Extract<CurveRecord, { kind: 'epoch' }>), valAccuracy: 0.99 }]);
    addCurveRecords(b.data, [{ ...(epoch(5, 1) as Extract<CurveRecord, { kind: 'epoch' }>), valAccuracy: 0.5 }]);
    const v = aggregateVariant([a, b], { ...query, metric: 'accuracy', x: 'epoch', roles: ['val'] });
    const line = v.lines[0].line;
    const i = line.x.indexOf(6);
    expect(line.upper[i]).toBeLessThanOrEqual(1);
    expect(line.lower[i]).toBeGreaterThanOrEqual(0);
  });
});

import { describe, expect, it } from 'vitest';
import type { MetricRecord, RunSummary, RunView } from '../src/shared/api.js';
import {
  appendLossRecords,
  emptyLossSeries,
  extent,
  groupRuns,
  runProgress,
  runStatusText,
  runTone,
  sparkPath,
} from '../src/renderer/src/lib/runs.js';
import { bandOf } from '../src/renderer/src/lib/stats.js';

const summary = (over: Partial<RunSummary>): RunSummary =>
  ({ stopReason: '', stoppedEpoch: null, divergedAtStep: null, ...over }) as RunSummary;
const run = (over: Partial<RunView>): RunView => ({
  runId: 'r',
  variantId: 'v',
  seed: 0,
  status: 'queued',
  threads: null,
  epochs: 4,
  damage: null,
  progress: null,
  summary: null,
  hasOnnx: false,
  ...over,
});

describe('run status', () => {
  it('says how a run ended, with 1-based epochs', () => {
    expect(runStatusText(run({ status: 'queued' }))).toBe('queued');
    expect(runStatusText(run({ status: 'running', progress: { epoch: 2, epochs: 10, step: 300, loss: 0.3 } }))).toBe(
      'running, epoch 3 of 10',
    );
    expect(runStatusText(run({ status: 'early_stopped', summary: summary({ stoppedEpoch: 6 }) }))).toBe('stopped early at epoch 7');
    expect(runStatusText(run({ status: 'diverged', summary: summary({ divergedAtStep: 412 }) }))).toBe('diverged at step 412');
    expect(runStatusText(run({ status: 'failed', summary: summary({ stopReason: 'worker crashed' }) }))).toBe('failed: worker crashed');
    expect(runTone('failed')).toBe('bad');
    expect(runTone('running')).toBe('active');
  });

  it('measures progress within the epoch when steps per epoch are known', () => {
    const r = run({ status: 'running', progress: { epoch: 1, epochs: 4, step: 150, loss: null } });
    expect(runProgress(r)).toBe(0.25);
    expect(runProgress(r, 100)).toBeCloseTo(1.5 / 4, 9);
    expect(runProgress(run({ status: 'completed' }))).toBe(1);
    expect(runProgress(run({ status: 'early_stopped', summary: summary({ epochsRun: 2 }) }))).toBe(1);
  });

  it('never draws a run that did not finish as a full bar (issue 13: cancelled and diverged runs did)', () => {
    for (const status of ['diverged', 'cancelled', 'failed'] as const) {
      expect(runProgress(run({ status, summary: summary({ status, epochsRun: 2 }) }))).toBe(0.5);
      expect(runProgress(run({ status, summary: summary({ status, epochsRun: 4 }) }))).toBe(0.75);
      expect(runProgress(run({ status, summary: summary({ status, epochsRun: 0 }) }))).toBe(0);
    }
    expect(runProgress(run({ status: 'incomplete' }))).toBe(0);
    expect(runProgress(run({ status: 'planned' }))).toBe(0);
    expect(runTone('diverged')).toBe('bad');
    expect(runStatusText(run({ status: 'running', threads: 2, progress: { epoch: 0, epochs: 4, step: 1, loss: 1 } }))).toBe(
      'running on 2 workers, epoch 1 of 4',
    );
    expect(runStatusText(run({ status: 'damaged', damage: 'weights.bin is missing' }))).toBe('damaged: weights.bin is missing');
  });

  it('groups runs under their variants, by seed, keeping unknown variants', () => {
    const groups = groupRuns(
      [{ id: 'a', label: 'A', factors: {} }],
      [run({ variantId: 'a', seed: 2 }), run({ variantId: 'a', seed: 0 }), run({ variantId: 'zzz', seed: 0 })],
    );
    expect(groups.map((g) => g.runs.map((r) => r.seed))).toEqual([[0, 2], [0]]);
    expect(groups[1].variant.label).toBe('zzz');
  });
});

describe('sparkline series', () => {
  it('accepts records in any order and only once', () => {
    const s = emptyLossSeries();
    const step = (n: number): MetricRecord => ({ kind: 'step', step: n, epoch: 0, loss: n, gradNorm: 1, clipCoef: 1, lr: 0.1 });
    appendLossRecords(s, [step(50), step(55)]);
    appendLossRecords(s, [step(0), step(5), step(50)]);
    expect(s.train.x).toEqual([0, 5, 50, 55]);
  });

  it('appends step and epoch records once, placing validation at the end of each epoch', () => {
    const s = emptyLossSeries();
    const records: MetricRecord[] = [
      { kind: 'step', step: 0, epoch: 0, loss: 2.3, gradNorm: 1, clipCoef: 1, lr: 0.1 },
      { kind: 'step', step: 9, epoch: 0, loss: 1.1, gradNorm: 1, clipCoef: 1, lr: 0.1 },
      {
        kind: 'epoch',
        epoch: 0,
        lr: 0.1,
        trainLoss: 1.4,
        trainAccuracy: 0.6,
        valLoss: 1.2,
        valAccuracy: 0.6,
        penalty: 0,
        steps: 10,
        seconds: 1,
      },
    ];
    expect(appendLossRecords(s, records)).toBe(true);
    expect(appendLossRecords(s, records)).toBe(false);
    expect(s.train.y).toEqual([2.3, 1.1]);
    expect(s.val).toEqual({ x: [10], y: [1.2] });
  });

  it('draws paths that break at non-finite points', () => {
    const d = sparkPath([0, 1, 2, 3], [1, NaN, 2, 3], { w: 100, h: 20, pad: 0 }, { x: [0, 3], y: [1, 3] });
    expect(d.match(/M/g)).toHaveLength(2);
    expect(d.startsWith('M0.0 20.0')).toBe(true);
    expect(extent([1, NaN, 5], [-2])).toEqual([-2, 5]);
    expect(extent([NaN])).toBeNull();
  });
});

describe('intervals across seeds', () => {
  it('aligns series by x before averaging', () => {
    const b = bandOf([
      { x: [0, 50, 100], y: [1, 2, 3] },
      { x: [0, 50], y: [3, 4] },
    ]);
    expect(b.x).toEqual([0, 50, 100]);
    expect(b.mean).toEqual([2, 3, 3]);
    expect(b.n).toEqual([2, 2, 1]);
    expect(b.lower[2]).toBe(3);
    // Unbounded: Student's t, df = 1 (t(0.975, 1) = tan(0.475 pi)), s = sqrt(2).
    expect(b.upper[0] - 2).toBeCloseTo((Math.tan(Math.PI * 0.475) * Math.SQRT2) / Math.SQRT2, 9);
  });

  it('keeps the band of a fraction in [0, 1] and of a norm above 0 (the bounded methods of the comparison)', () => {
    const fractions = bandOf(
      [
        { x: [0], y: [0.99] },
        { x: [0], y: [0.6] },
        { x: [0], y: [0.98] },
      ],
      'unit',
    );
    expect(fractions.lower[0]).toBeGreaterThan(0);
    expect(fractions.upper[0]).toBeLessThan(1);
    const norms = bandOf(
      [
        { x: [0], y: [0.01] },
        { x: [0], y: [2] },
      ],
      'positive',
    );
    expect(norms.lower[0]).toBeGreaterThan(0);
    // The same values, unbounded: a t-band far below zero.
    expect(
      bandOf([
        { x: [0], y: [0.01] },
        { x: [0], y: [2] },
      ]).lower[0],
    ).toBeLessThan(-10);
  });
});

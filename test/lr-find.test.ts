/**
 * The learning-rate range test against a closed form: full-batch gradient descent on linear
 * regression (MSE, no hidden layer) is gradient descent on a convex quadratic whose Hessian is
 * H = (2/n) A^T A, A = [X 1]. Every error component along an eigenvector of H is multiplied by
 * |1 - lr λ| per step, so the loss falls at every step while lr < 2/λmax and grows once lr passes
 * 2/λmax: the finder's explosion point must lie above 2/λmax (it cannot fire earlier) and close
 * after it. Plus the ramp, the smoothing, the stopping rule and the suggestion by hand.
 */
import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../src/engine/config/validate.js';
import { lrRangeTest } from '../src/engine/train/lr-finder.js';
import { LR_RANGE_DEFAULTS, LrRangeTracker, lrAt, lrRangeProblems } from '../src/engine/train/lr-range.js';
import type { TrainingData } from '../src/engine/train/setup.js';

/** Largest eigenvalue of a symmetric matrix by power iteration (float64). */
function lambdaMax(h: number[][]): number {
  let v = h.map(() => 1);
  let lambda = 0;
  for (let it = 0; it < 2000; it++) {
    const w = h.map((row) => row.reduce((a, x, j) => a + x * v[j], 0));
    const norm = Math.hypot(...w);
    lambda = norm / Math.hypot(...v);
    v = w.map((x) => x / norm);
  }
  return lambda;
}

function regression(n: number): { data: TrainingData; hessian: number[][] } {
  const x = new Float32Array(new SharedArrayBuffer(n * 2 * 4));
  const y = new Float32Array(new SharedArrayBuffer(n * 4));
  for (let i = 0; i < n; i++) {
    x[2 * i] = 3 * Math.sin(1.3 * i + 0.2); // scales 3 and 0.5: an elongated bowl
    x[2 * i + 1] = 0.5 * Math.cos(0.7 * i);
    y[i] = 1.5 * x[2 * i] - 2 * x[2 * i + 1] + 0.3 + 0.1 * Math.sin(5.1 * i);
  }
  const a = Array.from({ length: n }, (_, i) => [x[2 * i], x[2 * i + 1], 1]);
  const hessian = [0, 1, 2].map((p) => [0, 1, 2].map((q) => (2 / n) * a.reduce((s, row) => s + row[p] * row[q], 0)));
  const all = Int32Array.from({ length: n }, (_, i) => i);
  return {
    data: { features: x, d: 2, labels: null, values: y, width: 1, train: all, validation: new Int32Array(0), test: new Int32Array(0) },
    hessian,
  };
}

const linearConfig = (n: number, optimizer: Record<string, unknown> = { name: 'sgd', lr: 0.1, momentum: 0 }) =>
  validateRunConfig({
    seed: 7,
    model: { inputSize: 2, hidden: [], outputSize: 1, head: 'linear', init: { weights: 'glorot_uniform', bias: 'zeros' } },
    train: { epochs: 1, batchSize: n, optimizer },
  });

describe('learning-rate range test', () => {
  it('finds the closed-form divergence rate 2/λmax of a quadratic: the loss turns up and explodes just past it', () => {
    const n = 64;
    const { data, hessian } = regression(n);
    const critical = 2 / lambdaMax(hessian);
    // A coarse ramp from 0.75 x 2/λmax (so the top component is not wiped out near lr = 1/λmax
    // before the crossing), rising 9.3% a step, raw losses (beta 0).
    const o = { ...LR_RANGE_DEFAULTS, start: 0.75 * critical, end: 10 * critical, steps: 30, beta: 0 };
    const r = lrRangeTest(linearConfig(n), data, o);
    const ratio = lrAt(o, 1) / lrAt(o, 0);
    // Every step below 2/λmax lowers the loss; the first that raises it is at most 2 steps past it.
    const rise = r.points.find((p, i) => i > 0 && p.loss > r.points[i - 1].loss)!;
    expect(rise.lr).toBeGreaterThan(critical);
    expect(rise.lr).toBeLessThanOrEqual(critical * ratio ** 2);
    // The explosion (4x the lowest loss) follows within 6 steps of the crossing (|1 - lr λ| grows each step).
    expect(r.explosionLr!).toBeGreaterThan(critical);
    expect(r.explosionLr!).toBeLessThanOrEqual(critical * ratio ** 6);
    expect(r.stopReason).toMatch(/exceeded 4 x its lowest value/);
  });

  it('with the default smoothing on a long ramp, never explodes before 2/λmax and suggests a rate below it', () => {
    const n = 64;
    const { data, hessian } = regression(n);
    const critical = 2 / lambdaMax(hessian);
    const r = lrRangeTest(linearConfig(n), data, { ...LR_RANGE_DEFAULTS, start: 1e-4, end: 10, steps: 400 });
    // Below 2/λmax the raw loss never rises (up to float32 rounding of the sum at the noise floor).
    const below = r.points.filter((p) => p.lr < critical);
    for (let i = 1; i < below.length; i++) expect(below[i].loss).toBeLessThanOrEqual(below[i - 1].loss * (1 + 1e-5));
    // The smoothed loss lags the raw one and the top component regrows from float32 rounding, so
    // the explosion comes later than on the coarse ramp; never before the closed-form rate.
    expect(r.explosionLr!).toBeGreaterThan(critical);
    expect(r.suggestion!.rule).toBe('minimum/10');
    expect(r.suggestion!.lr).toBeLessThan(critical);
    expect(r.steepest!).toBeLessThan(critical);
  });

  it('is deterministic from the seed', () => {
    const { data } = regression(48);
    const a = lrRangeTest(linearConfig(16), data, { ...LR_RANGE_DEFAULTS, steps: 60 });
    const b = lrRangeTest(linearConfig(16), data, { ...LR_RANGE_DEFAULTS, steps: 60 });
    expect(a.points).toEqual(b.points);
  });

  it('ramps exponentially from start to end', () => {
    const o = { start: 1e-3, end: 1, steps: 4 };
    expect([0, 1, 2, 3].map((i) => lrAt(o, i))).toEqual([1e-3, 1e-2, 1e-1, 1].map((v, i) => expect.closeTo(v, 15 - i)));
  });

  it('smooths with bias correction, stops at factor x the lowest smoothed loss, and suggests by a named rule', () => {
    const t = new LrRangeTracker({ start: 1, end: 10, steps: 10, factor: 2, beta: 0.5 });
    // Hand computation: a = 0.5 a + 0.5 loss; s = a / (1 - 0.5^k).
    const losses = [8, 4, 2, 1, 40];
    const lrs = [1, 2, 3, 4, 5];
    const expected = [8, 16 / 3, 24 / 7, 32 / 15];
    for (let i = 0; i < 4; i++) expect(t.add(lrs[i], losses[i])).toBe(true);
    t.points.slice(0, 4).forEach((p, i) => expect(p.smoothed).toBeCloseTo(expected[i], 12));
    // a = 0.5 * 2 + 20 = 21, s = 21 / (31/32) = 21.68 > 2 x 32/15 -> stop.
    expect(t.add(lrs[4], losses[4])).toBe(false);
    const r = t.result();
    expect(r.explodedAtStep).toBe(5);
    expect(r.explosionLr).toBe(5);
    expect(r.minimum).toEqual({ lr: 4, smoothed: expect.closeTo(32 / 15, 12) });
    expect(r.minOverTen).toBeCloseTo(0.4, 15);
    // Central slopes per ln(lr) at points 2 and 3 (index 1, 2): (s3 - s1)/ln(3/1), (s4 - s2)/ln(4/2).
    const g1 = (24 / 7 - 8) / Math.log(3); // -4.16
    const g2 = (32 / 15 - 16 / 3) / Math.log(2); // -4.62: steeper, at lr 3
    expect(g2).toBeLessThan(g1);
    expect(r.steepest).toBe(3);
    expect(r.suggestion).toEqual({ lr: expect.closeTo(0.4, 15), rule: 'minimum/10' });
  });

  it('has no steepest point with too few points before the minimum, and stops on a NaN loss', () => {
    const t = new LrRangeTracker({ start: 1, end: 10, steps: 10, factor: 4, beta: 0 });
    t.add(1, 1);
    t.add(2, 2);
    expect(t.add(3, NaN)).toBe(false);
    const r = t.result();
    expect(r.stopReason).toMatch(/the loss became NaN or infinite at step 3/);
    expect(r.suggestion).toEqual({ lr: 0.1, rule: 'minimum/10' });
    expect(r.steepest).toBeNull();
  });

  it('names each bad option', () => {
    expect(lrRangeProblems({ start: 0, end: 1, steps: 3, factor: 1, beta: 1 })).toEqual([
      'start must be a number above 0, got 0',
      'steps must be a whole number from 5 to 100000, got 3',
      'factor must be a number above 1, got 1',
      'beta must be a number in [0, 1), got 1',
    ]);
    expect(lrRangeProblems({ ...LR_RANGE_DEFAULTS, end: 1e-8 })).toEqual(['end must be a number above start (1e-7), got 1e-8']);
  });
});

describe("the Design tab's range-test figure", () => {
  it('plots the smoothed loss on a log rate axis, marks the suggestion and the stop, and caps y at the stop threshold', async () => {
    const { lrFindFigure } = await import('../src/renderer/src/lib/plots/lr-find.js');
    const { DEFAULT_TOKENS } = await import('../src/renderer/src/lib/plots/theme.js');
    const t = new LrRangeTracker({ ...LR_RANGE_DEFAULTS, steps: 20, beta: 0 });
    for (const loss of [2, 1.5, 1, 0.8, 0.5, 0.6, 1.2, 2.5]) t.add(lrAt(t.options, t.points.length), loss);
    const r = t.result();
    const fig = lrFindFigure(
      { seed: 1, kernels: 'naive', trainRows: 10, variants: [{ variantId: 'base', label: 'base', result: r }] },
      DEFAULT_TOKENS.light,
    );
    expect((fig.layout.xaxis as { type: string }).type).toBe('log');
    expect((fig.layout.yaxis as { range: number[] }).range).toEqual([0, expect.closeTo(4 * 0.5 * 1.05, 12)]);
    const shapes = fig.layout.shapes as Array<{ x0: number; line: { dash: string } }>;
    expect(shapes.map((s) => [s.x0, s.line.dash])).toEqual([
      [r.suggestion!.lr, 'dash'],
      [r.explosionLr, 'dot'],
    ]);
    expect(fig.data[1].y).toEqual(r.points.map((p) => p.smoothed));
  });
});

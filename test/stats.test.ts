/**
 * Statistics over seeds against values computed by hand from the textbook formulas. Student t
 * quantiles and tail probabilities for small degrees of freedom have closed forms, used here as
 * the independent reference (jstat computes them through the incomplete beta function):
 *   df = 1 (Cauchy): F(t) = 1/2 + atan(t) / pi,            t_p = tan(pi (p - 1/2))
 *   df = 2:          F(t) = 1/2 + t / (2 sqrt(2 + t^2)),   t_p = a sqrt(2 / (1 - a^2)), a = 2p - 1
 *   df = 4:          F(t) = 1/2 + (3/8) u (1 - t^2 / (12 (1 + t^2/4))), u = t / sqrt(1 + t^2/4)
 * and t(0.975, 4) = 2.776445105197793 from the tables.
 */
import { describe, expect, it } from 'vitest';
import { curveBand, pairedDifference, summarize, summaryMetric, tCritical, valuesBySeed } from '../src/services/experiments/stats.js';
import type { RunSummary } from '../src/services/experiments/types.js';

const T975_DF1 = Math.tan(Math.PI * 0.475); // 12.706204736174698
const T975_DF2 = 0.95 * Math.sqrt(2 / (1 - 0.95 ** 2)); // 4.302652729749463
const T975_DF4 = 2.776445105197793;
const cdfDf4 = (t: number) => 0.5 + (3 / 8) * (t / Math.sqrt(1 + (t * t) / 4)) * (1 - (t * t) / (12 * (1 + (t * t) / 4)));

describe('t quantiles', () => {
  it('match the closed forms and the tables (jstat inverts the incomplete beta to ~1e-8)', () => {
    expect(tCritical(0.95, 1)).toBeCloseTo(T975_DF1, 7);
    expect(tCritical(0.95, 2)).toBeCloseTo(T975_DF2, 7);
    expect(tCritical(0.95, 4)).toBeCloseTo(T975_DF4, 7);
    expect(tCritical(0.95, 4)).toBeCloseTo(2.776445105, 7);
    // 90% two-sided with df = 2: p = 0.95, a = 0.9.
    expect(tCritical(0.9, 2)).toBeCloseTo(0.9 * Math.sqrt(2 / (1 - 0.81)), 7);
  });
});

describe('summarize (one metric over seeds)', () => {
  it('gives the mean, the sample standard deviation and the t-interval', () => {
    const s = summarize([1, 2, 3, 4, 5]);
    // mean 3; s^2 = (4 + 1 + 0 + 1 + 4) / 4 = 2.5; half width = t(0.975, 4) * sqrt(2.5) / sqrt(5).
    const half = T975_DF4 * Math.sqrt(2.5 / 5); // 1.963243...
    expect(s.n).toBe(5);
    expect(s.mean).toBeCloseTo(3, 12);
    expect(s.std).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(s.ci!.lower).toBeCloseTo(3 - half, 7);
    expect(s.ci!.upper).toBeCloseTo(3 + half, 7);
    expect(half).toBeCloseTo(1.9632432, 6);
    expect(s.note).toBeNull();
  });

  it('has no spread and no interval for one seed, and says so', () => {
    const s = summarize([0.42]);
    expect(s).toMatchObject({ n: 1, mean: 0.42, std: null, ci: null });
    expect(s.note).toMatch(/n = 1/);
  });

  it('reports no values as n = 0 with a null mean', () => {
    expect(summarize([])).toMatchObject({ n: 0, mean: null, std: null, ci: null });
  });

  it('leaves out non-finite values (diverged runs) and counts them in the note', () => {
    const s = summarize([1, Number.NaN, 3, Number.POSITIVE_INFINITY]);
    expect(s.n).toBe(2);
    expect(s.mean).toBe(2);
    // df = 1: half width = t(0.975, 1) * sqrt(2) / sqrt(2).
    expect(s.ci!.upper - 2).toBeCloseTo(T975_DF1, 6);
    expect(s.note).toMatch(/2 of 4 values are not finite/);
  });

  it('uses the requested confidence level', () => {
    const s = summarize([1, 2, 3], 0.9);
    // mean 2, s = 1, df = 2, 90%: a = 0.9.
    expect(s.ci!.upper - 2).toBeCloseTo((0.9 * Math.sqrt(2 / 0.19)) / Math.sqrt(3), 7);
    expect(s.level).toBe(0.9);
  });
});

describe('paired differences against the baseline', () => {
  // Baseline and variant share seeds 0..4; seed 5 only ran for the baseline, seed 7 only for the variant.
  const baseline = new Map([
    [0, 10],
    [1, 11],
    [2, 12],
    [3, 13],
    [4, 14],
    [5, 99],
  ]);
  const variant = new Map([
    [4, 17],
    [0, 10.5],
    [1, 12],
    [2, 13.5],
    [3, 15],
    [7, 1],
  ]);

  it('pairs by seed, only seeds present in both, and tests the mean difference', () => {
    const p = pairedDifference(baseline, variant);
    expect(p.seeds).toEqual([0, 1, 2, 3, 4]);
    // d = [0.5, 1, 1.5, 2, 3]: mean 1.6, s^2 = (1.21 + 0.36 + 0.01 + 0.16 + 1.96) / 4 = 0.925.
    const sd = Math.sqrt(0.925);
    const t = 1.6 / (sd / Math.sqrt(5)); // 3.7199244398...
    expect(p.n).toBe(5);
    expect(p.mean).toBeCloseTo(1.6, 12);
    expect(p.std).toBeCloseTo(sd, 12);
    expect(p.t).toBeCloseTo(t, 10);
    expect(p.t).toBeCloseTo(3.7199244398, 8);
    expect(p.df).toBe(4);
    expect(p.pValue).toBeCloseTo(2 * (1 - cdfDf4(t)), 8);
    expect(p.pValue).toBeCloseTo(0.0204758744, 8);
    const half = T975_DF4 * (sd / Math.sqrt(5));
    expect(p.ci!.lower).toBeCloseTo(1.6 - half, 7);
    expect(p.ci!.upper).toBeCloseTo(1.6 + half, 7);
    expect(p.note).toMatch(/2 runs have no partner/);
  });

  it('gives p = 1 and a zero-width interval when a variant equals the baseline seed by seed', () => {
    const p = pairedDifference(baseline, baseline);
    expect(p).toMatchObject({ mean: 0, std: 0, t: 0, pValue: 1, ci: { lower: 0, upper: 0 } });
  });

  it('has no test with a single pair, and says so', () => {
    const p = pairedDifference(new Map([[3, 1]]), new Map([[3, 2]]));
    expect(p).toMatchObject({ n: 1, mean: 1, ci: null, t: null, pValue: null });
    expect(p.note).toMatch(/n = 1/);
  });

  it('drops pairs with a diverged value', () => {
    const p = pairedDifference(
      new Map([
        [0, 1],
        [1, 1],
        [2, 1],
      ]),
      new Map([
        [0, 2],
        [1, Number.NaN],
        [2, 4],
      ]),
    );
    expect(p.seeds).toEqual([0, 2]);
    expect(p.mean).toBe(2);
    expect(p.note).toMatch(/1 pairs have a non-finite value/);
  });
});

describe('curve bands over seeds', () => {
  it('averages at each x the curves present there and counts them (early-stopped runs end early)', () => {
    const band = curveBand([
      [
        { x: 3, y: 0.5 },
        { x: 0, y: 1 },
        { x: 1, y: 0.8 },
        { x: 2, y: 0.6 },
      ],
      [
        { x: 0, y: 2 },
        { x: 1, y: 1.6 },
        { x: 2, y: 1.0 },
      ],
      [
        { x: 0, y: 3 },
        { x: 1, y: 2.4 },
        { x: 1, y: 2.4 }, // a repeated x counts once (the last)
      ],
    ]);
    expect(band.map((p) => [p.x, p.n])).toEqual([
      [0, 3],
      [1, 3],
      [2, 2],
      [3, 1],
    ]);
    // x = 0: [1, 2, 3], mean 2, s = 1, df = 2.
    expect(band[0].mean).toBeCloseTo(2, 12);
    expect(band[0].upper! - 2).toBeCloseTo(T975_DF2 / Math.sqrt(3), 7);
    // x = 1: [0.8, 1.6, 2.4], mean 1.6, s = 0.8.
    expect(band[1].lower!).toBeCloseTo(1.6 - (T975_DF2 * 0.8) / Math.sqrt(3), 7);
    // x = 2: [0.6, 1.0], mean 0.8, s = sqrt(0.08), df = 1.
    expect(band[2].mean).toBeCloseTo(0.8, 12);
    expect(band[2].upper!).toBeCloseTo(0.8 + (T975_DF1 * Math.sqrt(0.08)) / Math.sqrt(2), 6);
    // x = 3: only one seed left: a mean without a band.
    expect(band[3]).toEqual({ x: 3, n: 1, mean: 0.5, lower: null, upper: null });
  });

  it('skips non-finite points', () => {
    const band = curveBand([[{ x: 0, y: Number.NaN }], [{ x: 0, y: 1 }]]);
    expect(band).toEqual([{ x: 0, n: 1, mean: 1, lower: null, upper: null }]);
  });
});

describe('metrics of run summaries', () => {
  const epoch = (valLoss: number) => ({
    epoch: 3,
    lr: 0.1,
    trainLoss: 0.5,
    trainAccuracy: 0.9,
    valLoss,
    valAccuracy: 0.8,
    penalty: 0,
    steps: 10,
    seconds: 1,
  });
  const summary = (variantId: string, seed: number, valLoss: number): RunSummary => ({
    runId: `${variantId}-s${seed}`,
    variantId,
    seed,
    status: 'completed',
    stopReason: 'max epochs',
    epochsRun: 4,
    steps: 40,
    bestEpoch: 3,
    stoppedEpoch: null,
    restoredBestWeights: false,
    divergedAtStep: null,
    final: epoch(valLoss),
    best: epoch(valLoss - 0.1),
    test: { loss: 0.7, accuracy: null, n: 100 },
    timings: { startedAt: '', finishedAt: '', seconds: 2, samplesPerSec: 1000 },
    weightsSha256: null,
    kernels: 'naive',
    threads: 1,
    engineVersion: '0.1.0',
  });

  it('reads a named metric and groups values by variant and seed', () => {
    const runs = [summary('a', 0, 1), summary('a', 1, 2), summary('b', 0, 3)];
    expect(summaryMetric(runs[0], 'best.valLoss')).toBeCloseTo(0.9, 12);
    expect(summaryMetric(runs[0], 'test.accuracy')).toBeNull();
    expect(summaryMetric(runs[0], 'seconds')).toBe(2);
    const by = valuesBySeed(runs, 'final.valLoss');
    expect([...by.get('a')!.entries()]).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(() => valuesBySeed([...runs, summary('b', 0, 4)], 'final.valLoss')).toThrow(/two runs of variant b have seed 0/);
  });
});

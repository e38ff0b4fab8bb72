import { describe, expect, it } from 'vitest';
import { abbaOrder, formatPairedRatio, median, pairedRatio } from '../src/bench/paired.js';
import { meanTeam } from '../src/bench/train.js';

describe('paired ratio estimator of the bench', () => {
  it('takes the median of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(() => median([])).toThrow(/empty/);
  });

  it('divides pair by pair, so a drift that scales both members of a pair cancels', () => {
    // The host runs at speed 1, 1.5, 0.75, 1.2 during the four pairs; B is twice as fast as A.
    const speed = [1, 1.5, 0.75, 1.2];
    const a = speed.map((s) => 100 * s);
    const b = speed.map((s) => 200 * s);
    expect(pairedRatio(b, a)).toEqual({ median: 2, min: 2, max: 2, pairs: 4 });
  });

  it('is not decided by the one fast stretch that a best-of-each estimate divides by', () => {
    // B is twice as fast as A; in the second pair the host sped up (x1.5) during A's run only.
    const a = [100, 150, 75];
    const b = [200, 200, 150];
    expect(pairedRatio(b, a).median).toBe(2);
    // Best of each: 200 / 150.
    expect(Math.max(...b) / Math.max(...a)).toBeCloseTo(4 / 3, 12);
  });

  it("reproduces the lead's team-profile pairs (ratios worked out by hand)", () => {
    const one = [20393, 20664, 26438, 27717, 20411];
    const two = [34296, 39053, 47688, 48064, 41340];
    // 34296/20393 = 1.6818, 39053/20664 = 1.8899, 47688/26438 = 1.8038, 48064/27717 = 1.7341,
    // 41340/20411 = 2.0254: the median is the third pair's.
    const r = pairedRatio(two, one);
    expect(r.median).toBe(47688 / 26438);
    expect(r.min).toBe(34296 / 20393);
    expect(r.max).toBe(41340 / 20411);
    expect(r.pairs).toBe(5);
    expect(formatPairedRatio(r)).toBe('1.80x (1.68-2.03, 5 pairs)');
    expect(formatPairedRatio(pairedRatio([3], [2]))).toBe('1.50x (1.50-1.50, 1 pair)');
  });

  it('keeps one spoiled pair from moving the estimate far', () => {
    // Ratios 1.8, 1.9, 0.5 (a burst of another process in one member), 1.85: median (1.8 + 1.85) / 2.
    const r = pairedRatio([18, 19, 5, 37], [10, 10, 10, 20]);
    expect(r.median).toBeCloseTo(1.825, 12);
    expect(r.min).toBe(0.5);
    expect(r.max).toBe(1.9);
  });

  it('rejects series of different lengths', () => {
    expect(() => pairedRatio([1, 2], [1])).toThrow(/equally long/);
    expect(() => pairedRatio([], [])).toThrow(/non-empty/);
  });

  it('orders the measurements A B, B A, A B: the i-th of each contender adjacent', () => {
    const order = abbaOrder(2, 4)
      .map((o) => 'AB'[o.contender])
      .join('');
    expect(order).toBe('ABBAABBA');
    expect(
      abbaOrder(3, 2)
        .map((o) => 'ABC'[o.contender])
        .join(''),
    ).toBe('ABCCBA');
    expect(abbaOrder(2, 2).map((o) => o.round)).toEqual([0, 0, 1, 1]);
  });

  it("averages the runs' team figures figure by figure", () => {
    const run = (wait: number, slept: number, cpu: number | null) => ({
      barriersPerStep: 3,
      waitUsPerStep: [
        { rows: wait, weights: 10 },
        { rows: 2 * wait, weights: 20 },
      ],
      sleptShare: [slept, 0],
      cpuShare: [cpu, 1],
    });
    expect(meanTeam([run(100, 0.5, 0.9), run(300, 0, 0.7)])).toEqual({
      barriersPerStep: 3,
      waitUsPerStep: [
        { rows: 200, weights: 10 },
        { rows: 400, weights: 20 },
      ],
      sleptShare: [0.25, 0],
      cpuShare: [expect.closeTo(0.8, 12), 1],
    });
    // A thread whose CPU time the OS did not tell in one run has none in the mean.
    expect(meanTeam([run(100, 0, 0.9), run(100, 0, null)])?.cpuShare).toEqual([null, 1]);
    expect(meanTeam([run(100, 0, 0.9), null])).toBeNull();
  });
});

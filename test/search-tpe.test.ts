/**
 * The TPE proposer of search.method "bayes" (search/tpe.ts): deterministic given the observations,
 * and it finds the minima of standard test functions within a stated budget, better than random
 * search with the same budget. Budget: 64 evaluations, 8 Sobol points then 14 batches of 4, over
 * 10 optimizer seeds (Branin's minimum 0.397887, Hartmann-3's -3.86278; Surjanovic & Bingham's
 * Virtual Library of Simulation Experiments).
 */
import { describe, expect, it } from 'vitest';
import { unitPoint } from '../src/services/experiments/search/samplers.js';
import { proposeBatch, type Observation, type TpeDimension } from '../src/services/experiments/search/tpe.js';

/** Branin-Hoo on [-5, 10] x [0, 15]; three global minima of 0.397887. */
function branin(u: number[]): number {
  const [x, y] = [-5 + 15 * u[0], 15 * u[1]];
  const [b, c, t] = [5.1 / (4 * Math.PI ** 2), 5 / Math.PI, 1 / (8 * Math.PI)];
  return (y - b * x * x + c * x - 6) ** 2 + 10 * (1 - t) * Math.cos(x) + 10;
}

/** Hartmann-3 on [0, 1]^3; global minimum -3.86278 at (0.114614, 0.555649, 0.852547). */
function hartmann3(u: number[]): number {
  const A = [
    [3, 10, 30],
    [0.1, 10, 35],
    [3, 10, 30],
    [0.1, 10, 35],
  ];
  const P = [
    [3689, 1170, 2673],
    [4699, 4387, 7470],
    [1091, 8732, 5547],
    [381, 5743, 8828],
  ];
  const alpha = [1, 1.2, 3, 3.2];
  let s = 0;
  for (let i = 0; i < 4; i++) s += alpha[i] * Math.exp(-A[i].reduce((e, a, j) => e + a * (u[j] - P[i][j] * 1e-4) ** 2, 0));
  return -s;
}

const BUDGET = 64;
const STARTUP = 8;
const BATCH = 4;

function minimize(f: (u: number[]) => number, dims: TpeDimension[], seed: number, method: 'bayes' | 'random'): number {
  const obs: Observation[] = [];
  for (let k = 0; k < STARTUP; k++) {
    const u = unitPoint('sobol', seed, k, dims.length);
    obs.push({ u, y: f(u) });
  }
  for (let round = 0; obs.length < BUDGET; round++) {
    const batch =
      method === 'bayes'
        ? proposeBatch(obs, dims, BATCH, seed, round)
        : Array.from({ length: BATCH }, (_, j) => unitPoint('random', seed, obs.length + j, dims.length));
    for (const u of batch) obs.push({ u, y: f(u) });
  }
  return Math.min(...obs.map((o) => o.y!));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const numbers = (d: number): TpeDimension[] => Array.from({ length: d }, () => ({ kind: 'number' }));
const SEEDS = Array.from({ length: 10 }, (_, i) => i);

describe('TPE', () => {
  it('proposes the same batch from the same observations, another from another round or seed', () => {
    const obs = Array.from({ length: 12 }, (_, k) => {
      const u = unitPoint('random', 3, k, 3);
      return { u, y: hartmann3(u) };
    });
    const a = proposeBatch(obs, numbers(3), 4, 0, 2);
    expect(proposeBatch(structuredClone(obs), numbers(3), 4, 0, 2)).toEqual(a);
    expect(proposeBatch(obs, numbers(3), 4, 0, 3)).not.toEqual(a);
    expect(proposeBatch(obs, numbers(3), 4, 1, 2)).not.toEqual(a);
    // The batch is diverse: the constant liar pushes each proposal away from the ones before it.
    expect(new Set(a.map((u) => u.join())).size).toBe(4);
    for (const u of a) for (const x of u) expect(x >= 0 && x < 1).toBe(true);
  });

  it(`finds Branin's minimum within ${BUDGET} evaluations, better than random search`, () => {
    const tpe = SEEDS.map((s) => minimize(branin, numbers(2), s, 'bayes'));
    const random = SEEDS.map((s) => minimize(branin, numbers(2), s, 'random'));
    expect(median(tpe)).toBeLessThan(0.45); // within 0.05 of 0.397887
    expect(Math.max(...tpe)).toBeLessThan(1);
    expect(median(tpe)).toBeLessThan(median(random));
  });

  it(`finds Hartmann-3's minimum within ${BUDGET} evaluations, better than random search`, () => {
    const tpe = SEEDS.map((s) => minimize(hartmann3, numbers(3), s, 'bayes'));
    const random = SEEDS.map((s) => minimize(hartmann3, numbers(3), s, 'random'));
    expect(median(tpe)).toBeLessThan(-3.75); // within 0.11 of -3.86278
    expect(median(tpe)).toBeLessThan(median(random));
  });

  it('finds the right value of a list factor together with a number', () => {
    // Minimum 0 at choice 2 of 4 and x = 0.7; every other choice costs at least 0.5.
    const f = (u: number[]) => (Math.floor(u[0] * 4) === 2 ? 0 : 0.5) + (u[1] - 0.7) ** 2;
    const dims: TpeDimension[] = [{ kind: 'choice', k: 4 }, { kind: 'number' }];
    for (const seed of SEEDS) expect(minimize(f, dims, seed, 'bayes')).toBeLessThan(0.001);
  });
});

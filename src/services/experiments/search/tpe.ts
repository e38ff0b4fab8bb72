/**
 * The Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio & Kegl, "Algorithms for
 * hyper-parameter optimization", NeurIPS 2011), in its multivariate form (Falkner, Klein & Hutter,
 * BOHB, ICML 2018; Optuna's `multivariate=True`), proposing the trials of `search.method: "bayes"`.
 * Works in the unit cube of the space (space.ts maps coordinates to values), lower objective better.
 *
 *  1. Sort the observed trials by objective; the best ceil(0.25 n) are "good", the rest "bad"
 *     (a trial without a result counts as bad).
 *  2. l(x) and g(x): kernel densities over the good and the bad trials, each a mixture of one
 *     product kernel per trial plus the uniform prior, with equal weights. A number dimension's
 *     kernel is a normal centred on the trial's coordinate, truncated to [0, 1], bandwidth
 *     h = 0.2 n^(-1/(d + 4)) for n trials in the group and d dimensions, at least 1/min(100, n + 1)
 *     (Optuna's multivariate rule). A list dimension with k values keeps the trial's value with
 *     probability 1 - e and takes each other one with e/(k - 1), e = 0.25 (Aitchison-Aitken).
 *  3. Draw 24 candidates from l (a component at random, then each coordinate from its kernel) and
 *     propose the one with the largest l(x) / g(x), the expected improvement's maximizer under the
 *     TPE model.
 *  4. A batch of B proposals: after each one is chosen it joins the bad group as a pending trial
 *     ("constant liar", worst value), so the next proposal looks elsewhere.
 *
 * Deterministic: the candidates come from the engine's seeded stream (seed, search, 3, round,
 * slot), so the same observations give the same proposals on every machine. Pure.
 */
import { Purpose, RandomStream, stream } from '../../../engine/index.js';

/** A dimension as TPE sees it: a number coordinate, or one of k values. */
export type TpeDimension = { kind: 'number' } | { kind: 'choice'; k: number };

export interface Observation {
  /** Unit coordinates of the trial. */
  u: number[];
  /** Objective, lower is better; null when the trial has no result (counts as bad). */
  y: number | null;
}

export const TPE_GAMMA = 0.25;
export const TPE_CANDIDATES = 24;
const CHOICE_EPSILON = 0.25;
const TPE_KEY = 3;

interface Density {
  points: number[][];
  bandwidth: number[];
}

/** Proposes `batch` trials (unit coordinates) from the observations; `round` keys the stream. */
export function proposeBatch(
  observations: readonly Observation[],
  dims: readonly TpeDimension[],
  batch: number,
  seed: number,
  round: number,
): number[][] {
  const sorted = observations
    .map((o, i) => ({ o, i }))
    .sort((a, b) => rank(a.o.y) - rank(b.o.y) || a.i - b.i)
    .map((x) => x.o);
  const nGood = Math.max(1, Math.ceil(TPE_GAMMA * sorted.filter((o) => o.y !== null).length));
  const good = sorted
    .slice(0, nGood)
    .filter((o) => o.y !== null)
    .map((o) => o.u);
  const bad = sorted.slice(good.length).map((o) => o.u);
  const l = density(good, dims);
  const proposals: number[][] = [];
  for (let slot = 0; slot < batch; slot++) {
    const g = density([...bad, ...proposals], dims);
    const rng = stream(seed, Purpose.search, TPE_KEY, round, slot);
    let best: number[] | null = null;
    let bestScore = -Infinity;
    for (let c = 0; c < TPE_CANDIDATES; c++) {
      const x = sample(l, dims, rng);
      const score = logDensity(l, dims, x) - logDensity(g, dims, x);
      if (score > bestScore) [best, bestScore] = [x, score];
    }
    proposals.push(best!);
  }
  return proposals;
}

function rank(y: number | null): number {
  return y === null || !Number.isFinite(y) ? Infinity : y;
}

function density(points: number[][], dims: readonly TpeDimension[]): Density {
  const n = points.length;
  const h = Math.max(0.2 * Math.max(1, n) ** (-1 / (dims.length + 4)), 1 / Math.min(100, n + 1));
  return { points, bandwidth: dims.map(() => h) };
}

/** log of (prior + sum of the points' product kernels) / (points + 1). */
function logDensity(f: Density, dims: readonly TpeDimension[], x: number[]): number {
  let sum = 1; // the uniform prior's density on the unit cube
  for (const p of f.points) {
    let k = 1;
    for (let d = 0; d < dims.length; d++) k *= kernel(dims[d], p[d], x[d], f.bandwidth[d]);
    sum += k;
  }
  return Math.log(sum / (f.points.length + 1));
}

function kernel(dim: TpeDimension, centre: number, x: number, h: number): number {
  if (dim.kind === 'choice') {
    const same = category(centre, dim.k) === category(x, dim.k);
    // Densities in u: each value owns a cell of width 1/k.
    return dim.k === 1 ? 1 : (same ? 1 - CHOICE_EPSILON : CHOICE_EPSILON / (dim.k - 1)) * dim.k;
  }
  const z = (x - centre) / h;
  const mass = normalCdf((1 - centre) / h) - normalCdf(-centre / h);
  return Math.exp(-0.5 * z * z) / (h * Math.sqrt(2 * Math.PI) * mass);
}

function sample(f: Density, dims: readonly TpeDimension[], rng: RandomStream): number[] {
  const which = rng.int(f.points.length + 1);
  if (which === f.points.length) return dims.map(() => rng.nextFloat());
  const centre = f.points[which];
  return dims.map((dim, d) => {
    if (dim.kind === 'choice') {
      const own = category(centre[d], dim.k);
      let c = own;
      if (dim.k > 1 && rng.nextFloat() < CHOICE_EPSILON) {
        c = rng.int(dim.k - 1);
        if (c >= own) c++;
      }
      return (c + 0.5) / dim.k;
    }
    for (let tries = 0; tries < 100; tries++) {
      const x = centre[d] + f.bandwidth[d] * rng.normal();
      if (x >= 0 && x < 1) return x;
    }
    return Math.min(1 - 2 ** -53, Math.max(0, centre[d]));
  });
}

function category(u: number, k: number): number {
  return Math.min(k - 1, Math.floor(u * k));
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 through erf; absolute error below 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/**
 * The worker pool's scheduling policy: how many workers one run gets, given how many runs will
 * train at the same time. Decided by measurement (`npm run bench -- --only scheduling`, recorded in
 * BENCHMARKS.md), on 2 workers:
 *
 *  - With at least as many runs as workers, one worker per run (runs-per-worker) is never slower:
 *    equal for the reference MLP 784-512-512-10 at batch 128, 5x faster for a 2-32-32-3 spiral
 *    whose steps are too small to amortize a team's barriers.
 *  - A run with workers to spare (a single run, or the last runs of an experiment) gets a team of
 *    free / concurrent workers only when a training step is large enough for a team to win: the
 *    reference MLP (411 MFLOP per step) trains 1.1-1.7x faster on 2 workers, the spiral (0.23
 *    MFLOP per step) 4.5x slower; TEAM_MIN_FLOPS_PER_STEP sits between them.
 *
 * A run's result never depends on its team size (src/engine/README.md, determinism). Pure; main
 * thread.
 */
import type { ResolvedRunConfig } from '../config/defaults.js';

/** Training FLOPs per step below which a run trains faster on one worker than on a team. */
export const TEAM_MIN_FLOPS_PER_STEP = 1e7;

/**
 * FLOPs of one training step, counting the matrix products only: per sample and linear layer
 * 2 in·out forward, 2 in·out for the weight gradient and 2 in·out for the input gradient; the
 * same for each residual projection P (projectionProducts).
 */
export function trainingFlopsPerStep(config: ResolvedRunConfig): number {
  const widths = [config.model.inputSize, ...config.model.hidden.map((h) => h.width), config.model.outputSize];
  let products = 0;
  for (let l = 1; l < widths.length; l++) products += widths[l - 1] * widths[l];
  return 6 * (products + projectionProducts(config)) * config.train.batchSize;
}

/**
 * in·width summed over the residual layers whose width differs from their input's: each has a
 * learned projection P (width x in, no bias) that trains like a linear layer (P x forward, dP and
 * the input gradient backward). Also its parameter count.
 */
export function projectionProducts(config: ResolvedRunConfig): number {
  let total = 0;
  let prev = config.model.inputSize;
  for (const h of config.model.hidden) {
    if (h.residual && h.width !== prev) total += prev * h.width;
    prev = h.width;
  }
  return total;
}

/**
 * Workers for one run when `concurrentRuns` runs (this one included) will train at once on a pool
 * of `workers`: one each while they are at least as many as the workers or the run is small, else
 * an equal share of the workers.
 */
export function workersForRun(o: { workers: number; concurrentRuns: number; config: ResolvedRunConfig }): number {
  const runs = Math.max(1, o.concurrentRuns);
  if (runs >= o.workers || trainingFlopsPerStep(o.config) < TEAM_MIN_FLOPS_PER_STEP) return 1;
  return Math.max(1, Math.floor(o.workers / runs));
}

/**
 * The trials of an experiment's `search` as one more factor of the variant grid, before the compare
 * factors (so it varies slowest: trial 1 of every compare variant, then trial 2...; each with every
 * seed). Its variant id part is "trial=<k>" (1-based), its label "trial k (lr 0.0123, weightDecay 0.0004)",
 * and the variant's factors hold the trial number and each drawn value under its key.
 *
 *   random, sobol  trial k is unitPoint(method, seed, k - 1, d) (samplers.ts) mapped through the
 *                  space (space.ts); every compare variant runs the same points, so trials pair
 *                  across variants as seeds do. A function of the file alone; with `halving` they
 *                  are revealed in rounds (startup, then batch) as bayes trials are.
 *   bayes          the first `startup` trials are the sobol ones; then, round after round, `batch`
 *                  more trials per compare variant proposed by TPE (tpe.ts) from that variant's
 *                  trials so far, each trial's objective the mean over its seeds (goal max negated;
 *                  a trial with a seed that did not end healthy counts as bad). A round is proposed
 *                  only once every run of every earlier trial (of every compare variant) has
 *                  finished, from those results only: the trials are a function of the file and the
 *                  finished runs, so a resumed run re-proposes exactly what it proposed before.
 *                  Without results (validation) only the startup trials exist.
 * Pure; same spec and results, same trials.
 */
import type { SearchSpec } from '../types.js';
import type { FieldIssue } from '../spec/errors.js';
import type { GridFactor } from '../spec/grid.js';
import { unitPoint } from './samplers.js';
import { levelOf, readSpace, valueAt, type Dimension } from './space.js';
import { proposeBatch, type Observation, type TpeDimension } from './tpe.js';

export const TRIAL_KEY = 'trial';
export const DEFAULT_OBJECTIVE = { metric: 'best.valLoss', goal: 'min' } as const;
export const DEFAULT_BATCH = 4;
export const DEFAULT_STARTUP = 8;

/**
 * Finished runs by variant id, then seed: the objective of a run that ended healthy, null for one
 * that finished otherwise (diverged, failed). Runs not finished are absent.
 */
export type Observed = ReadonlyMap<string, ReadonlyMap<number, number | null>>;

/** What bayes needs to know about the grid: the compare variants' ids and the seeds. */
export interface SearchContext {
  cells: string[];
  seeds: number[];
  observed?: Observed;
}

/** The variant id of trial k (1-based) in a compare variant ("" without compare). */
export function trialVariantId(cell: string, k: number): string {
  return cell ? `${TRIAL_KEY}=${k},${cell}` : `${TRIAL_KEY}=${k}`;
}

/** The compare variant part of a trial's variant id ("trial=3,activation=relu" -> "activation=relu"). */
export function cellOf(variantId: string): string {
  return variantId.replace(new RegExp(`^${TRIAL_KEY}=\\d+(,|$)`), '');
}

/**
 * Reads `search` into the trial factor. `search` itself is assumed schema-checked (method, trials,
 * seed); its space is checked here, every problem reported at its path. Without `search`: no factor.
 */
export function readSearch(
  search: unknown,
  compareKeys: readonly string[],
  context: SearchContext,
): { factor: GridFactor | null; issues: FieldIssue[] } {
  if (search === undefined) return { factor: null, issues: [] };
  const spec = search as SearchSpec;
  const { dims, issues } = readSpace(spec.space, compareKeys);
  if (spec.method !== 'bayes' && !spec.halving)
    for (const field of ['batch', 'startup'] as const)
      if (spec[field] !== undefined)
        issues.push({
          path: `search.${field}`,
          message: `is only for method "bayes" or a search with "halving", not "${spec.method}" without it`,
        });
  if (issues.length > 0) return { factor: null, issues };
  const byCell = spec.method === 'bayes' ? bayesTrials(spec, dims, context) : null;
  const shared = byCell
    ? null
    : Array.from({ length: revealedTrials(spec, context) }, (_, k) =>
        unitPoint(spec.method as 'random' | 'sobol', spec.seed ?? 0, k, dims.length),
      );
  const cells = (byCell ?? [shared!]).map((units) => trialLevels(units, dims));
  return {
    factor: {
      key: TRIAL_KEY,
      values: cells[0].values,
      levels: cells[0].levels,
      byCell: byCell ? cells : undefined,
      plannedLevels: spec.trials,
      spread: true,
      path: 'search.space',
    },
    issues: [],
  };
}

function trialLevels(units: number[][], dims: Dimension[]): { values: unknown[]; levels: GridFactor['levels'] } {
  const points = units.map((u) => Object.fromEntries(dims.map((d, i) => [d.key, valueAt(d, u[i])])));
  const levels = points.map((point, k) => {
    const parts = dims.map((d) => levelOf(d, point[d.key]));
    return {
      text: String(k + 1),
      canonical: `trial-${k + 1}`,
      label: `trial ${k + 1} (${parts.map((p) => p.label).join(', ')})`,
      apply: (config: Parameters<(typeof parts)[number]['apply']>[0]) => {
        for (let i = 0; i < parts.length; i++) {
          const error = parts[i].apply(config);
          if (error) return `${dims[i].key} = ${parts[i].text}: ${error}`;
        }
        return null;
      },
    };
  });
  return { values: points.map((v, k) => ({ [TRIAL_KEY]: k + 1, ...v })), levels };
}

/**
 * How many random or sobol trials are planned: all of them, but with halving (halving.ts) they run
 * in rounds as bayes trials do: the first `startup`, then `batch` more each time every run of the
 * trials so far has finished (the points are the same, only revealed round by round).
 */
function revealedTrials(spec: SearchSpec, context: SearchContext): number {
  if (!spec.halving) return spec.trials;
  const batch = spec.batch ?? DEFAULT_BATCH;
  let n = Math.min(spec.trials, spec.startup ?? DEFAULT_STARTUP);
  const finished = (k: number) =>
    context.cells.every((cell) => {
      const runs = context.observed?.get(trialVariantId(cell, k));
      return runs !== undefined && context.seeds.every((s) => runs.has(s));
    });
  while (n < spec.trials && Array.from({ length: n }, (_, k) => k + 1).every(finished)) n = Math.min(spec.trials, n + batch);
  return n;
}

/** The unit coordinates of every bayes trial known so far, per compare variant (see the file comment). */
function bayesTrials(spec: SearchSpec, dims: Dimension[], context: SearchContext): number[][][] {
  const seed = spec.seed ?? 0;
  const batch = spec.batch ?? DEFAULT_BATCH;
  const startup = Math.min(spec.trials, spec.startup ?? DEFAULT_STARTUP);
  const first = Array.from({ length: startup }, (_, k) => unitPoint('sobol', seed, k, dims.length));
  const trials = context.cells.map(() => first.map((u) => [...u]));
  const sign = (spec.objective ?? DEFAULT_OBJECTIVE).goal === 'max' ? -1 : 1;
  const tpeDims: TpeDimension[] = dims.map((d) => (d.kind === 'choice' ? { kind: 'choice', k: d.choices.length } : { kind: 'number' }));
  const objective = (cell: string, k: number): number | null | undefined => {
    const runs = context.observed?.get(trialVariantId(cell, k + 1));
    if (!runs || !context.seeds.every((s) => runs.has(s))) return undefined; // not finished
    const ys = context.seeds.map((s) => runs.get(s));
    return ys.every((y) => typeof y === 'number' && Number.isFinite(y))
      ? (sign * ys.reduce((a: number, y) => a + y!, 0)) / ys.length
      : null;
  };
  for (let round = 0, n = startup; n < spec.trials; round++, n += batch) {
    const results = context.cells.map((cell) => Array.from({ length: n }, (_, k) => objective(cell, k)));
    if (results.some((ys) => ys.some((y) => y === undefined))) break;
    const size = Math.min(batch, spec.trials - n);
    context.cells.forEach((_, c) => {
      const observations: Observation[] = trials[c].map((u, k) => ({ u, y: results[c][k] as number | null }));
      trials[c].push(...proposeBatch(observations, tpeDims, size, seed, round));
    });
  }
  return trials;
}

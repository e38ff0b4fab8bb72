/**
 * The trials of an experiment's `search` as one more factor of the variant grid, after the compare
 * factors (so it varies fastest: every compare variant runs trial 1, 2, ... N, each with every seed).
 * Trial k (1-based) is the point unitPoint(method, seed, k - 1, d) of samplers.ts mapped through the
 * space (space.ts); every compare variant runs the same N points, so trials pair across variants as
 * seeds do. Its variant id part is "trial=<k>", its label "trial k (lr 0.0123, weightDecay 0.0004)",
 * and the variant's factors hold the trial number and each drawn value under its key, for views and
 * exports. Pure; same spec, same trials.
 */
import type { SearchSpec } from '../types.js';
import type { FieldIssue } from '../spec/errors.js';
import type { GridFactor } from '../spec/grid.js';
import { unitPoint } from './samplers.js';
import { levelOf, readSpace, valueAt, type Dimension } from './space.js';

export const TRIAL_KEY = 'trial';
export const DEFAULT_OBJECTIVE = { metric: 'best.valLoss', goal: 'min' } as const;

/** The drawn values of every trial, in trial order: key -> value, keys in the space's order. */
export function trialValues(search: Pick<SearchSpec, 'method' | 'trials' | 'seed'>, dims: Dimension[]): Record<string, unknown>[] {
  return Array.from({ length: search.trials }, (_, k) => {
    const u = unitPoint(search.method, search.seed ?? 0, k, dims.length);
    return Object.fromEntries(dims.map((d, i) => [d.key, valueAt(d, u[i])]));
  });
}

/**
 * Reads `search` into the trial factor. `search` itself is assumed schema-checked (method, trials,
 * seed); its space is checked here, every problem reported at its path. Without `search`: no factor.
 */
export function readSearch(search: unknown, compareKeys: readonly string[]): { factor: GridFactor | null; issues: FieldIssue[] } {
  if (search === undefined) return { factor: null, issues: [] };
  const spec = search as SearchSpec;
  const { dims, issues } = readSpace(spec.space, compareKeys);
  if (issues.length > 0) return { factor: null, issues };
  const values = trialValues(spec, dims);
  const levels = values.map((point, k) => {
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
  return {
    factor: { key: TRIAL_KEY, values: values.map((v, k) => ({ [TRIAL_KEY]: k + 1, ...v })), levels, spread: true, path: 'search.space' },
    issues: [],
  };
}

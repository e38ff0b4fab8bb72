/**
 * Successive halving of a search (`search.halving: {minEpochs, eta}`): the promotion rule of ASHA
 * (Li et al., "A system for massively parallel hyperparameter tuning", MLSys 2020) with its
 * decisions taken in a fixed order, so they do not depend on timing or worker count.
 *
 *   rungs   after minEpochs x eta^k epochs, k = 0, 1, ..., for every such count below the run's
 *           train.epochs;
 *   rounds  the trials run in rounds, as a bayes search's do: round 0 is the first `startup`
 *           trials, round r the next `batch`; a round starts only once every run of the earlier
 *           rounds has finished (trials.ts);
 *   rule    a run (trial t, seed s) of round r > 0 is compared at each rung with the runs of the same
 *           compare variant and seed in rounds before r that reached that rung (their values are in
 *           their summaries). Among those c values and its own (n = c + 1), it goes on only if it
 *           ranks in the top ceil(n / eta): its bar is the ceil(n / eta)-th best of the c values,
 *           and it goes on when its value is at least as good as the bar (ties go on). With fewer
 *           than ceil(n / eta) values before it there is no bar. Round 0 is never stopped.
 *   value   the objective's epoch metric: for "best.<m>", the best <m> so far; for "final.<m>",
 *           <m> at the rung's epoch (other objectives have no value during training and are refused).
 *
 * The bars are computed before the run starts, from finished runs only, and the engine applies
 * them after each rung's epoch (src/engine/train/halving.ts), so the decision, the epoch it stops
 * at and its weights are the same bits on any machine and worker count, and a resumed run is
 * stopped again exactly where it was. A stopped run ends as "pruned": complete (a resume keeps
 * it), counted neither as a result nor as a failure. Pure.
 */
import { HALVING_METRICS, type EpochMetrics, type HalvingMetric, type HalvingRule, rungValue } from '../../../engine/portable.js';
import type { FieldIssue } from '../spec/errors.js';
import type { ExperimentSpec, PlannedRun, RunSummary } from '../types.js';
import { cellOf, DEFAULT_BATCH, DEFAULT_OBJECTIVE, DEFAULT_STARTUP, TRIAL_KEY, trialVariantId } from './trials.js';

export const DEFAULT_ETA = 3;

/** Epoch counts of the rungs below `epochs`. */
export function rungEpochs(minEpochs: number, eta: number, epochs: number): number[] {
  const out: number[] = [];
  for (let e = minEpochs; e < epochs; e *= eta) out.push(e);
  return out;
}

/** The round of trial `trial` (1-based): 0 for the first `startup`, then one per `batch`. */
export function roundOf(trial: number, startup: number, batch: number): number {
  return trial <= startup ? 0 : 1 + Math.floor((trial - startup - 1) / batch);
}

/** The epoch metric a halving objective compares at the rungs, or null when it has none during training. */
export function halvingValue(objective: string): { metric: HalvingMetric; best: boolean } | null {
  const m = /^(best|final)\.(\w+)$/.exec(objective);
  if (!m || !(HALVING_METRICS as readonly string[]).includes(m[2])) return null;
  return { metric: m[2] as HalvingMetric, best: m[1] === 'best' };
}

/** Problems with `search.halving` for this spec (its fields' types and ranges are the schema's). */
export function halvingIssues(spec: Pick<ExperimentSpec, 'search' | 'train'>): FieldIssue[] {
  const h = spec.search?.halving;
  if (!h) return [];
  const metric = (spec.search!.objective ?? DEFAULT_OBJECTIVE).metric;
  if (!halvingValue(metric))
    return [
      {
        path: 'search.halving',
        message: `needs an objective measured every epoch ("best.<metric>" or "final.<metric>" of trainLoss, trainAccuracy, valLoss, valAccuracy), not ${metric}`,
      },
    ];
  const epochs = (spec.train as { epochs?: number } | undefined)?.epochs;
  if (typeof epochs === 'number' && h.minEpochs >= epochs)
    return [
      {
        path: 'search.halving.minEpochs',
        message: `must be below train.epochs (${epochs}) so there is a rung to stop at, got ${h.minEpochs}`,
      },
    ];
  return [];
}

/** A finished run's summary, as the rule reads it. */
type Finished = Pick<RunSummary, 'variantId' | 'seed' | 'status' | 'halving'>;

/**
 * Every run's stop rule, its bars computed from `finished` (summaries of the store; cancelled runs
 * are not finished and are ignored). Runs of round 0 get rules without bars, so their rung values
 * are still recorded.
 */
export function halvingRules(spec: ExperimentSpec, runs: readonly PlannedRun[], finished: readonly Finished[]): Map<string, HalvingRule> {
  const out = new Map<string, HalvingRule>();
  const search = spec.search;
  if (!search?.halving) return out;
  const objective = search.objective ?? DEFAULT_OBJECTIVE;
  const value = halvingValue(objective.metric)!;
  const eta = search.halving.eta ?? DEFAULT_ETA;
  const startup = Math.min(search.trials, search.startup ?? DEFAULT_STARTUP);
  const batch = search.batch ?? DEFAULT_BATCH;
  const rungValues = new Map<string, Map<number, number>>(); // "variantId|seed" -> rung epochs -> value
  for (const s of finished) {
    if (s.status === 'cancelled' || !s.halving) continue;
    const at = new Map<number, number>();
    for (const r of s.halving.rungs) if (r.value !== null && Number.isFinite(r.value)) at.set(r.epochs, r.value);
    rungValues.set(`${s.variantId}|${s.seed}`, at);
  }
  const better = (a: number, b: number) => (objective.goal === 'min' ? a - b : b - a);
  for (const run of runs) {
    const trial = run.variant.factors[TRIAL_KEY] as number;
    const round = roundOf(trial, startup, batch);
    const cell = cellOf(run.variant.id);
    const rungs = rungEpochs(search.halving.minEpochs, eta, run.config.train.epochs).map((epochs) => {
      if (round === 0) return { epochs, bar: null };
      const before: number[] = [];
      for (let k = 1; k <= search.trials && roundOf(k, startup, batch) < round; k++) {
        const v = rungValues.get(`${trialVariantId(cell, k)}|${run.seed}`)?.get(epochs);
        if (v !== undefined) before.push(v);
      }
      const m = Math.ceil((before.length + 1) / eta);
      before.sort(better);
      return { epochs, bar: before.length >= m ? before[m - 1] : null };
    });
    out.set(run.id, { ...value, goal: objective.goal, rungs });
  }
  return out;
}

/** What a run's summary records of its rungs: its value at each rung it reached, and the bar. */
export function rungRecord(rule: HalvingRule, epochs: readonly EpochMetrics[]): NonNullable<RunSummary['halving']> {
  return {
    rungs: rule.rungs
      .filter((r) => r.epochs <= epochs.length)
      .map((r) => {
        const v = rungValue(rule, epochs.slice(0, r.epochs));
        return { epochs: r.epochs, value: v !== null && Number.isFinite(v) ? v : null, bar: r.bar };
      }),
  };
}

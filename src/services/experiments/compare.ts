/**
 * The comparison of an experiment's variants across seeds, as the CLI (`ablate show`) and the
 * Compare tab show it: per variant the mean, standard deviation and 95% interval (bounded to the
 * metric's range) of the kept weights', last, best and test metrics; the paired difference
 * (variant - baseline, matched by seed) with its interval, p-value, Holm-adjusted p-value over the
 * variants, Cohen's d_z and the seeds 80% power would need (across experiments, for a variant that
 * shares no seed with the baseline, Welch's unpaired difference instead: CompareOptions); the same for summaries of each run's
 * validation curve (area, epochs to a target, epoch of best: curve-summaries.ts); and mean curves
 * with 95% bands per epoch. Only runs that ended healthy (completed or stopped early) with intact
 * files count: a diverged, failed, cancelled or damaged run's numbers are not results (its
 * variant's `statuses` say how many were left out; excluded.ts words it).
 * Reads run summaries and the epoch records of metrics.ndjson (through an EpochCache when the
 * caller keeps one). Main thread (file reads), otherwise pure.
 */
import type { Band, Comparison, CurveTarget, Interval, PairedResult, VariantResult } from '../../shared/api.js';
import { holmAdjust, metricRange, seedsForPower } from '../../shared/intervals.js';
import { SUMMARY_METRICS } from '../../engine/portable.js';
import type { LoadedExperiment, LoadedRun } from '../store/reader.js';
import { CURVE_SUMMARY_METRICS, curveSummaryValues, defaultTarget, type RunCurve } from './curve-summaries.js';
import { epochsOf, type EpochCache, type EpochRecord } from './epochs.js';
import { observedRuns } from './search/observed.js';
import { expandExperiment } from './spec/expand.js';
import {
  curveBand,
  pairedDifference,
  summarize,
  valuesBySeed,
  welchDifference,
  type PairedDifference,
  type Summary,
  type SummaryMetric,
  type WelchDifference,
} from './stats.js';
import type { RunSummary, Variant } from './types.js';

export const COMPARED_METRICS: SummaryMetric[] = [...SUMMARY_METRICS];

export const CURVE_METRICS = ['trainLoss', 'valLoss', 'trainAccuracy', 'valAccuracy'] as const;

/** Runs whose numbers are results: they ended by finishing their epochs or by early stopping. */
export const countsInStatistics = (s: Pick<RunSummary, 'status'>): boolean => s.status === 'completed' || s.status === 'early_stopped';

/**
 * A stored run whose numbers are results: it ended healthy and its files are intact (a damaged
 * run's state is `damaged` whatever its summary says, reader.ts).
 */
export const runCounts = (r: Pick<LoadedRun, 'state' | 'summary'>): boolean =>
  r.state !== 'damaged' && r.summary !== null && countsInStatistics(r.summary);

/** A stored run whose files cannot be trusted: damaged, or its summary unreadable. */
const untrusted = (r: Pick<LoadedRun, 'state'>): boolean => r.state === 'damaged' || r.state === 'unreadable';

/** The summaries of an experiment's runs, those of damaged runs apart (their files contradict them). */
export function storedSummaries(loaded: LoadedExperiment): { summaries: RunSummary[]; damaged: RunSummary[] } {
  const summaries: RunSummary[] = [];
  const damaged: RunSummary[] = [];
  for (const r of loaded.runs) if (r.summary) (r.state === 'damaged' ? damaged : summaries).push(r.summary);
  return { summaries, damaged };
}

function interval(s: Summary): Interval {
  return { mean: s.mean ?? NaN, sd: s.std, lower: s.ci?.lower ?? null, upper: s.ci?.upper ?? null, n: s.n, method: s.method };
}

function paired(d: PairedDifference): PairedResult {
  return {
    ...interval(d),
    test: 'paired',
    p: d.pValue,
    pHolm: null,
    dz: d.dz,
    seedsFor80: d.mean !== null && d.std !== null ? seedsForPower(d.mean, d.std) : null,
  };
}

function welch(d: WelchDifference): PairedResult {
  return {
    mean: d.mean ?? NaN,
    sd: null,
    lower: d.ci?.lower ?? null,
    upper: d.ci?.upper ?? null,
    n: d.nVariant,
    method: d.ci ? 'welch-t' : null,
    test: 'welch',
    nBaseline: d.nBaseline,
    df: d.df,
    p: d.pValue,
    pHolm: null,
    dz: null,
    seedsFor80: null,
  };
}

export function experimentVariants(loaded: LoadedExperiment): Variant[] {
  const summaries = loaded.runs.flatMap((r) => (r.summary ? [r.summary] : []));
  return expandExperiment(loaded.experiment.spec, undefined, observedRuns(loaded.experiment.spec, summaries)).variants;
}

/** How a comparison treats a variant without a seed in common with the baseline. */
export interface CompareOptions {
  /**
   * Runs of several experiments: a variant whose runs share no seed with the baseline's gets the
   * unpaired difference of the means (Welch) on every metric, Holm-adjusted with the paired ones.
   * Without it (one experiment, whose variants run the same seeds) such a variant has no difference.
   */
  welchWhenUnpaired?: boolean;
}

/**
 * Seed statistics of every variant against `baseline` (default: the spec's, else the first
 * variant). `damaged`: summaries of runs whose files are damaged, counted in `statuses` as
 * "damaged" and never in the statistics.
 */
export function compareSummaries(
  variants: Variant[],
  summaries: RunSummary[],
  baselineId: string | null,
  damaged: readonly RunSummary[] = [],
  options: CompareOptions = {},
): Omit<Comparison, 'curves'> {
  const baseline = variants.find((v) => v.id === baselineId)?.id ?? variants[0]?.id ?? 'base';
  const results: VariantResult[] = variants.map((v) => ({
    variantId: v.id,
    label: v.label,
    metrics: {},
    vsBaseline: v.id === baseline ? null : {},
    statuses: {},
  }));
  const byId = new Map(results.map((r) => [r.variantId, r]));
  for (const s of summaries) {
    const r = byId.get(s.variantId);
    if (r) r.statuses[s.status] = (r.statuses[s.status] ?? 0) + 1;
  }
  for (const s of damaged) {
    const r = byId.get(s.variantId);
    if (r) r.statuses.damaged = (r.statuses.damaged ?? 0) + 1;
  }
  const healthy = summaries.filter(countsInStatistics);
  const metrics: string[] = [];
  for (const metric of COMPARED_METRICS) {
    if (addMetric(results, baseline, metric, valuesBySeed(healthy, metric), options, seedSets(healthy))) metrics.push(metric);
  }
  return { baseline, metrics, variants: results };
}

/** The seeds of each variant's runs that count (whatever metrics they have). */
function seedSets(runs: ReadonlyArray<{ variantId: string; seed: number }>): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  for (const r of runs) {
    const set = out.get(r.variantId) ?? new Set<number>();
    set.add(r.seed);
    out.set(r.variantId, set);
  }
  return out;
}

/**
 * Adds one metric's interval per variant and paired difference to the baseline (Holm-adjusted over
 * the variants) to `results`, from its values by variant and seed; false when no variant has any.
 * With `welchWhenUnpaired`, a variant whose runs share no seed with the baseline's (`seeds`: each
 * variant's seeds, whether or not a run has this metric) gets Welch's unpaired difference instead,
 * counted in Holm's adjustment with the paired ones. Variants that share seeds stay paired even
 * where this metric is missing at them (a run that never reached a target): no Welch there.
 */
function addMetric(
  results: VariantResult[],
  baseline: string,
  metric: string,
  values: Map<string, Map<number, number>>,
  options: CompareOptions,
  seeds: ReadonlyMap<string, ReadonlySet<number>>,
): boolean {
  if (values.size === 0) return false;
  const range = metricRange(metric);
  const base = values.get(baseline) ?? new Map<number, number>();
  const tested: PairedResult[] = [];
  for (const r of results) {
    const mine = values.get(r.variantId);
    if (!mine) continue;
    r.metrics[metric] = interval(summarize([...mine.values()], undefined, range));
    if (r.vsBaseline) {
      const d = pairedDifference(base, mine, undefined, range);
      const baseSeeds = seeds.get(baseline) ?? new Set<number>();
      const shared = [...(seeds.get(r.variantId) ?? [])].some((seed) => baseSeeds.has(seed));
      const w = options.welchWhenUnpaired && !shared ? welchDifference([...base.values()], [...mine.values()], undefined, range) : null;
      const result = d.n > 0 ? paired(d) : w && w.mean !== null ? welch(w) : null;
      r.vsBaseline[metric] = result;
      if (result) tested.push(result);
    }
  }
  holmAdjust(tested.map((t) => t.p)).forEach((p, i) => (tested[i].pHolm = p));
  return true;
}

/** Runs whose summaries count in the statistics, with their epoch records (for the curve summaries). */
export async function healthyRunCurves(loaded: LoadedExperiment, cache?: EpochCache): Promise<RunCurve[]> {
  const runs = loaded.runs.filter(runCounts);
  return Promise.all(runs.map(async (r) => ({ summary: r.summary!, epochs: await epochsOf(r, cache).catch((): EpochRecord[] => []) })));
}

/**
 * The curve summaries (curve-summaries.ts) added to a comparison of the same experiment as
 * further metrics with intervals and paired differences; `target` overrides the default target
 * of "epochs to target".
 */
export async function withCurveSummaries<T extends Omit<Comparison, 'curves'>>(
  loaded: LoadedExperiment,
  comparison: T,
  options: { cache?: EpochCache; target?: number } = {},
): Promise<T & { curveTarget: CurveTarget | null }> {
  return addCurveSummaries(await healthyRunCurves(loaded, options.cache), comparison, options);
}

/**
 * The curve summaries of `runs` (whose variant ids are the comparison's) added to a comparison,
 * one target for all of them; `welchWhenUnpaired` as in compareSummaries.
 */
export function addCurveSummaries<T extends Omit<Comparison, 'curves'>>(
  runs: readonly RunCurve[],
  comparison: T,
  options: { target?: number } & CompareOptions = {},
): T & { curveTarget: CurveTarget | null } {
  const auto = defaultTarget(runs);
  const target = auto && options.target !== undefined ? { ...auto, value: options.target, rule: 'given' } : auto;
  const { values, target: used } = curveSummaryValues(runs, target);
  const metrics = [...comparison.metrics];
  const variants = comparison.variants.map((v) => ({ ...v, metrics: { ...v.metrics }, vsBaseline: v.vsBaseline && { ...v.vsBaseline } }));
  for (const metric of CURVE_SUMMARY_METRICS) {
    const seeds = seedSets(runs.map((r) => r.summary));
    if (addMetric(variants, comparison.baseline, metric, values.get(metric) ?? new Map(), options, seeds)) metrics.push(metric);
  }
  return { ...comparison, metrics, variants, curveTarget: used };
}

/**
 * A variant's runs that count in its curves: running ones (live curves, state incomplete) and
 * those that ended healthy; not those that ended unhealthy, are damaged or whose summary cannot be
 * read, as in the table.
 */
export function curveRuns(loaded: LoadedExperiment, variantId: string): LoadedRun[] {
  return loaded.runs.filter((r) => r.config?.variant.id === variantId && !untrusted(r) && (!r.summary || countsInStatistics(r.summary)));
}

/**
 * Mean and band per epoch of each curve metric, per variant, over the runs that have metrics.
 * `cache` keeps complete runs' epochs between calls (the UI refreshes while training).
 */
export async function compareCurves(
  loaded: LoadedExperiment,
  variants: Variant[],
  cache?: EpochCache,
): Promise<Record<string, Record<string, Band>>> {
  const curves: Record<string, Record<string, Band>> = {};
  for (const v of variants) {
    const runs = curveRuns(loaded, v.id);
    const perRun = await Promise.all(runs.map((r) => epochsOf(r, cache).catch((): EpochRecord[] => [])));
    curves[v.id] = {};
    for (const metric of CURVE_METRICS) {
      const series = perRun.map((epochs) => epochs.flatMap((e) => (typeof e[metric] === 'number' ? [{ x: e.epoch, y: e[metric] }] : [])));
      const band = curveBand(series, undefined, metricRange(metric));
      if (band.length === 0) continue;
      curves[v.id][metric] = {
        x: band.map((p) => p.x),
        mean: band.map((p) => p.mean),
        lower: band.map((p) => p.lower ?? p.mean),
        upper: band.map((p) => p.upper ?? p.mean),
        n: band.map((p) => p.n),
      };
    }
  }
  return curves;
}

/** The statistics of the runs' summaries only (no metrics file is read), as `ablate show` prints them. */
export function compareExperimentSummaries(loaded: LoadedExperiment, baselineId: string | null): Omit<Comparison, 'curves'> {
  const { summaries, damaged } = storedSummaries(loaded);
  return compareSummaries(experimentVariants(loaded), summaries, baselineId ?? loaded.experiment.spec.baseline ?? null, damaged);
}

export async function compareExperiment(loaded: LoadedExperiment, baselineId: string | null, cache?: EpochCache): Promise<Comparison> {
  const stats = await withCurveSummaries(loaded, compareExperimentSummaries(loaded, baselineId), { cache });
  return { ...stats, curves: await compareCurves(loaded, experimentVariants(loaded), cache) };
}

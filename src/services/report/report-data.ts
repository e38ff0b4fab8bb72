/**
 * Everything the one-file report shows, gathered from an experiment folder: the comparison (seed
 * statistics, curve summaries, curve bands), every planned run's state, the gradient norm and
 * activation variance per layer at the first logged step (step 1: the initial weights, so the
 * signal's propagation at initialization) and the last, averaged over each variant's healthy runs,
 * what the units learned (src/services/units/, first seed), and the environment (the engine versions, kernel sets and thread counts the runs record; the machine
 * that writes the report, labelled as such). Main thread (file reads).
 */
import os from 'node:os';
import { ENGINE_VERSION, errorMessage, type PreparedData } from '../../engine/index.js';
import type { Comparison, MetricRecord } from '../../shared/api.js';
import type { StateCounts } from '../../shared/run-state.js';
import { compareExperiment, runCounts } from '../experiments/compare.js';
import type { EpochCache } from '../experiments/epochs.js';
import { perClassReport, type PerClassReport } from '../experiments/per-class-report.js';
import { countPlanned, plannedRunStates, type PlannedRunState } from '../experiments/run-states.js';
import { readMetrics } from '../store/metrics-reader.js';
import type { LoadedExperiment } from '../store/reader.js';
import type { UnitsLearned } from '../../shared/types/units.js';
import { unitsLearned } from '../units/units-learned.js';

/** Mean gradient norm per layer (index from 0; the last is the output layer) over a variant's healthy runs. */
type StepDiagnostics = Extract<MetricRecord, { kind: 'diag' }>;
type SignalRecord = Extract<MetricRecord, { kind: 'signal' }>;

export interface GradientFlow {
  variantId: string;
  label: string;
  /** Layer names in order. */
  layers: string[];
  first: LayerSnapshot;
  last: LayerSnapshot;
  runs: number;
}

/** Layer statistics at one logged step, each the mean over the variant's runs. */
export interface LayerSnapshot {
  /** The step (from 1), when every run logged the same one; step 1 is the initial weights' forward and backward. */
  step: number | null;
  /** Frobenius norm of each layer's weight gradient. */
  gradNorm: number[];
  /** Variance of each hidden layer's activations over the step's batch (std squared); NaN for the output layer. */
  activationVar: number[];
  /**
   * The residual projections P (hidden layers whose width differs from their input's, index from
   * 0): the Frobenius norm of dLoss/dP, mean over the runs.
   */
  projections: Array<{ layer: number; gradNorm: number }>;
}

/**
 * A variant's signal at initialization from its healthy runs' stored `signal` records (each run's
 * initial weights on its own first training batch, before any update), means over those runs.
 */
export interface InitSignal {
  variantId: string;
  label: string;
  /** Layer names in order (the last is the output layer). */
  layers: string[];
  /** Variance of dLoss/dz per layer. */
  gradVar: number[];
  /** Variance of the activation output per hidden layer (null for the output layer). */
  activationVar: Array<number | null>;
  /** Runs with a record, of `healthy` healthy runs. */
  runs: number;
  healthy: number;
}

/** One hidden layer's activation histogram per variant at the last logged step, as fractions of the batch per bin, averaged over runs. */
export interface LayerDistribution {
  layer: number;
  name: string;
  variants: Array<{ variantId: string; label: string; step: number | null; lo: number; hi: number; fraction: number[]; runs: number }>;
}

export interface ReportData {
  loaded: LoadedExperiment;
  comparison: Comparison;
  runs: PlannedRunState[];
  counts: StateCounts;
  gradientFlow: GradientFlow[];
  /** Per variant whose runs stored one, the signal at initialization; variants without fall back to gradientFlow's first step. */
  initSignal: InitSignal[];
  /** The first and last hidden layers (one when they are the same). */
  distributions: LayerDistribution[];
  /** Confusion statistics per split and variant (report-classes.ts). */
  perClass: PerClassReport;
  /** What the units learned (first seed), when the data could be loaded; null when not asked for. */
  units: UnitsLearned | null;
  environment: {
    engineVersions: string[];
    kernels: string[];
    threads: number[];
    reportEngine: string;
    reportMachine: string;
    generatedAt: string;
  };
}

/**
 * `cache` keeps complete runs' epoch records between calls (the app's); `prepared` loads the
 * experiment's data for the units figures (without it, or when it fails, they are left out and
 * the report says why).
 */
export async function gatherReport(
  loaded: LoadedExperiment,
  cache?: EpochCache,
  now = new Date(),
  prepared?: () => Promise<PreparedData>,
): Promise<ReportData> {
  const comparison = await compareExperiment(loaded, loaded.experiment.spec.baseline ?? null, cache);
  const runs = plannedRunStates(loaded.experiment.spec, loaded.runs);
  const summaries = loaded.runs.flatMap((r) => (r.summary ? [r.summary] : []));
  const uniq = <T>(xs: T[]) => [...new Set(xs)].sort();
  return {
    loaded,
    comparison,
    runs,
    counts: countPlanned(runs),
    ...(await layerViews(loaded, comparison)),
    perClass: perClassReport(loaded, comparison.baseline),
    units: prepared
      ? await prepared().then(
          (p) => unitsLearned(loaded, p, null),
          (err: unknown): UnitsLearned => ({ kind: 'none', reason: `the data could not be loaded (${errorMessage(err)})` }),
        )
      : null,
    environment: {
      engineVersions: uniq(summaries.map((s) => s.engineVersion)),
      kernels: uniq(summaries.map((s) => s.kernels)),
      threads: uniq(summaries.map((s) => s.threads)),
      reportEngine: ENGINE_VERSION,
      reportMachine: `${os.type()} ${os.release()} ${os.arch()}, ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} logical cores), Node ${process.version}`,
      generatedAt: now.toISOString(),
    },
  };
}

/** A histogram's counts as fractions of their total (zeros when empty). */
export function fractions(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total > 0 ? c / total : 0));
}

/**
 * Per hidden layer in `layers`, each variant's activation histogram at its runs' last logged step:
 * the runs' fractions averaged bin by bin (runs whose bins differ from the first run's are left out).
 */
export function averageHistograms(
  lastDiags: ReadonlyArray<StepDiagnostics>,
  layer: number,
): { step: number | null; lo: number; hi: number; fraction: number[]; runs: number } | null {
  const hists = lastDiags.flatMap((d) => (d.layers[layer]?.histogram ? [{ step: d.step, h: d.layers[layer].histogram! }] : []));
  if (hists.length === 0) return null;
  const { lo, hi, counts } = hists[0].h;
  const same = hists.filter((x) => x.h.lo === lo && x.h.hi === hi && x.h.counts.length === counts.length);
  const sum = new Array<number>(counts.length).fill(0);
  for (const x of same) fractions(x.h.counts).forEach((f, i) => (sum[i] += f));
  const steps = new Set(same.map((x) => x.step));
  return { step: steps.size === 1 ? same[0].step : null, lo, hi, fraction: sum.map((v) => v / same.length), runs: same.length };
}

/** Means over runs of their stored signal records (null when none has one or their layers differ). */
export function averageSignal(records: ReadonlyArray<SignalRecord>): Omit<InitSignal, 'variantId' | 'label' | 'healthy'> | null {
  if (records.length === 0) return null;
  const layers = records[0].layers.map((l) => l.name);
  const same = records.filter((r) => r.layers.length === layers.length && r.layers.every((l, i) => l.name === layers[i]));
  const mean = (f: (r: SignalRecord) => number) => same.reduce((a, r) => a + f(r), 0) / same.length;
  return {
    layers,
    gradVar: layers.map((_, i) => mean((r) => r.layers[i].gradVar)),
    activationVar: layers.map((_, i) =>
      records[0].layers[i].activationVar === null ? null : mean((r) => r.layers[i].activationVar ?? NaN),
    ),
    runs: same.length,
  };
}

/**
 * The means over runs of one logged step's layer statistics (`chosen`: that step's record of each
 * run); a residual projection P counts where the first run has one (runs of a variant share its layers).
 */
export function layerSnapshot(layers: readonly string[], chosen: readonly StepDiagnostics[]): LayerSnapshot {
  const steps = new Set(chosen.map((d) => d.step));
  const mean = (f: (d: StepDiagnostics) => number) => chosen.reduce((a, d) => a + f(d), 0) / chosen.length;
  return {
    step: steps.size === 1 ? chosen[0].step : null,
    gradNorm: layers.map((_, i) => mean((d) => d.layers[i]?.gradNorm ?? NaN)),
    activationVar: layers.map((_, i) => mean((d) => (d.layers[i]?.activation?.std ?? NaN) ** 2)),
    projections: layers.flatMap((_, i) =>
      chosen[0].layers[i]?.projection ? [{ layer: i, gradNorm: mean((d) => d.layers[i]?.projection?.gradNorm ?? NaN) }] : [],
    ),
  };
}

async function layerViews(
  loaded: LoadedExperiment,
  comparison: Comparison,
): Promise<Pick<ReportData, 'gradientFlow' | 'distributions' | 'initSignal'>> {
  const out: GradientFlow[] = [];
  const initSignal: InitSignal[] = [];
  const lastByVariant = new Map<string, StepDiagnostics[]>();
  for (const v of comparison.variants) {
    const runs = loaded.runs.filter((r) => r.summary?.variantId === v.variantId && runCounts(r));
    const records = await Promise.all(runs.map(async (r) => (await readMetrics(r.path)).records));
    const signal = averageSignal(records.flatMap((rs) => rs.filter((m): m is SignalRecord => m.kind === 'signal').slice(0, 1)));
    if (signal) initSignal.push({ variantId: v.variantId, label: v.label, ...signal, healthy: runs.length });
    const diags = records.map((rs) => rs.filter((m): m is StepDiagnostics => m.kind === 'diag'));
    const withDiag = diags.filter((d) => d.length > 0);
    if (withDiag.length === 0) continue;
    lastByVariant.set(
      v.variantId,
      withDiag.map((d) => d[d.length - 1]),
    );
    const layers = withDiag[0][0].layers.map((l) => l.name);
    out.push({
      variantId: v.variantId,
      label: v.label,
      layers,
      first: layerSnapshot(
        layers,
        withDiag.map((d) => d[0]),
      ),
      last: layerSnapshot(
        layers,
        withDiag.map((d) => d[d.length - 1]),
      ),
      runs: withDiag.length,
    });
  }
  const hidden = out[0] ? out[0].layers.length - 1 : 0;
  const distributions: LayerDistribution[] = [...new Set([0, hidden - 1])]
    .filter((layer) => layer >= 0 && layer < hidden)
    .map((layer) => ({
      layer,
      name: out[0].layers[layer],
      variants: comparison.variants.flatMap((v) => {
        const avg = averageHistograms(lastByVariant.get(v.variantId) ?? [], layer);
        return avg ? [{ variantId: v.variantId, label: v.label, ...avg }] : [];
      }),
    }))
    .filter((d) => d.variants.length > 0);
  return { gradientFlow: out, distributions, initSignal };
}

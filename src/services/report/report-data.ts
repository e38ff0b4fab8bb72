/**
 * Everything the one-file report shows, gathered from an experiment folder: the comparison (seed
 * statistics, curve summaries, curve bands), every planned run's state, the gradient norm and
 * activation variance per layer at the first logged step (step 1: the initial weights, so the
 * signal's propagation at initialization) and the last, averaged over each variant's healthy runs, and the
 * environment (the engine versions, kernel sets and thread counts the runs record; the machine
 * that writes the report, labelled as such). Main thread (file reads).
 */
import os from 'node:os';
import { ENGINE_VERSION } from '../../engine/index.js';
import type { Comparison, MetricRecord } from '../../shared/api.js';
import type { StateCounts } from '../../shared/run-state.js';
import { compareExperiment, countsInStatistics } from '../experiments/compare.js';
import type { EpochCache } from '../experiments/epochs.js';
import { countPlanned, plannedRunStates, type PlannedRunState } from '../experiments/run-states.js';
import { readMetrics } from '../store/metrics-reader.js';
import type { LoadedExperiment } from '../store/reader.js';

/** Mean gradient norm per layer (index from 0; the last is the output layer) over a variant's healthy runs. */
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
}

export interface ReportData {
  loaded: LoadedExperiment;
  comparison: Comparison;
  runs: PlannedRunState[];
  counts: StateCounts;
  gradientFlow: GradientFlow[];
  environment: {
    engineVersions: string[];
    kernels: string[];
    threads: number[];
    reportEngine: string;
    reportMachine: string;
    generatedAt: string;
  };
}

/** `cache` keeps complete runs' epoch records between calls (the app's). */
export async function gatherReport(loaded: LoadedExperiment, cache?: EpochCache, now = new Date()): Promise<ReportData> {
  const comparison = await compareExperiment(loaded, loaded.experiment.spec.baseline ?? null, cache);
  const runs = plannedRunStates(loaded.experiment.spec, loaded.runs);
  const summaries = loaded.runs.flatMap((r) => (r.summary ? [r.summary] : []));
  const uniq = <T>(xs: T[]) => [...new Set(xs)].sort();
  return {
    loaded,
    comparison,
    runs,
    counts: countPlanned(runs),
    gradientFlow: await gradientFlow(loaded, comparison),
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

type StepDiagnostics = Extract<MetricRecord, { kind: 'diag' }>;

async function gradientFlow(loaded: LoadedExperiment, comparison: Comparison): Promise<GradientFlow[]> {
  const out: GradientFlow[] = [];
  for (const v of comparison.variants) {
    const runs = loaded.runs.filter((r) => r.summary?.variantId === v.variantId && countsInStatistics(r.summary));
    const diags = await Promise.all(
      runs.map(async (r) => (await readMetrics(r.path)).records.filter((m): m is StepDiagnostics => m.kind === 'diag')),
    );
    const withDiag = diags.filter((d) => d.length > 0);
    if (withDiag.length === 0) continue;
    const layers = withDiag[0][0].layers.map((l) => l.name);
    const average = (pick: (d: StepDiagnostics[]) => StepDiagnostics): LayerSnapshot => {
      const chosen = withDiag.map(pick);
      const steps = new Set(chosen.map((d) => d.step));
      return {
        step: steps.size === 1 ? chosen[0].step : null,
        gradNorm: layers.map((_, i) => chosen.reduce((a, d) => a + (d.layers[i]?.gradNorm ?? NaN), 0) / chosen.length),
        activationVar: layers.map((_, i) => chosen.reduce((a, d) => a + (d.layers[i]?.activation?.std ?? NaN) ** 2, 0) / chosen.length),
      };
    };
    out.push({
      variantId: v.variantId,
      label: v.label,
      layers,
      first: average((d) => d[0]),
      last: average((d) => d[d.length - 1]),
      runs: withDiag.length,
    });
  }
  return out;
}

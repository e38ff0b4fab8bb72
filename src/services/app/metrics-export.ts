/**
 * Exports an experiment's metrics for other tools, every record of every run's metrics.ndjson:
 * steps, epochs, layer diagnostics, dead units and events, with each run's state and summary.
 * Epochs are numbered from 1, as the app and the CLI number them (the store's files count from 0).
 * Two layouts, documented in docs/metrics-export.md:
 *
 *  - CSV, long ("tidy") form: one row per value, columns
 *    experiment, run, variant, seed, state, kind, step, epoch, layer, metric, value, text.
 *  - JSON: { format: "ablate-metrics", version: 1, epochsFrom: 1, experiment, runs: [{ runId,
 *    variant, seed, state, summary, steps, epochs, diagnostics, dead, events, signal }] }.
 *
 * Every run of the plan is listed, runs that never started included (with no records). Reads the
 * store; main thread.
 */
import { csvCell } from '../../shared/csv.js';
import { plannedRunStates } from '../experiments/run-states.js';
import type { MetricRecord, RunSummary } from '../experiments/types.js';
import { readMetrics } from '../store/metrics-reader.js';
import type { LoadedExperiment } from '../store/reader.js';

export const CSV_COLUMNS = [
  'experiment',
  'run',
  'variant',
  'seed',
  'state',
  'kind',
  'step',
  'epoch',
  'layer',
  'metric',
  'value',
  'text',
] as const;

type Row = Partial<Record<(typeof CSV_COLUMNS)[number], string | number | null>>;

export async function exportMetrics(loaded: LoadedExperiment, format: 'csv' | 'json'): Promise<{ fileName: string; text: string }> {
  const id = loaded.experiment.id;
  const runs = await Promise.all(
    plannedRunStates(loaded.experiment.spec, loaded.runs).map(async (r) => ({
      runId: r.plan.id,
      variant: r.plan.variant,
      seed: r.plan.seed,
      state: r.state.state,
      summary: r.stored?.summary ?? null,
      records: r.stored ? (await readMetrics(r.stored.path).catch(() => ({ records: [] as MetricRecord[] }))).records.map(fromOne) : [],
    })),
  );
  if (format === 'json') {
    const body = runs.map((r) => ({
      runId: r.runId,
      variant: r.variant,
      seed: r.seed,
      state: r.state,
      summary: r.summary && summaryFromOne(r.summary),
      steps: r.records.filter((m) => m.kind === 'step').map(withoutKind),
      epochs: r.records.filter((m) => m.kind === 'epoch').map(withoutKind),
      diagnostics: r.records.filter((m) => m.kind === 'diag').map(withoutKind),
      dead: r.records.filter((m) => m.kind === 'dead').map(withoutKind),
      events: r.records.filter((m) => m.kind === 'event').map(withoutKind),
      signal: r.records.filter((m) => m.kind === 'signal').map(withoutKind)[0] ?? null,
    }));
    const doc = { format: 'ablate-metrics', version: 1, epochsFrom: 1, experiment: loaded.experiment, runs: body };
    return { fileName: `${id}-metrics.json`, text: JSON.stringify(doc, null, 2) + '\n' };
  }
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of runs) {
    const base: Row = { experiment: id, run: r.runId, variant: r.variant.id, seed: r.seed, state: r.state };
    for (const record of r.records)
      for (const row of recordRows(record)) lines.push(CSV_COLUMNS.map((c) => csvCell({ ...base, ...row }[c])).join(','));
  }
  return { fileName: `${id}-metrics.csv`, text: lines.join('\n') + '\n' };
}

/** A record with its epoch counted from 1. */
function fromOne(m: MetricRecord): MetricRecord {
  return { ...m, epoch: m.epoch + 1 };
}

function summaryFromOne(s: RunSummary): RunSummary {
  const plus = (e: number | null | undefined) => (e === null || e === undefined ? e : e + 1);
  return {
    ...s,
    bestEpoch: plus(s.bestEpoch) ?? null,
    stoppedEpoch: plus(s.stoppedEpoch) ?? null,
    weightsEpoch: plus(s.weightsEpoch),
    final: s.final && { ...s.final, epoch: s.final.epoch + 1 },
    best: s.best && { ...s.best, epoch: s.best.epoch + 1 },
  };
}

function withoutKind<T extends { kind: string }>({ kind: _kind, ...rest }: T): Omit<T, 'kind'> {
  return rest;
}

const STEP_FIELDS = ['loss', 'gradNorm', 'clipCoef', 'lr'] as const;
const EPOCH_FIELDS = ['lr', 'trainLoss', 'trainAccuracy', 'valLoss', 'valAccuracy', 'penalty', 'steps', 'seconds'] as const;

/** The long-form rows of one record: one per value (nulls left out). */
export function recordRows(m: MetricRecord): Row[] {
  const at = { kind: m.kind, epoch: m.epoch, step: 'step' in m ? m.step : null };
  const value = (metric: string, v: number | null | undefined, layer: number | null = null): Row[] =>
    v === null || v === undefined ? [] : [{ ...at, layer, metric, value: v }];
  // Runs older than weight and gradient histograms have none: no rows.
  const binned = (name: string, h: { lo: number; hi: number; counts: number[] } | undefined, layer: number): Row[] =>
    h
      ? [
          ...value(`${name}.lo`, h.lo, layer),
          ...value(`${name}.hi`, h.hi, layer),
          ...h.counts.flatMap((c, k) => value(`${name}[${k}]`, c, layer)),
        ]
      : [];
  switch (m.kind) {
    case 'step':
      return STEP_FIELDS.flatMap((f) => value(f, m[f]));
    case 'epoch':
      return EPOCH_FIELDS.flatMap((f) => value(f, m[f]));
    case 'dead':
      return m.layers.flatMap((l) => value('deadFraction', l.deadFraction, l.layer));
    case 'event':
      return [{ ...at, metric: m.event, text: m.detail }];
    case 'signal':
      return [
        ...value('signal.loss', m.loss),
        ...value('signal.rows', m.rows),
        ...m.layers.flatMap((l) => [
          ...value('signal.preActivationVar', l.preActivationVar, l.layer),
          ...value('signal.activationVar', l.activationVar, l.layer),
          ...value('signal.gradVar', l.gradVar, l.layer),
        ]),
      ];
    case 'diag':
      return [
        ...value('gradNorm', m.gradNorm),
        ...value('clipCoef', m.clipCoef),
        ...m.layers.flatMap((l) => [
          ...value('gradNorm', l.gradNorm, l.layer),
          ...value('weightNorm', l.weightNorm, l.layer),
          ...value('updateRatio', l.updateRatio, l.layer),
          ...(['mean', 'std', 'zeroFraction'] as const).flatMap((f) => [
            ...value(`preActivation.${f}`, l.preActivation?.[f], l.layer),
            ...value(`activation.${f}`, l.activation?.[f], l.layer),
          ]),
          ...value('saturation', l.saturation, l.layer),
          ...value('batchNorm.runningMean', l.batchNorm?.runningMean, l.layer),
          ...value('batchNorm.runningVar', l.batchNorm?.runningVar, l.layer),
          ...(l.histogram
            ? [
                ...value('histogram.lo', l.histogram.lo, l.layer),
                ...value('histogram.hi', l.histogram.hi, l.layer),
                ...l.histogram.counts.flatMap((c, k) => value(`histogram[${k}]`, c, l.layer)),
              ]
            : []),
          ...binned('weightHistogram', l.weightHistogram, l.layer),
          ...binned('gradHistogram', l.gradHistogram, l.layer),
          ...value('projection.gradNorm', l.projection?.gradNorm, l.layer),
          ...value('projection.weightNorm', l.projection?.weightNorm, l.layer),
          ...value('projection.updateRatio', l.projection?.updateRatio, l.layer),
        ]),
      ];
  }
}

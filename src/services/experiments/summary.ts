/**
 * Turns a pool RunResult into what the store keeps: the run summary and the closing event records
 * of metrics.ndjson (early stop, restored weights, divergence, cancel, failure); and the summary of
 * a run that failed outside training (a store error). Pure.
 */
import {
  emptyRunResult,
  ENGINE_VERSION,
  kernelPath,
  type ConfusionMatrices,
  type EpochMetrics,
  type KernelSetName,
  type RunResult,
} from '../../engine/index.js';
import { keptWeightsEpoch } from '../../shared/run-weights.js';
import { rungRecord } from './search/halving.js';
import type { MetricRecord, PlannedRun, RunConfusion, RunSummary } from './types.js';

/** `classNames`: the data set's, index = label value (null for vector targets). */
export function buildSummary(
  run: PlannedRun,
  result: RunResult,
  startedAt: Date,
  finishedAt: Date,
  trainRows: number,
  classNames: readonly string[] | null = null,
): RunSummary {
  const o = result.outcome;
  const final = o.epochs.at(-1) ?? null;
  const best = o.bestEpoch !== null ? (o.epochs.find((e) => e.epoch === o.bestEpoch) ?? null) : null;
  const samples = samplesSeen(o.epochs, trainRows, run.config.train.batchSize);
  const trainSeconds = o.epochs.reduce((a, e) => a + e.seconds, 0);
  return {
    runId: run.id,
    variantId: run.variant.id,
    seed: run.seed,
    status: o.status,
    stopReason: o.stopReason,
    epochsRun: o.epochs.length,
    steps: o.steps,
    bestEpoch: o.bestEpoch,
    stoppedEpoch: o.stoppedEpoch,
    restoredBestWeights: o.restoredBestWeights,
    weightsEpoch: keptWeightsEpoch(o.status, o.restoredBestWeights, o.bestEpoch, final),
    divergedAtStep: o.divergedAtStep,
    final,
    best,
    test: o.test,
    confusion: confusionOf(o.confusion, classNames),
    timings: {
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      seconds: o.seconds,
      samplesPerSec: trainSeconds > 0 ? samples / trainSeconds : 0,
    },
    weightsSha256: result.weightsSha256,
    kernels: result.kernels,
    ...kernelPathField(result.kernels),
    threads: result.threads,
    engineVersion: ENGINE_VERSION,
    ...(run.halving ? { halving: rungRecord(run.halving, o.epochs) } : {}),
  };
}

function confusionOf(c: ConfusionMatrices | null, classNames: readonly string[] | null): RunConfusion | null {
  if (!c) return null;
  const k = (c.validation ?? c.test)?.length ?? 0;
  // A sigmoid head's two classes may come without names (vector targets of width 1 are not classes).
  const names = classNames && classNames.length === k ? [...classNames] : Array.from({ length: k }, (_, i) => String(i));
  return { ...c, classNames: names };
}

/** The path the kernels ran on (native: "avx512", ...; wasm: "relaxed-simd" or "simd128"), recorded beside `kernels` when there is one. */
function kernelPathField(kernels: KernelSetName): { kernelPath?: string } {
  const path = kernelPath(kernels);
  return path === null ? {} : { kernelPath: path };
}

/**
 * The summary of a run that failed outside training, e.g. because the store could not write its
 * files (disk full): status "failed" with `reason`, the training's metrics when it got that far,
 * and no weights (a resume reruns the run).
 */
export function failedSummary(
  run: PlannedRun,
  reason: string,
  startedAt: Date,
  finishedAt: Date,
  o: { result: RunResult | null; trainRows: number; kernels: KernelSetName; threads: number },
): RunSummary {
  const result =
    o.result ??
    emptyRunResult(
      { id: run.id, kernels: o.kernels, threads: o.threads },
      'failed',
      reason,
      (finishedAt.getTime() - startedAt.getTime()) / 1000,
    );
  return {
    ...buildSummary(run, result, startedAt, finishedAt, o.trainRows),
    status: 'failed',
    stopReason: reason,
    confusion: null,
    weightsSha256: null,
  };
}

/** Training samples processed (epoch time includes validation, so this slightly understates speed). */
function samplesSeen(epochs: EpochMetrics[], trainRows: number, batch: number): number {
  return epochs.reduce((a, e) => a + Math.min(trainRows, e.steps * batch), 0);
}

/**
 * Event records that close a run's metrics.ndjson. Each carries the step it happened at and that
 * step's epoch (0-based, as every record of the file): a run cancelled, diverged or failed in the
 * middle of an epoch is in the epoch after the last one it completed.
 */
export function closingEvents(result: RunResult): MetricRecord[] {
  const o = result.outcome;
  const lastEpoch = o.epochs.at(-1)?.epoch ?? 0;
  const stepsOfEpochs = o.epochs.reduce((a, e) => a + e.steps, 0);
  const epochOf = (step: number) => (step > stepsOfEpochs ? o.epochs.length : lastEpoch);
  const events: MetricRecord[] = [];
  if (o.status === 'early_stopped')
    events.push({ kind: 'event', step: o.steps, epoch: lastEpoch, event: 'early_stop', detail: o.stopReason });
  if (o.status === 'pruned') events.push({ kind: 'event', step: o.steps, epoch: lastEpoch, event: 'pruned', detail: o.stopReason });
  if (o.restoredBestWeights)
    events.push({
      kind: 'event',
      step: o.steps,
      epoch: lastEpoch,
      event: 'restored_best',
      detail: `weights of epoch ${(o.bestEpoch ?? 0) + 1} restored`,
    });
  if (o.status === 'diverged') {
    const step = o.divergedAtStep ?? o.steps;
    events.push({ kind: 'event', step, epoch: epochOf(step), event: 'diverged', detail: o.stopReason });
  }
  if (o.status === 'cancelled' || o.status === 'failed')
    events.push({ kind: 'event', step: o.steps, epoch: epochOf(o.steps), event: o.status, detail: o.stopReason });
  return events;
}

/**
 * Which epoch a run's kept weights come from, and that epoch's metrics: the restored best epoch
 * when early stopping restored it, else the last epoch trained. weights.bin, an exported model,
 * its metadata and the test metrics all describe these weights, so every "final" figure a view
 * prints is this epoch's, labelled with it. A run that diverged, failed or was cancelled stopped
 * inside an epoch: its weights are of no epoch. Pure; imported by the renderer and Node alike.
 */
import type { EpochMetrics, RunStatus } from '../engine/portable.js';
import type { RunSummary } from './types/experiment.js';

export interface KeptWeights {
  /** 0-based epoch of the weights; null when the run ended inside an epoch (or before any). */
  epoch: number | null;
  /** True when early stopping restored the best epoch's weights. */
  restored: boolean;
  /** That epoch's metrics (null when epoch is). */
  metrics: EpochMetrics | null;
}

/** The epoch recorded as summary.weightsEpoch. */
export function keptWeightsEpoch(status: RunStatus, restored: boolean, bestEpoch: number | null, last: EpochMetrics | null): number | null {
  if (status !== 'completed' && status !== 'early_stopped' && status !== 'pruned') return null;
  return restored ? bestEpoch : (last?.epoch ?? null);
}

type SummaryPart = Pick<RunSummary, 'status' | 'final' | 'best' | 'bestEpoch' | 'restoredBestWeights' | 'weightsEpoch'>;

/** The kept weights of a run (summaries written before weightsEpoch existed included). */
export function weightsOf(s: SummaryPart): KeptWeights {
  const restored = s.restoredBestWeights;
  const epoch = s.weightsEpoch !== undefined ? s.weightsEpoch : keptWeightsEpoch(s.status, restored, s.bestEpoch, s.final);
  const candidate = restored ? s.best : s.final;
  return { epoch, restored, metrics: epoch !== null && candidate?.epoch === epoch ? candidate : null };
}

/** "epoch 7 (restored best)", "epoch 20 (last)" (1-based, as every view numbers epochs), or "none: stopped in an epoch". */
export function weightsLabel(w: KeptWeights): string {
  if (w.epoch === null) return 'none: stopped inside an epoch';
  return `epoch ${w.epoch + 1} (${w.restored ? 'restored best' : 'last'})`;
}

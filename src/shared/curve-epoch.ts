import type { CurveEpoch } from './types/views.js';

/**
 * An epoch's metrics cut to what curves plot (a metrics.ndjson record carries more: lr, penalty),
 * so that less crosses to the curves' worker and the cross view's answer.
 */
export function curveEpoch(e: CurveEpoch): CurveEpoch {
  return {
    epoch: e.epoch,
    trainLoss: e.trainLoss,
    trainAccuracy: e.trainAccuracy,
    valLoss: e.valLoss,
    valAccuracy: e.valAccuracy,
    steps: e.steps,
    seconds: e.seconds,
  };
}

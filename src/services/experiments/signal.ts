/**
 * Signal propagation at initialization for the runner and the Design tab: the `signal` record
 * the runner stores with each run (its own initial weights and first training batch, before the
 * first step), and the one-line reading of a measurement ("the gradient shrinks 300x from the
 * output to hidden.0"). The math is the engine's (inference/signal.ts); app/design-signal.ts
 * measures a design that has not run. Main thread.
 */
import { type PreparedData, type ResolvedRunConfig, signalAtInit, type SignalRecord } from '../../engine/index.js';
import type { SignalReading } from '../../shared/types/signal.js';

/** The record stored with a run: step 0, epoch 0 (before any update). */
export function signalRecord(config: ResolvedRunConfig, prepared: PreparedData): SignalRecord {
  return { kind: 'signal', step: 0, epoch: 0, ...signalAtInit(config, batchSource(prepared), prepared.splits.train) };
}

/** The rows the engine reads a batch from (runner.ts's sharedDataset, without importing the runner). */
export function batchSource(p: PreparedData) {
  const t = p.dataset.targets;
  return {
    features: p.features,
    d: p.dataset.d,
    labels: t.kind === 'class' ? t.labels : null,
    values: t.kind === 'vector' ? t.values : null,
    width: t.kind === 'vector' ? t.width : 1,
  };
}

/**
 * How the back-propagated gradient's scale changes from the output layer to the first hidden
 * layer, as a ratio of standard deviations (sqrt of the variance ratio), with the plain sentence.
 * Zero gradients (zero init, dead units everywhere) are said as such, never as a ratio.
 */
export function readSignal(layers: Array<{ name: string; gradVar: number; preActivationVar: number }>): SignalReading {
  const out = layers.at(-1)!;
  const first = layers[0];
  const dead = layers.slice(0, -1).filter((l) => l.gradVar === 0);
  if (layers.length < 2)
    return { gradientRatio: null, text: 'No hidden layer: the gradient reaches the weights directly from the output.' };
  if (out.gradVar === 0)
    return { gradientRatio: null, text: 'The output gradient is exactly zero on this batch: nothing would be learned.' };
  if (dead.length > 0) {
    const names = dead.map((l) => l.name).join(', ');
    return {
      gradientRatio: 0,
      text: `The gradient is exactly zero at ${names}: ${dead.length === layers.length - 1 ? 'no hidden layer would learn anything' : 'those layers would learn nothing'} from this initialization (a zero init, or units that are all inactive).`,
    };
  }
  const ratio = Math.sqrt(first.gradVar / out.gradVar);
  const times = (r: number) => (r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2));
  const text =
    ratio < 1
      ? `With this initialization the gradient shrinks ${times(1 / ratio)}x from the output to ${first.name} (standard deviation of dLoss/dz).`
      : `With this initialization the gradient grows ${times(ratio)}x from the output to ${first.name} (standard deviation of dLoss/dz).`;
  return { gradientRatio: ratio, text };
}

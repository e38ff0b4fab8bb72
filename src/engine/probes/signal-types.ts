/**
 * Signal propagation at initialization, as plain data: what inference/signal.ts measures on a
 * run's first training batch before any update, and the record the runner stores with the run
 * (the `signal` line of metrics.ndjson, docs/store.md). Definitions of the fields are beside them.
 */

export interface SignalLayer {
  /** Linear layer index: 0..hidden-1 for hidden layers, hidden for the output layer. */
  layer: number;
  /** "hidden.0", ..., "output" (the names of the diagnostics records). */
  name: string;
  /** Units of the layer. */
  width: number;
  /** Variance of the linear output z over the batch (for the output layer: the logits). */
  preActivationVar: number;
  /** Variance of the activation output (what diagnostics call the activation); null for the output layer. */
  activationVar: number | null;
  /** Variance of dLoss/dz over the batch (loss = batch mean, penalties left out). */
  gradVar: number;
}

export interface SignalAtInit {
  /** Rows of the batch used. */
  rows: number;
  /** How the batch was chosen: the run's own first training batch (epoch-0 shuffle). */
  batch: 'first-training-batch';
  /** The batch-mean loss at the initial weights (no penalty). */
  loss: number;
  layers: SignalLayer[];
}

/** The metrics.ndjson line: written once, before the first step (step 0, epoch 0). */
export type SignalRecord = { kind: 'signal'; step: number; epoch: number } & SignalAtInit;

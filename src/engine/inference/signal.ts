/**
 * Signal propagation at initialization: the run's initial weights (initializeModel, the run's
 * seed), one training-mode forward and backward pass on the run's first training batch (the
 * rows the first step sees: the train split shuffled by the epoch-0 stream), and per linear layer
 * the variance of its forward signal and of the back-propagated gradient. No update is made.
 *
 * Variances are population variances over every entry of the batch (rows x units), float64
 * accumulation. The gradient is of the batch-mean loss (the quantity the step differentiates),
 * taken with respect to each layer's linear output z (dLoss/dz: the hidden layers' dZ buffers,
 * the logits' gradient for the output layer), before any penalty term (those act on weights).
 * Dropout masks of step 1 apply, as in the run's own first step.
 *
 * Runs in the calling thread on a private memory with the reference (naive) kernels unless given
 * others; one call allocates and frees its own memory. Not thread-safe across calls sharing data.
 */
import type { ResolvedRunConfig } from '../config/defaults.js';
import { initializeModel } from '../init/initializers.js';
import type { KernelFactory } from '../kernels/types.js';
import { naiveKernels } from '../kernels/naive.js';
import { createRunMemory } from '../memory/wasm-memory.js';
import { Purpose } from '../rng/hash.js';
import { stream } from '../rng/stream.js';
import { SoloTeam } from '../run/team.js';
import type { SignalAtInit, SignalLayer } from '../probes/signal-types.js';
import type { BatchSource } from '../train/step.js';
import { createRunContext, runMemoryBytes, runShape } from '../train/setup.js';

/** The rows of the run's first training batch (the loop's epoch-0 shuffle), as indices into the data. */
export function firstBatchRows(cfg: ResolvedRunConfig, train: Int32Array): Int32Array {
  const order = Int32Array.from(train);
  stream(cfg.seed, Purpose.shuffle, 0).shuffle(order);
  return order.subarray(0, Math.min(cfg.train.batchSize, order.length));
}

/**
 * The signal of `cfg`'s initial weights on its first training batch drawn from `train`, or of
 * `opts.params` (a whole parameter arena) when given. Throws a RangeError when the train split has
 * no rows (there is no batch to measure on).
 */
export function signalAtInit(
  cfg: ResolvedRunConfig,
  data: BatchSource,
  train: Int32Array,
  opts: { kernels?: KernelFactory; params?: Float32Array } = {},
): SignalAtInit {
  const rows = firstBatchRows(cfg, train);
  if (rows.length === 0) throw new RangeError('signal at initialization: the training split has no rows');
  const batchCfg: ResolvedRunConfig = { ...cfg, train: { ...cfg.train, batchSize: rows.length, earlyStopping: null } };
  const shape = runShape(batchCfg, 1, data.values !== null);
  const memory = createRunMemory(runMemoryBytes(shape), true);
  const kernels = opts.kernels ? opts.kernels(memory) : naiveKernels;
  const empty = new Int32Array(0);
  const ctx = createRunContext(batchCfg, shape, memory.buffer, () => new SoloTeam(), kernels, {
    ...data,
    train: rows,
    validation: empty,
    test: empty,
  });
  const { plan, mem, program } = ctx;
  initializeModel(plan, cfg.model.init, cfg.seed, mem.params, mem.bnBuffers);
  if (opts.params) mem.params.set(opts.params);
  program.forwardBackward(rows, 0, rows.length, 1);
  const n = rows.length;
  const layers: SignalLayer[] = plan.hidden.map((h, l) => {
    const b = mem.layers[l];
    return {
      layer: l,
      name: `hidden.${l}`,
      width: h.width,
      preActivationVar: variance(b.z.data, n * h.width),
      activationVar: variance((b.act ?? b.z).data, n * h.width),
      gradVar: variance(b.dZ.data, n * h.width),
    };
  });
  const o = plan.outputSize;
  layers.push({
    layer: plan.hidden.length,
    name: 'output',
    width: o,
    preActivationVar: variance(mem.logits.data, n * o),
    activationVar: null,
    gradVar: variance(mem.dLogits.data, n * o),
  });
  return { rows: n, batch: 'first-training-batch', loss: program.lossSum / n, layers };
}

/** Population variance of x[0, n), float64 accumulation (two passes). */
export function variance(x: Float32Array, n: number): number {
  if (n === 0) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i];
  const mean = sum / n;
  let q = 0;
  for (let i = 0; i < n; i++) q += (x[i] - mean) * (x[i] - mean);
  return q / n;
}

/**
 * The reference benchmark that Ablate and its peers (tfjs, PyTorch) all run, described once so
 * that every side trains the same thing: an MLP 784-512-512-10 with ReLU between layers, softmax
 * cross-entropy averaged over the batch, plain SGD (lr 0.01, no momentum, no weight decay),
 * float32 throughout, Glorot-uniform weights and zero biases, on whole batches of 32, 128 or 512
 * samples of MNIST-shaped data. Throughput is training samples per second; FLOP/s figures derive
 * from referenceFlopsPerSample().
 */

/** Layer widths, input first. */
export const REFERENCE_LAYERS: readonly number[] = [784, 512, 512, 10];
export const REFERENCE_INPUT_DIM = REFERENCE_LAYERS[0];
export const REFERENCE_CLASSES = REFERENCE_LAYERS[REFERENCE_LAYERS.length - 1];
/** The model's name in tables and JSON results: "784-512-512-10". */
export const REFERENCE_MODEL = REFERENCE_LAYERS.join('-');
export const REFERENCE_LEARNING_RATE = 0.01;
export const REFERENCE_BATCH_SIZES: readonly number[] = [32, 128, 512];

/** n samples: x is n x 784 row-major, pixels in [0, 1); y holds class indices 0..9. */
export interface ReferenceData {
  x: Float32Array;
  y: Int32Array;
}

/** Time box shared by the peers: warm-up steps, then whole steps for about `seconds` (at least 3). */
export interface PeerBenchOptions {
  seconds?: number;
  warmupSteps?: number;
}

export const DEFAULT_BENCH_SECONDS = 3;
export const DEFAULT_WARMUP_STEPS = 3;
/** Fewest timed steps, however slow a step is, so that one step's noise is not the whole figure. */
export const MIN_TIMED_STEPS = 3;
/**
 * Share of all CPUs (0..1) taken by other processes during a measurement above which its figure is
 * flagged as disturbed (a busy machine makes any throughput figure meaningless).
 */
export const BUSY_CPU_SHARE = 0.05;

/**
 * Floating-point operations per training sample, counted exactly as:
 * - forward, every layer: 2*in*out (matrix product) + out (bias add);
 * - backward, every layer: 2*in*out for dW plus out for db;
 * - backward, every layer except the first: 2*in*out for dX (the first layer's input gradient is
 *   never needed, and neither PyTorch nor tfjs computes it).
 * ReLU, softmax, the loss and the SGD update are not counted: they are O(width) per sample (the
 * update is per step, not per sample) and add well under 1 % to the 3,211,284 counted.
 */
export function referenceFlopsPerSample(): number {
  let flops = 0;
  for (let l = 1; l < REFERENCE_LAYERS.length; l++) {
    const fanIn = REFERENCE_LAYERS[l - 1];
    const fanOut = REFERENCE_LAYERS[l];
    flops += 2 * fanIn * fanOut + fanOut; // forward
    flops += 2 * fanIn * fanOut + fanOut; // dW, db
    if (l > 1) flops += 2 * fanIn * fanOut; // dX
  }
  return flops;
}

/** Number of samples in `data`; throws if its arrays disagree or a label is out of range. */
export function referenceSampleCount(data: ReferenceData): number {
  const n = data.y.length;
  if (data.x.length !== n * REFERENCE_INPUT_DIM) {
    throw new Error(`reference data: x has ${data.x.length} values, expected ${n} x ${REFERENCE_INPUT_DIM}`);
  }
  for (let i = 0; i < n; i++) {
    const label = data.y[i];
    if (label < 0 || label >= REFERENCE_CLASSES) throw new Error(`reference data: label ${label} at ${i} is outside 0..9`);
  }
  return n;
}

/** Whole batches that fit in n samples; throws when not even one does. */
export function referenceBatchCount(n: number, batch: number): number {
  if (!Number.isInteger(batch) || batch < 1) throw new Error(`batch size must be a positive integer, got ${batch}`);
  const count = Math.floor(n / batch);
  if (count === 0) throw new Error(`batch ${batch} is larger than the data (${n} samples)`);
  return count;
}

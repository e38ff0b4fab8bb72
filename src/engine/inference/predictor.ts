/**
 * Eval-mode inference of a trained model in the calling thread: batch norm with running
 * statistics, dropout as the identity. Used to validate ONNX exports, to draw decision boundaries
 * and hidden units' responses, and to score data. Owns a small private run memory sized for `maxBatch` rows; not thread-safe
 * (one Predictor per thread).
 */
import type { ResolvedRunConfig } from '../config/defaults.js';
import type { KernelFactory } from '../kernels/types.js';
import { batchNormPrepareEval } from '../layers/batchnorm.js';
import { sigmoid } from '../math/activations.js';
import { createRunMemory } from '../memory/wasm-memory.js';
import { naiveKernels } from '../kernels/naive.js';
import { SoloTeam } from '../run/team.js';
import { createRunContext, runMemoryBytes, runShape, type RunContext } from '../train/setup.js';
import type { ModelPlan } from '../model/plan.js';

export interface PredictableModel {
  config: ResolvedRunConfig;
  plan: ModelPlan;
  params: Float32Array;
  bnBuffers: Float32Array;
}

export class Predictor {
  private readonly ctx: RunContext;
  readonly maxBatch: number;

  constructor(model: PredictableModel, opts: { maxBatch?: number; kernels?: KernelFactory } = {}) {
    this.maxBatch = opts.maxBatch ?? 256;
    const cfg: ResolvedRunConfig = { ...model.config, train: { ...model.config.train, batchSize: this.maxBatch, earlyStopping: null } };
    const shape = runShape(cfg, 1, false);
    const memory = createRunMemory(runMemoryBytes(shape), true);
    const kernels = opts.kernels ? opts.kernels(memory) : naiveKernels;
    const empty = new Int32Array(0);
    const data = {
      features: new Float32Array(0),
      d: model.plan.inputSize,
      labels: null,
      values: null,
      width: 1,
      train: empty,
      validation: empty,
      test: empty,
    };
    this.ctx = createRunContext(cfg, shape, memory.buffer, () => new SoloTeam(), kernels, data, true);
    this.ctx.mem.params.set(model.params);
    this.ctx.mem.bnBuffers.set(model.bnBuffers);
    for (const bn of this.ctx.views.bns) if (bn) batchNormPrepareEval(bn);
  }

  /** Logits (n, outputs) for rows x (n, inputs); `probabilities` applies softmax or sigmoid. */
  predict(x: Float32Array, n: number, probabilities = false): Float32Array {
    const { plan, mem, program } = this.ctx;
    const d = plan.inputSize;
    const o = plan.outputSize;
    if (x.length < n * d) throw new RangeError(`predict: expected ${n} rows of ${d} features, got ${x.length} values`);
    const out = new Float32Array(n * o);
    for (let start = 0; start < n; start += this.maxBatch) {
      const rows = Math.min(this.maxBatch, n - start);
      mem.input.data.set(x.subarray(start * d, (start + rows) * d));
      program.forwardEval(rows);
      out.set(mem.logits.data.subarray(0, rows * o), start * o);
    }
    if (probabilities) applyHead(plan.head, out, n, o);
    return out;
  }

  /**
   * Activation outputs (n, width) of hidden layer `layer` for rows x (n, inputs), in eval mode:
   * the activation function's output (the linear output for identity), before dropout and the
   * residual sum, what the diagnostics call a unit's activation.
   */
  hiddenActivations(x: Float32Array, n: number, layer: number): Float32Array {
    const { plan, mem, program } = this.ctx;
    const h = plan.hidden[layer];
    if (!h) throw new RangeError(`hiddenActivations: the model has ${plan.hidden.length} hidden layers, not layer ${layer}`);
    const d = plan.inputSize;
    if (x.length < n * d) throw new RangeError(`hiddenActivations: expected ${n} rows of ${d} features, got ${x.length} values`);
    const out = new Float32Array(n * h.width);
    const b = mem.layers[layer];
    for (let start = 0; start < n; start += this.maxBatch) {
      const rows = Math.min(this.maxBatch, n - start);
      mem.input.data.set(x.subarray(start * d, (start + rows) * d));
      program.forwardEval(rows);
      out.set((b.act ?? b.z).data.subarray(0, rows * h.width), start * h.width);
    }
    return out;
  }
}

/** In place: softmax over each row (softmax head) or elementwise sigmoid (sigmoid head). */
export function applyHead(head: ModelPlan['head'], z: Float32Array, n: number, o: number): void {
  if (head === 'sigmoid') for (let i = 0; i < n * o; i++) z[i] = sigmoid(z[i]);
  if (head !== 'softmax') return;
  for (let r = 0; r < n; r++) {
    let max = -Infinity;
    for (let c = 0; c < o; c++) max = Math.max(max, z[r * o + c]);
    let sum = 0;
    for (let c = 0; c < o; c++) sum += Math.exp(z[r * o + c] - max);
    for (let c = 0; c < o; c++) z[r * o + c] = Math.exp(z[r * o + c] - max) / sum;
  }
}

/**
 * The MLP's forward and backward passes cut into the pieces the step program schedules:
 * per-chunk pieces (rows of the batch) and per-block pieces (output features of a weight
 * gradient, features of a batch norm). A hidden layer's forward is part A (up to the point where
 * batch-norm statistics of the whole batch are needed) and part B (the rest); its backward is
 * part B' (up to the batch-norm reduction) and part A' (the rest). Without batch norm the parts
 * simply run back to back. Holds no state of its own beyond views; safe in any thread.
 */
import type { Kernels } from '../kernels/types.js';
import { activationBackward, activationForward, activationSpec, type ActivationSpec } from '../layers/activation.js';
import { batchNormApply, batchNormBackwardInput, batchNormBackwardReduce, batchNormStats } from '../layers/batchnorm.js';
import { dropoutBackward, dropoutForward, dropoutMask } from '../layers/dropout.js';
import { linearBackwardInput, linearBackwardWeight, linearForward } from '../layers/linear.js';
import { copyPrefix, residualBackwardSkip, residualForward } from '../layers/residual.js';
import type { RowBuffer, RunMemory } from '../run/run-memory.js';
import type { FeatureBlock } from '../run/work-plan.js';
import type { ModelPlan } from '../model/plan.js';
import type { ModelViews } from '../run/model-views.js';

/** Views of a feature block inside one layer's tensors, made once and reused every step. */
interface BlockViews {
  dW: Float32Array;
  w: Float32Array;
  db: Float32Array;
}

export class Network {
  readonly L: number;
  private readonly acts: ActivationSpec[];
  /** Keyed by the work plan's block objects, which are unique per layer and tensor. */
  private readonly blockViews = new WeakMap<FeatureBlock, BlockViews>();

  constructor(
    readonly k: Kernels,
    readonly plan: ModelPlan,
    readonly mem: RunMemory,
    readonly views: ModelViews,
    private readonly seed: number,
  ) {
    this.L = plan.hidden.length;
    this.acts = plan.hidden.map((h) => activationSpec(h.activation, h.alpha));
  }

  /** The buffer feeding linear layer l (the input batch for l = 0). */
  inputOf(l: number): RowBuffer {
    return l === 0 ? this.mem.input : this.mem.layers[l - 1].out;
  }

  /** dLoss/dz of linear layer l (the logits' gradient for the output layer). */
  gradZ(l: number): RowBuffer {
    return l === this.L ? this.mem.gLogits : this.mem.layers[l].gZ;
  }

  forwardA(l: number, c: number, rows: number): void {
    const h = this.plan.hidden[l];
    const b = this.mem.layers[l];
    linearForward(this.k, this.views.linears[l], this.inputOf(l).at[c], b.z.at[c], rows);
    if (h.batchNorm === 'pre') return;
    if (b.act) activationForward(this.k, this.acts[l], b.z.at[c], b.act.at[c], rows * h.width);
  }

  /** `rowStart` is the chunk's first row in the batch (keys the dropout streams). */
  forwardB(l: number, c: number, rows: number, training: boolean, step: number, rowStart: number): void {
    const h = this.plan.hidden[l];
    const b = this.mem.layers[l];
    const n = rows * h.width;
    const bn = this.views.bns[l];
    if (bn && b.bn) {
      if (h.batchNorm === 'pre') {
        batchNormApply(this.k, bn, training, b.z.at[c], b.bn.xhat.at[c], b.bn.y.at[c], rows);
        if (b.act) activationForward(this.k, this.acts[l], b.bn.y.at[c], b.act.at[c], n);
      } else {
        batchNormApply(this.k, bn, training, b.bnIn!.at[c], b.bn.xhat.at[c], b.bn.y.at[c], rows);
      }
    }
    let cur = b.preDrop;
    if (b.mask && b.drop) {
      if (training) {
        dropoutMask(this.seed, step, l, h.dropout, b.mask.at[c], rowStart, rows, h.width);
        dropoutForward(this.k, cur.at[c], b.mask.at[c], b.drop.at[c], n);
      } else {
        copyPrefix(cur.at[c], b.drop.at[c], n);
      }
      cur = b.drop;
    }
    if (b.res) residualForward(this.k, this.inputOf(l).at[c], cur.at[c], b.res.at[c], n);
  }

  outputForward(c: number, rows: number): void {
    linearForward(this.k, this.views.linears[this.L], this.inputOf(this.L).at[c], this.mem.logits.at[c], rows);
  }

  /** Training batch statistics (and running update) for a block of features of hidden layer l. */
  bnStatsBlock(l: number, block: FeatureBlock, rows: number): void {
    batchNormStats(this.k, this.views.bns[l]!, this.mem.layers[l].bnIn!.data, rows, block.f0, block.f1);
  }

  backwardB(l: number, c: number, rows: number): void {
    const h = this.plan.hidden[l];
    const b = this.mem.layers[l];
    const n = rows * h.width;
    if (b.mask) dropoutBackward(this.k, b.gOut.at[c], b.mask.at[c], b.gZ.at[c], n);
    else copyPrefix(b.gOut.at[c], b.gZ.at[c], n);
    if (h.batchNorm === 'post') return;
    if (b.act) activationBackward(this.k, this.acts[l], b.actIn.at[c], b.act.at[c], b.gZ.at[c], n);
  }

  bnReduceBlock(l: number, block: FeatureBlock, rows: number): number {
    const bn = this.views.bns[l]!;
    batchNormBackwardReduce(this.k, bn, this.mem.layers[l].gZ.data, this.mem.layers[l].bn!.xhat.data, rows, block.f0, block.f1);
    const v = this.viewsOf(block, bn.dGamma, bn.gamma, bn.dBeta, 1);
    const n = block.f1 - block.f0;
    return this.k.sumSquares(v.dW, n) + this.k.sumSquares(v.db, n);
  }

  backwardA(l: number, c: number, rows: number, batch: number): void {
    const h = this.plan.hidden[l];
    const b = this.mem.layers[l];
    batchNormBackwardInput(this.k, this.views.bns[l]!, b.gZ.at[c], b.bn!.xhat.at[c], rows, batch);
    if (h.batchNorm === 'post' && b.act) activationBackward(this.k, this.acts[l], b.z.at[c], b.act.at[c], b.gZ.at[c], rows * h.width);
  }

  /**
   * dW, db of linear layer l for a block of output features, plus the penalty gradient
   * (2*l2*W + l1*sign(W)) on the weights; returns the block's squared gradient norm.
   */
  weightGradBlock(l: number, block: FeatureBlock, rows: number, l1: number, l2: number): number {
    const lin = this.views.linears[l];
    linearBackwardWeight(this.k, lin, this.gradZ(l).data, this.inputOf(l).data, rows, block.f0, block.f1);
    const v = this.viewsOf(block, lin.dW, lin.w, lin.db, lin.inDim);
    const n = (block.f1 - block.f0) * lin.inDim;
    if (l1 !== 0 || l2 !== 0) this.k.addPenaltyGrad(v.w, v.dW, n, l1, l2);
    return this.k.sumSquares(v.dW, n) + this.k.sumSquares(v.db, block.f1 - block.f0);
  }

  /** Views from the block's first row of a (rows, width) gradient/weight pair and its bias-like vector. */
  private viewsOf(block: FeatureBlock, grad: Float32Array, weight: Float32Array, vector: Float32Array, width: number): BlockViews {
    let v = this.blockViews.get(block);
    if (!v) {
      v = { dW: grad.subarray(block.f0 * width), w: weight.subarray(block.f0 * width), db: vector.subarray(block.f0) };
      this.blockViews.set(block, v);
    }
    return v;
  }

  /** gOut of hidden layer l-1 for chunk c: gradZ(l) W_l, plus the skip gradient when l is residual. */
  inputGradChunk(l: number, c: number, rows: number): void {
    const target = this.mem.layers[l - 1].gOut;
    const residual = l < this.L && this.plan.hidden[l].residual;
    if (residual) residualBackwardSkip(this.mem.layers[l].gOut.at[c], target.at[c], rows * target.width);
    linearBackwardInput(this.k, this.views.linears[l], this.gradZ(l).at[c], target.at[c], rows, residual);
  }
}

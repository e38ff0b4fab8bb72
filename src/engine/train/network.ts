/**
 * The MLP's forward and backward passes cut into the pieces the step program schedules: per-chunk
 * pieces (rows of the batch) and per-block pieces (output features of a weight gradient, features
 * of a batch norm). Batch norm needs statistics of the whole batch, so a hidden layer's forward
 * runs in two halves around that barrier: forwardBeforeStats (linear, and the activation when the
 * norm follows it) and forwardAfterStats (normalize, the activation when the norm precedes it,
 * dropout, residual: x + branch, or P x + branch through the learned projection when the widths
 * differ). Its backward likewise runs backwardBeforeReduce (dropout, and the activation
 * unless the norm follows it) and backwardAfterReduce (the norm's input gradient, the activation
 * when the norm follows it) around the batch-norm reduction. Without batch norm the halves simply
 * run back to back. The math of each piece is in its layers/ file; here only the order and the
 * buffers. Holds no state of its own beyond views; safe in any thread.
 */
import type { Kernels } from '../kernels/types.js';
import type { ActivationFn } from '../layers/activation.js';
import { batchNormFinishStats } from '../layers/batchnorm.js';
import { dropoutMask, dropoutRate, type DropoutRate } from '../layers/dropout.js';
import { residualBackwardSkip } from '../layers/residual.js';
import type { Penalties } from '../losses/penalties.js';
import { activationCode } from '../math/activations.js';
import { copyPrefix } from '../memory/copy.js';
import type { ModelPlan } from '../model/plan.js';
import type { ModelViews } from '../run/model-views.js';
import type { RowBuffer, RunMemory } from '../run/run-memory.js';
import type { FeatureBlock } from '../run/work-plan.js';

/** The block's two squared-norm slots (unitSumSq[2 * slot], [2 * slot + 1]), where the kernels write. */
interface NormSlots {
  sq0: Float64Array;
  sq1: Float64Array;
}

/** Views from the first row of a block of output features of a linear layer's tensors. */
interface LinearBlockViews extends NormSlots {
  w: Float32Array;
  dW: Float32Array;
  db: Float32Array;
}

/** Views from the first feature of a block of a batch norm's parameter gradients. */
interface BatchNormBlockViews extends NormSlots {
  dGamma: Float32Array;
  dBeta: Float32Array;
}

export class Network {
  /** Index of the output linear layer (= the number of hidden layers). */
  readonly outputLayer: number;
  private readonly activations: ActivationFn[];
  private readonly dropoutRates: DropoutRate[];
  /** Keyed by the work plan's block objects, which are unique per layer and tensor; made once. */
  private readonly linearBlocks = new WeakMap<FeatureBlock, LinearBlockViews>();
  private readonly batchNormBlocks = new WeakMap<FeatureBlock, BatchNormBlockViews>();

  constructor(
    readonly k: Kernels,
    readonly plan: ModelPlan,
    readonly mem: RunMemory,
    readonly views: ModelViews,
    private readonly seed: number,
  ) {
    this.outputLayer = plan.hidden.length;
    this.activations = plan.hidden.map((h) => ({ code: activationCode(h.activation), alpha: h.alpha }));
    this.dropoutRates = plan.hidden.map((h) => dropoutRate(h.dropout));
  }

  /** The buffer feeding linear layer l (the input batch for l = 0). */
  inputOf(l: number): RowBuffer {
    return l === 0 ? this.mem.input : this.mem.layers[l - 1].out;
  }

  /** dLoss/dz of linear layer l (the logits' gradient for the output layer). */
  dZOf(l: number): RowBuffer {
    return l === this.outputLayer ? this.mem.dLogits : this.mem.layers[l].dZ;
  }

  /**
   * Hidden layer l, chunk c: z = x W^T + b (unless `linearDone`: a team's first layer, computed by
   * features), then the activation unless the norm comes first.
   */
  forwardBeforeStats(l: number, c: number, rows: number, linearDone = false): void {
    const h = this.plan.hidden[l];
    const b = this.mem.layers[l];
    if (!linearDone) this.linearForward(l, this.inputOf(l).at[c], b.z.at[c], rows);
    if (h.batchNorm === 'pre') return;
    if (b.act) this.activationForward(l, b.z.at[c], b.act.at[c], rows * h.width);
  }

  /** The rest of hidden layer l on chunk c; `rowStart` (its first row in the batch) keys dropout. */
  forwardAfterStats(l: number, c: number, rows: number, training: boolean, step: number, rowStart: number): void {
    const h = this.plan.hidden[l];
    const b = this.mem.layers[l];
    const n = rows * h.width;
    const bn = this.views.bns[l];
    if (bn && b.bn && b.bnIn) {
      const mean = training ? bn.mean : bn.runningMean;
      const rstd = training ? bn.rstd : bn.evalRstd;
      this.k.bnApply(b.bnIn.at[c], mean, rstd, bn.gamma, bn.beta, b.bn.xhat.at[c], b.bn.y.at[c], rows, h.width);
      if (h.batchNorm === 'pre' && b.act) this.activationForward(l, b.bn.y.at[c], b.act.at[c], n);
    }
    let cur = b.preDrop;
    if (b.mask && b.drop) {
      if (training) {
        dropoutMask(this.seed, step, l, this.dropoutRates[l], b.mask.at[c], rowStart, rows, h.width);
        this.k.mul(cur.at[c], b.mask.at[c], b.drop.at[c], n);
      } else {
        copyPrefix(cur.at[c], b.drop.at[c], n);
      }
      cur = b.drop;
    }
    if (!b.res) return;
    const proj = this.views.projections[l];
    if (proj) {
      // res = P x (+ the zero bias), then res + branch.
      this.k.linearForward(this.inputOf(l).at[c], proj.w, proj.b, b.res.at[c], rows, proj.inDim, proj.outDim);
      this.k.add(b.res.at[c], cur.at[c], b.res.at[c], n);
    } else {
      this.k.add(this.inputOf(l).at[c], cur.at[c], b.res.at[c], n);
    }
  }

  outputForward(c: number, rows: number): void {
    this.linearForward(this.outputLayer, this.inputOf(this.outputLayer).at[c], this.mem.logits.at[c], rows);
  }

  /** Training batch statistics (and the running update) for a block of features of hidden layer l. */
  bnStatsBlock(l: number, block: FeatureBlock, rows: number): void {
    const bn = this.views.bns[l]!;
    this.k.bnStats(this.mem.layers[l].bnIn!.data, bn.mean, bn.variance, rows, bn.width, block.f0, block.f1);
    batchNormFinishStats(bn, rows, block.f0, block.f1);
  }

  /** Hidden layer l, chunk c: dOut back through dropout (and the activation unless the norm follows it) into dZ. */
  backwardBeforeReduce(l: number, c: number, rows: number): void {
    const h = this.plan.hidden[l];
    const b = this.mem.layers[l];
    const n = rows * h.width;
    const act = h.batchNorm === 'post' ? null : b.act; // after the reduction when the norm follows it
    if (b.mask) this.k.mul(b.dOut.at[c], b.mask.at[c], b.dZ.at[c], n);
    else if (!act) copyPrefix(b.dOut.at[c], b.dZ.at[c], n);
    if (!act) return;
    // Without dropout the activation reads dOut and writes dZ itself (no copy pass first).
    const a = this.activations[l];
    const d = b.mask ? b.dZ.at[c] : b.dOut.at[c];
    this.k.activationBackward(a, b.actIn.at[c], act.at[c], d, b.dZ.at[c], n);
  }

  /**
   * dGamma, dBeta for a block of features of hidden layer l; their squared norms go to the
   * block's slots (written, not returned: a returned double would be allocated per call).
   */
  bnReduceBlock(l: number, block: FeatureBlock, rows: number): void {
    const bn = this.views.bns[l]!;
    const b = this.mem.layers[l];
    this.k.bnBackwardReduce(b.dZ.data, b.bn!.xhat.data, bn.dGamma, bn.dBeta, rows, bn.width, block.f0, block.f1);
    let v = this.batchNormBlocks.get(block);
    if (!v) {
      v = { dGamma: bn.dGamma.subarray(block.f0), dBeta: bn.dBeta.subarray(block.f0), ...this.normSlots(block) };
      this.batchNormBlocks.set(block, v);
    }
    const n = block.f1 - block.f0;
    this.k.sumSquares(v.dGamma, n, v.sq0);
    this.k.sumSquares(v.dBeta, n, v.sq1);
  }

  /** Hidden layer l, chunk c of a batch of `batch` rows: the norm's input gradient (then the activation when it follows the norm). */
  backwardAfterReduce(l: number, c: number, rows: number, batch: number): void {
    const h = this.plan.hidden[l];
    const b = this.mem.layers[l];
    const bn = this.views.bns[l]!;
    const dZ = b.dZ.at[c];
    this.k.bnBackwardInput(dZ, b.bn!.xhat.at[c], bn.gamma, bn.rstd, bn.dGamma, bn.dBeta, dZ, rows, h.width, batch);
    if (h.batchNorm === 'post' && b.act) this.activationBackward(l, b.z.at[c], b.act.at[c], dZ, rows * h.width);
  }

  /**
   * dW, db of linear layer l for a block of output features, plus the penalty gradient
   * (2*l2*W + l1*sign(W)) on the weights; their squared norms go to the block's slots.
   */
  weightGradBlock(l: number, block: FeatureBlock, rows: number, penalties: Penalties): void {
    const lin = this.views.linears[l];
    this.k.linearBackwardWeight(this.dZOf(l).data, this.inputOf(l).data, lin.dW, lin.db, rows, lin.inDim, lin.outDim, block.f0, block.f1);
    let v = this.linearBlocks.get(block);
    if (!v) {
      v = {
        w: lin.w.subarray(block.f0 * lin.inDim),
        dW: lin.dW.subarray(block.f0 * lin.inDim),
        db: lin.db.subarray(block.f0),
        ...this.normSlots(block),
      };
      this.linearBlocks.set(block, v);
    }
    const n = (block.f1 - block.f0) * lin.inDim;
    if (penalties.l1 !== 0 || penalties.l2 !== 0) this.k.addPenaltyGrad(v.w, v.dW, n, penalties);
    this.k.sumSquares(v.dW, n, v.sq0);
    this.k.sumSquares(v.db, block.f1 - block.f0, v.sq1);
  }

  /**
   * dP of hidden layer l's residual projection for a block of its output features: dP = dOut^T x
   * (dOut the gradient of the layer's output, x its input), plus the penalty gradient; its squared
   * norm goes to the block's first slot, 0 to the second.
   */
  projectionGradBlock(l: number, block: FeatureBlock, rows: number, penalties: Penalties): void {
    const proj = this.views.projections[l]!;
    const dOut = this.mem.layers[l].dOut.data;
    this.k.linearBackwardWeight(dOut, this.inputOf(l).data, proj.dW, proj.db, rows, proj.inDim, proj.outDim, block.f0, block.f1);
    let v = this.linearBlocks.get(block);
    if (!v) {
      v = { w: proj.w.subarray(block.f0 * proj.inDim), dW: proj.dW.subarray(block.f0 * proj.inDim), db: proj.db, ...this.normSlots(block) };
      this.linearBlocks.set(block, v);
    }
    const n = (block.f1 - block.f0) * proj.inDim;
    if (penalties.l1 !== 0 || penalties.l2 !== 0) this.k.addPenaltyGrad(v.w, v.dW, n, penalties);
    this.k.sumSquares(v.dW, n, v.sq0);
    v.sq1[0] = 0;
  }

  /** dOut of hidden layer l-1 for chunk c: dZ(l) W_l, plus the skip's gradient when l is residual (dOut(l), or dOut(l) P through a projection). */
  inputGradChunk(l: number, c: number, rows: number): void {
    const target = this.mem.layers[l - 1].dOut;
    const residual = l < this.outputLayer && this.plan.hidden[l].residual;
    const proj = l < this.outputLayer ? this.views.projections[l] : null;
    if (proj) this.k.linearBackwardInput(this.mem.layers[l].dOut.at[c], proj.w, target.at[c], rows, proj.inDim, proj.outDim, false);
    else if (residual) residualBackwardSkip(this.mem.layers[l].dOut.at[c], target.at[c], rows * target.width);
    const lin = this.views.linears[l];
    this.k.linearBackwardInput(this.dZOf(l).at[c], lin.w, target.at[c], rows, lin.inDim, lin.outDim, residual);
  }

  private normSlots(block: FeatureBlock): NormSlots {
    const i = 2 * block.sumSqSlot;
    return { sq0: this.mem.unitSumSq.subarray(i, i + 1), sq1: this.mem.unitSumSq.subarray(i + 1, i + 2) };
  }

  private linearForward(l: number, x: Float32Array, y: Float32Array, rows: number): void {
    const lin = this.views.linears[l];
    this.k.linearForward(x, lin.w, lin.b, y, rows, lin.inDim, lin.outDim);
  }

  private activationForward(l: number, inp: Float32Array, out: Float32Array, n: number): void {
    const a = this.activations[l];
    this.k.activationForward(a, inp, out, n);
  }

  /** In place on the gradient: d = d * f'(inp) (out = f(inp) is available to the kernel). */
  private activationBackward(l: number, inp: Float32Array, out: Float32Array, d: Float32Array, n: number): void {
    const a = this.activations[l];
    this.k.activationBackward(a, inp, out, d, d, n);
  }
}

/**
 * One training step (and one evaluation batch) as a sequence of phases over the run's team.
 * Every thread of the team executes this same program; a phase hands out units (row chunks,
 * feature blocks, parameter blocks) and ends at a barrier. Forward and backward per row chunk,
 * batch-norm statistics and reductions per feature block, weight gradients per block of output
 * features (summed over the whole batch), optimizer updates per parameter block. Results are
 * bitwise independent of the team size. Scalars every thread needs (loss sum, gradient norm) are
 * computed by each thread from shared memory in a fixed order, before the next writer can run.
 * A team of two or more computes the first hidden layer by output features instead
 * (train/first-layer-split.ts): the same bits, each of its weights kept by one core.
 */
import type { ResolvedRunConfig } from '../config/defaults.js';
import type { Kernels } from '../kernels/types.js';
import { computeLoss, type LossTargets } from '../losses/index.js';
import type { Network } from './network.js';
import { Phase, type Team } from '../run/team.js';
import { Sync, type RunMemory } from '../run/run-memory.js';
import { chunkLength, chunkStart, type FeatureBlock, type WorkPlan } from '../run/work-plan.js';
import { clipCoefficient, ClipNorms, maxGradNorm } from '../optim/clipping.js';
import type { StepRecords } from './outcome.js';
import { StepField } from './step-log.js';
import { StepScalar, updateParamBlock, type OptimizerBlocks } from './optimizer.js';
import { FirstLayerSplit } from './first-layer-split.js';
import { gatherRowsFor, type GatherRows } from './gather-rows.js';

/** Where training rows come from: the shared dataset (read only). */
export interface BatchSource {
  features: Float32Array; // (n, d)
  d: number;
  labels: Int32Array | null; // class targets (n)
  values: Float32Array | null; // float targets (n, width)
  width: number;
}

/** A piece of the forward pass: half of a hidden layer (around its batch-norm statistics) or the output layer. */
type Stage = { kind: 'beforeStats' | 'afterStats'; layer: number } | { kind: 'output' };

const UnitKind = { weight: 0, projection: 1, batchNorm: 2 } as const;
/** A unit that needs a layer's gradient for every row: dW, db (or a projection's dP) or a batch-norm reduction, for a block of features. */
interface BlockUnit {
  kind: (typeof UnitKind)[keyof typeof UnitKind];
  layer: number;
  block: FeatureBlock;
}

/**
 * The backward pass runs as pairs of phases. The row phase takes each chunk's gradient from dZ of
 * layer `top` down as far as rows alone decide it (the whole network without batch norm); the
 * block phase then computes what needs every row of the layers it finished: their weight
 * gradients and, where the rows stopped at a batch norm, its reduction. The next pair resumes
 * below that norm. Without batch norm a step has three barriers (rows, blocks, update) instead of
 * a phase per layer, and the blocks of all layers share one phase, so the threads balance them
 * together (BENCHMARKS.md, "Where the second worker's time goes").
 */
interface BackwardPhase {
  top: number;
  resume: boolean;
  /** Largest first, so that the phase ends on small units and its threads arrive close together. */
  units: BlockUnit[];
}

/**
 * StepProgram.tally's slots: the loss and correct-prediction sums and the rows of the steps since
 * the loop last reset them (each epoch), and the mean loss of the first step since the run began
 * (NaN before it).
 */
export const Tally = { loss: 0, correct: 1, rows: 2, firstLoss: 3 } as const;

export class StepProgram {
  /** Results of the last step, read by the loop (no per-step allocation). */
  lossSum = 0;
  correct = 0;
  gradNormSq = 0;
  diverged = false;
  stopRequested = false;
  /**
   * Sums over training steps, kept by the steps rather than by the epoch loop, which V8 runs
   * unoptimized for thousands of steps, where every double it touched would be a new heap number
   * (issue 17: nothing allocated per step). Indexed by Tally; the loop resets it.
   */
  readonly tally = Float64Array.of(0, 0, 0, NaN);
  /** The last step's mean loss exceeded cfg.train.divergenceFactor x the first step's (tally). */
  exploded = false;
  /** The epoch the loop is in, for the step log. */
  epoch = 0;
  /** Where each training step's record is written (the leader's, for live plots), or null. */
  stepLog: StepRecords | null = null;
  /** Leader only: sees each evaluation batch's activations before they are overwritten. */
  evalObserver: { observeEval(rows: number): void } | null = null;
  /** Leader only: sees each training step's activations before the next step overwrites them. */
  stepObserver: { observeActivations(rows: number): void } | null = null;

  private readonly trainSegments: Stage[][] = [];
  private readonly syncLayers: number[] = [];
  private readonly evalStages: Stage[] = [];
  private readonly backward: BackwardPhase[] = [];
  /** A team's first hidden layer by features (FirstLayerSplit), or null: by rows, as everything else. */
  private readonly firstLayer: FirstLayerSplit | null;
  /** The units of the backward's last block phase that any thread claims (without firstLayer's own). */
  private readonly lastBlockUnits: BlockUnit[];
  /** The optimizer blocks any thread claims (without firstLayer's own). */
  private readonly sharedUpdates: OptimizerBlocks['blocks'];
  /** The training forward's first-layer product is done (by features) for this step. */
  private firstLinearDone = false;
  /** The loss targets of each chunk, as views made once. */
  private readonly targets: LossTargets[];
  /** Copies a chunk's dataset rows into its input buffer (gather-rows.ts). */
  private readonly gatherRows: GatherRows;
  // Per-call state read by the unit functions.
  private indices: Int32Array = new Int32Array(0);
  private start = 0;
  private rows = 0;
  private step = 0;
  private training = false;
  /**
   * The last step's gradient norm and clipping coefficient, and the run's norm bound (slots
   * ClipNorms, for clipCoefficient). The coefficient stays here: stored in a field of its own, it
   * was a new heap number per step.
   */
  private readonly norms = new Float64Array(3);
  /** Training steps run by this program, as the chunkDone stamp (the same count in every thread). */
  private stamp = 0;

  constructor(
    private readonly net: Network,
    private readonly work: WorkPlan,
    private readonly team: Team,
    private readonly cfg: ResolvedRunConfig,
    private readonly mem: RunMemory,
    private readonly k: Kernels,
    private readonly data: BatchSource,
    private readonly optimizer: OptimizerBlocks,
  ) {
    // The norm bound is the run's, set once (the clamp bound is the optimizer's, bindOptimizer): read
    // from the config per step, it was a new heap number per step once a worker had run configs of
    // several shapes.
    this.norms[ClipNorms.maxNorm] = maxGradNorm(cfg.train.clip);
    this.norms[ClipNorms.coef] = 1;
    this.targets = mem.labelsAt.map((labels, c) => ({ labels, values: data.values ? mem.targetValues.at[c] : null }));
    this.gatherRows = gatherRowsFor(k.name);
    let segment: Stage[] = [];
    net.plan.hidden.forEach((h, l) => {
      segment.push({ kind: 'beforeStats', layer: l });
      this.evalStages.push({ kind: 'beforeStats', layer: l }, { kind: 'afterStats', layer: l });
      if (h.bn) {
        this.trainSegments.push(segment);
        this.syncLayers.push(l);
        segment = [];
      }
      segment.push({ kind: 'afterStats', layer: l });
    });
    segment.push({ kind: 'output' });
    this.evalStages.push({ kind: 'output' });
    this.trainSegments.push(segment);
    const linears = [...net.plan.hidden.map((h) => h.linear), net.plan.output];
    for (let top = net.outputLayer, resume = false; ; resume = true) {
      let low = top;
      while (low > 0 && !net.plan.hidden[low - 1].bn) low--;
      const units: Array<BlockUnit & { cost: number }> = [];
      for (let l = low; l <= top; l++) {
        const inDim = linears[l].inDim;
        for (const block of work.weightBlocks[l])
          units.push({ kind: UnitKind.weight, layer: l, block, cost: (block.f1 - block.f0) * inDim });
        if (l < net.outputLayer) {
          for (const block of work.projBlocks[l])
            units.push({ kind: UnitKind.projection, layer: l, block, cost: (block.f1 - block.f0) * inDim });
        }
      }
      const bn = low - 1; // the batch norm the row phase stopped at, if any
      if (bn >= 0)
        for (const block of work.bnBlocks[bn]) units.push({ kind: UnitKind.batchNorm, layer: bn, block, cost: 3 * (block.f1 - block.f0) });
      units.sort((a, b) => b.cost - a.cost);
      this.backward.push({ top, resume, units: units.map(({ kind, layer, block }) => ({ kind, layer, block })) });
      if (bn < 0) break;
      top = bn;
    }
    this.firstLayer = FirstLayerSplit.applies(team, work) ? new FirstLayerSplit(net, work, team, optimizer, k) : null;
    const lastUnits = this.backward[this.backward.length - 1].units;
    this.lastBlockUnits = this.firstLayer ? lastUnits.filter((u) => !(u.kind === UnitKind.weight && u.layer === 0)) : lastUnits;
    this.sharedUpdates = this.firstLayer ? this.firstLayer.sharedUpdates : optimizer.blocks;
  }

  /** The last step's norm-clipping coefficient (1 when it did not clip). */
  get clipCoef(): number {
    return this.norms[ClipNorms.coef];
  }

  /** One optimizer step on batch rows indices[start, start + rows). */
  trainStep(indices: Int32Array, start: number, rows: number, step: number, lr: number, optStep: number): void {
    this.forwardBackward(indices, start, rows, step);
    this.finishStep(lr, optStep);
  }

  /**
   * Training-mode forward and backward: leaves the gradient of the batch-mean loss (plus the
   * penalty terms' gradient) in the gradient arena and per-unit squared norms in unitSumSq.
   * `step` keys the dropout masks, so the same step number reproduces the same masks.
   */
  forwardBackward(indices: Int32Array, start: number, rows: number, step: number): void {
    this.setBatch(indices, start, rows, step, true);
    const { team, work, net } = this;
    const chunks = work.chunks;
    const split = this.firstLayer;
    if (split) {
      // Every row gathered before any thread computes its features of the first layer for all rows.
      for (let c = team.next(chunks); c >= 0; c = team.next(chunks)) {
        const n = chunkLength(work, c, rows);
        if (n > 0) this.gather(c, chunkStart(work, c, rows), n);
      }
      team.barrier(Phase.rows);
      split.forward(rows);
      team.barrier(Phase.rows);
    }
    this.firstLinearDone = split !== null;
    // Forward up to the last segment, with batch-norm statistics between segments.
    const last = this.trainSegments.length - 1;
    for (let s = 0; s < last; s++) {
      for (let c = team.next(chunks); c >= 0; c = team.next(chunks)) this.forwardChunk(c, this.trainSegments[s], s === 0 && !split);
      team.barrier(Phase.rows);
      const l = this.syncLayers[s];
      const blocks = work.bnBlocks[l];
      for (let u = team.next(blocks.length); u >= 0; u = team.next(blocks.length)) net.bnStatsBlock(l, blocks[u], rows);
      team.barrier(Phase.batchNorm);
    }
    // Backward in pairs of phases (see BackwardPhase); the first row phase also runs the last
    // forward segment, so that a chunk's loss gradient goes straight on down.
    const penalties = this.cfg.train.penalties;
    for (let p = 0; p < this.backward.length; p++) {
      const ph = this.backward[p];
      if (p === 0) {
        // Two units per chunk, all forwards first: a thread that runs out of forwards takes a
        // chunk's backward (waiting, if need be, for the forward another thread is finishing),
        // so the phase ends on units a third of the size (BENCHMARKS.md, "Where the second
        // worker's time goes"). Every thread counts the steps alike, so the stamp agrees.
        const stamp = (this.stamp = (this.stamp + 1) | 0);
        const done = this.mem.chunkDone;
        const units = 2 * chunks;
        for (let u = team.next(units); u >= 0; u = team.next(units)) {
          if (u < chunks) {
            this.forwardChunk(u, this.trainSegments[last], last === 0 && !split);
            Atomics.store(done, u, stamp);
          } else {
            team.waitFlag(done, u - chunks, stamp);
            this.backwardRows(u - chunks, ph.top, ph.resume);
          }
        }
      } else {
        for (let c = team.next(chunks); c >= 0; c = team.next(chunks)) this.backwardRows(c, ph.top, ph.resume);
      }
      team.barrier(Phase.rows);
      let units = ph.units;
      if (p === this.backward.length - 1) {
        units = this.lastBlockUnits;
        // This thread's own features of the first layer first (their weights stay on its core).
        if (split) for (const block of split.gradBlocks) net.weightGradBlock(0, block, rows, penalties);
      }
      for (let u = team.next(units.length); u >= 0; u = team.next(units.length)) {
        const { kind, layer, block } = units[u];
        if (kind === UnitKind.weight) net.weightGradBlock(layer, block, rows, penalties);
        else if (kind === UnitKind.projection) net.projectionGradBlock(layer, block, rows, penalties);
        else net.bnReduceBlock(layer, block, rows);
      }
      team.barrier(Phase.weights);
    }
    this.firstLinearDone = false;
    this.sumRows(); // rowLoss is stable until the next step's forward, after finishStep's barrier
  }

  /**
   * Eval-mode forward of the first `rows` rows already in the input buffer, leaving outputs in
   * the logits buffer (no gather, no loss): inference for the Predictor.
   */
  forwardEval(rows: number): void {
    this.rows = rows;
    this.training = false;
    const chunks = this.work.chunks;
    for (let c = this.team.next(chunks); c >= 0; c = this.team.next(chunks)) this.forwardChunk(c, this.evalStages, false, false);
    this.team.barrier();
  }

  /** Eval-mode forward and loss for rows indices[start, start + rows); sums land in lossSum/correct. */
  evalBatch(indices: Int32Array, start: number, rows: number): void {
    this.setBatch(indices, start, rows, 0, false);
    const chunks = this.work.chunks;
    for (let c = this.team.next(chunks); c >= 0; c = this.team.next(chunks)) this.forwardChunk(c, this.evalStages, true);
    this.team.barrier();
    this.sumRows();
    this.evalObserver?.observeEval(rows);
    this.team.barrier(); // nobody overwrites rowLoss or activations before every thread is done reading
  }

  private setBatch(indices: Int32Array, start: number, rows: number, step: number, training: boolean): void {
    this.indices = indices;
    this.start = start;
    this.rows = rows;
    this.step = step;
    this.training = training;
  }

  /** Runs `stages` on chunk c; `gather` fetches its rows from the dataset, `loss` scores the outputs. */
  private forwardChunk(c: number, stages: Stage[], gather: boolean, loss = true): void {
    const n = chunkLength(this.work, c, this.rows);
    if (n === 0) return;
    const r0 = chunkStart(this.work, c, this.rows);
    if (gather) this.gather(c, r0, n);
    for (const stage of stages) {
      if (stage.kind === 'beforeStats') this.net.forwardBeforeStats(stage.layer, c, n, stage.layer === 0 && this.firstLinearDone);
      else if (stage.kind === 'afterStats') this.net.forwardAfterStats(stage.layer, c, n, this.training, this.step, r0);
      else {
        this.net.outputForward(c, n);
        if (!loss) continue;
        const m = this.mem;
        computeLoss(
          this.net.plan.head,
          m.logits.at[c],
          this.targets[c],
          this.training ? m.dLogits.at[c] : null,
          m.rowLossAt[c],
          m.rowCorrectAt[c],
          n,
          this.net.plan.outputSize,
          this.rows,
        );
      }
    }
  }

  /** Copies the chunk's rows (and targets) from the shared dataset into the input buffer. */
  private gather(c: number, r0: number, n: number): void {
    const { features, d, labels, values, width } = this.data;
    const from = this.start + r0;
    this.gatherRows(features, d, this.indices, from, n, this.mem.input.at[c]);
    const lab = this.mem.labelsAt[c];
    const tv = this.mem.targetValues.at[c];
    for (let r = 0; r < n; r++) {
      const idx = this.indices[from + r];
      if (labels) lab[r] = labels[idx];
      if (values) for (let j = 0; j < width; j++) tv[r * width + j] = values[idx * width + j];
    }
  }

  /**
   * Chunk c's gradient from dZ of layer `top` down through the layers below, as far as it depends
   * on the chunk's rows only: to the input, or to the first batch norm on the way (whose reduction
   * needs every row). `resume`: top is that batch norm's layer, reduced; finish its dZ first.
   */
  private backwardRows(c: number, top: number, resume: boolean): void {
    const n = chunkLength(this.work, c, this.rows);
    if (n === 0) return;
    const { net } = this;
    if (resume) net.backwardAfterReduce(top, c, n, this.rows);
    for (let l = top; l > 0; l--) {
      net.inputGradChunk(l, c, n);
      net.backwardBeforeReduce(l - 1, c, n);
      if (net.plan.hidden[l - 1].bn) return;
    }
  }

  private sumRows(): void {
    let loss = 0;
    let correct = 0;
    for (let r = 0; r < this.rows; r++) {
      loss += this.mem.rowLoss[r];
      correct += this.mem.rowCorrect[r];
    }
    this.lossSum = loss;
    this.correct = correct;
  }

  /** Gradient norm, clipping, divergence check, optimizer update and the cancel agreement. */
  private finishStep(lr: number, optStep: number): void {
    // Each unit's two norms summed first, then the units in slot order: a fixed order.
    const u = this.mem.unitSumSq;
    let sq = 0;
    for (let i = 0; i < this.work.sumSqSlots; i++) sq += u[2 * i] + u[2 * i + 1];
    this.gradNormSq = sq;
    this.diverged = !Number.isFinite(this.lossSum) || !Number.isFinite(sq);
    const gradNorm = Math.sqrt(sq);
    const norms = this.norms;
    norms[ClipNorms.total] = gradNorm;
    clipCoefficient(norms);
    // The tally and the step's record, written here, in optimized code (no helper taking or
    // returning doubles: unless V8 inlines it, each such double is a new heap number).
    const t = this.tally;
    const stepLoss = this.lossSum / this.rows;
    if (Number.isNaN(t[Tally.firstLoss])) t[Tally.firstLoss] = stepLoss;
    t[Tally.loss] += this.lossSum;
    t[Tally.correct] += this.correct;
    t[Tally.rows] += this.rows;
    const factor = this.cfg.train.divergenceFactor;
    this.exploded = factor !== null && t[Tally.firstLoss] > 0 && stepLoss > factor * t[Tally.firstLoss];
    const log = this.stepLog;
    // A step whose loss or gradient is not finite ends the run unrecorded, as the loop's onStep.
    if (log !== null && !this.diverged) {
      const o = log.reserve();
      const r = log.records;
      r[o + StepField.step] = this.step;
      r[o + StepField.epoch] = this.epoch;
      r[o + StepField.loss] = stepLoss;
      r[o + StepField.gradNorm] = gradNorm;
      r[o + StepField.clipCoef] = norms[ClipNorms.coef];
      r[o + StepField.lr] = lr;
    }
    const { team, optimizer } = this;
    if (!this.diverged) {
      const s = optimizer.scalars;
      s[StepScalar.lr] = lr;
      s[StepScalar.step] = optStep;
      s[StepScalar.gradScale] = norms[ClipNorms.coef];
      if (this.firstLayer) for (const own of this.firstLayer.ownUpdates) updateParamBlock(this.k, optimizer, own);
      const blocks = this.sharedUpdates;
      for (let u = team.next(blocks.length); u >= 0; u = team.next(blocks.length)) updateParamBlock(this.k, optimizer, blocks[u]);
    }
    if (team.index === 0) this.mem.agreed[0] = Atomics.load(this.mem.sync, Sync.cancel);
    this.stepObserver?.observeActivations(this.rows);
    team.barrier(Phase.update); // after it, the other threads may start the next forward pass
    this.stopRequested = this.mem.agreed[0] !== 0;
  }
}

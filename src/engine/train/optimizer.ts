/**
 * The optimizer step over the flat parameter arena, one block at a time (blocks come from
 * run/work-plan.ts; any thread may update any block). Chooses the kernel (SGD, Adam/AdamW, RMSprop
 * or Adagrad), the per-tensor weight decay (biases and batch-norm parameters are excluded when
 * decayWeightsOnly) and the state arenas (SGD momentum buffer; Adam first and second moments;
 * RMSprop square average, then the gradient average when centered, then the momentum buffer with
 * momentum; Adagrad's sum of squares, filled with initialAccumulatorValue by initOptimizerState).
 * Argument objects are reused, so a step allocates nothing.
 */
import type { ResolvedOptimizer } from '../config/defaults.js';
import type { ClipConfig } from '../config/types.js';
import type { AdagradArgs, AdamArgs, Kernels, RmspropArgs, SgdArgs } from '../kernels/types.js';
import { setAdagradStep } from '../optim/adagrad.js';
import { setAdamStep } from '../optim/adam.js';
import { clipValueOf } from '../optim/clipping.js';
import type { ParamBlock } from '../run/work-plan.js';

/** One parameter block's views: parameters, gradients and the optimizer's state slots. */
export interface ParamBlockViews {
  n: number;
  params: Float32Array;
  grads: Float32Array;
  /** SGD's momentum buffer (null without momentum), or Adam's first moment m. */
  slot0: Float32Array | null;
  /** Adam's second moment v; RMSprop's gradient average (centered) or momentum buffer. */
  slot1: Float32Array | null;
  /** RMSprop's momentum buffer when it is also centered. */
  slot2: Float32Array | null;
  /** 0 for biases and batch-norm parameters when decayWeightsOnly. */
  weightDecay: number;
}

/**
 * Indices of OptimizerBlocks.scalars: the step's numbers, which the step program writes before
 * its update. A typed array, not arguments: a double passed to a function V8 does not inline is a
 * new heap number (a clipped step's coefficient was one per parameter block).
 */
export const StepScalar = { lr: 0, step: 1, gradScale: 2 } as const;

export interface OptimizerBlocks {
  config: ResolvedOptimizer;
  blocks: ParamBlockViews[];
  /** lr, the 1-based optimizer step and the gradient scale (norm clipping), indexed by StepScalar. */
  scalars: Float64Array;
  sgd: SgdArgs;
  adam: AdamArgs;
  rmsprop: RmspropArgs;
  adagrad: AdagradArgs;
}

/** Number of state arenas the optimizer needs. */
export function optimizerSlots(opt: ResolvedOptimizer): number {
  if (opt.name === 'sgd') return opt.momentum !== 0 ? 1 : 0;
  if (opt.name === 'rmsprop') return 1 + (opt.centered ? 1 : 0) + (opt.momentum > 0 ? 1 : 0);
  if (opt.name === 'adagrad') return 1;
  return 2;
}

/** Sets the state arenas' starting values (Adagrad's initial accumulator); leader only, before training. */
export function initOptimizerState(opt: ResolvedOptimizer, state: Float32Array[]): void {
  if (opt.name === 'adagrad') state[0].fill(opt.initialAccumulatorValue);
}

/** The clamp bound of value clipping (`train.clip`) is the run's, so it is set here, once. */
export function bindOptimizer(
  config: ResolvedOptimizer,
  decayWeightsOnly: boolean,
  clip: ClipConfig,
  blocks: ParamBlock[],
  params: Float32Array,
  grads: Float32Array,
  state: Float32Array[],
): OptimizerBlocks {
  const clipValue = clipValueOf(clip);
  return {
    config,
    scalars: new Float64Array(3),
    blocks: blocks.map((b) => ({
      n: b.end - b.start,
      params: params.subarray(b.start, b.end),
      grads: grads.subarray(b.start, b.end),
      slot0: state[0] ? state[0].subarray(b.start, b.end) : null,
      slot1: state[1] ? state[1].subarray(b.start, b.end) : null,
      slot2: state[2] ? state[2].subarray(b.start, b.end) : null,
      weightDecay: decayWeightsOnly && b.param.kind !== 'weight' ? 0 : config.weightDecay,
    })),
    sgd: {
      lr: 0,
      momentum: config.momentum,
      dampening: config.dampening,
      nesterov: config.nesterov,
      weightDecay: 0,
      first: true,
      gradScale: 1,
      clipValue,
    },
    adam: {
      beta1: config.beta1,
      beta2: config.beta2,
      eps: config.eps,
      weightDecay: 0,
      decoupled: config.name === 'adamw',
      lr: 0,
      stepSize: 0,
      bc2Sqrt: 0,
      decay: 1,
      gradScale: 1,
      clipValue,
    },
    rmsprop: {
      lr: 0,
      alpha: config.alpha,
      eps: config.eps,
      weightDecay: 0,
      momentum: config.momentum,
      centered: config.centered,
      gradScale: 1,
      clipValue,
    },
    adagrad: { lr: 0, lrDecay: config.lrDecay, clr: 0, eps: config.eps, weightDecay: 0, gradScale: 1, clipValue },
  };
}

/** Updates block `b` with the step's scalars in `opt.scalars` (SGD's first step seeds the momentum buffer). */
export function updateParamBlock(k: Kernels, opt: OptimizerBlocks, b: ParamBlockViews): void {
  const s = opt.scalars;
  const step = s[StepScalar.step];
  if (opt.config.name === 'sgd') {
    const a = opt.sgd;
    a.lr = s[StepScalar.lr];
    a.weightDecay = b.weightDecay;
    a.first = step === 1;
    a.gradScale = s[StepScalar.gradScale];
    k.sgdStep(b.params, b.grads, b.slot0 ?? b.grads, b.n, a);
  } else if (opt.config.name === 'rmsprop') {
    const a = opt.rmsprop;
    a.lr = s[StepScalar.lr];
    a.weightDecay = b.weightDecay;
    a.gradScale = s[StepScalar.gradScale];
    // Unused tensors get the gradient view, which the kernel then neither reads nor writes.
    const ga = a.centered ? b.slot1! : b.grads;
    const buf = a.momentum > 0 ? (a.centered ? b.slot2! : b.slot1!) : b.grads;
    k.rmspropStep(b.params, b.grads, b.slot0!, ga, buf, b.n, a);
  } else if (opt.config.name === 'adagrad') {
    const a = opt.adagrad;
    a.lr = s[StepScalar.lr];
    a.weightDecay = b.weightDecay;
    a.gradScale = s[StepScalar.gradScale];
    setAdagradStep(a, step);
    k.adagradStep(b.params, b.grads, b.slot0!, b.n, a);
  } else {
    const a = opt.adam;
    a.lr = s[StepScalar.lr];
    a.weightDecay = b.weightDecay;
    a.gradScale = s[StepScalar.gradScale];
    setAdamStep(a, step);
    k.adamStep(b.params, b.grads, b.slot0!, b.slot1!, b.n, a);
  }
}

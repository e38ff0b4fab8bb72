/**
 * Everything one run trains in, laid out in a single buffer (a WebAssembly.Memory, shared when
 * several threads train the run): parameters, gradients and optimizer state in parallel arenas,
 * batch-norm buffers, per-layer activation and gradient buffers for one mini-batch, per-row loss,
 * per-unit squared gradient norms, and the synchronization words. `layoutRun` is pure arithmetic;
 * `bindRunMemory` makes typed views (and per-chunk row views, created once so a step allocates
 * nothing). Any thread of the run's team may read and write it, following the step's phases.
 */
import { ArenaLayout, f32View, f64View, i32View } from '../memory/arena.js';
import { KERNEL_SCRATCH_BYTES, RESERVED_LOW_BYTES } from '../memory/wasm-memory.js';
import type { ModelPlan } from '../model/plan.js';
import type { WorkPlan } from './work-plan.js';

export interface RunShape {
  plan: ModelPlan;
  work: WorkPlan;
  batchCap: number;
  teamSize: number;
  /** Optimizer state arenas: 0 (plain SGD), 1 (SGD momentum, Adagrad), 2 (Adam/AdamW), 1 to 3 (RMSprop). */
  optimizerSlots: number;
  /** Keep a copy of the best weights (early stopping with restoreBestWeights). */
  keepBest: boolean;
  /** Float targets (B, outputs) instead of class labels (B). */
  vectorTargets: boolean;
}

/** Words of the sync region. */
export const Sync = {
  barrierCount: 0,
  barrierGeneration: 1,
  workCounter: 2,
  abort: 3,
  cancel: 4,
  length: 16,
} as const;

/** A (batchCap, width) activation or gradient buffer with a view starting at each chunk's first row. */
export interface RowBuffer {
  width: number;
  data: Float32Array;
  at: Float32Array[];
}

export interface LayerBuffers {
  /** Linear output z. */
  z: RowBuffer;
  bn: {
    xhat: RowBuffer;
    y: RowBuffer;
    mean: Float32Array;
    variance: Float32Array;
    rstd: Float32Array;
    /** 1/sqrt(running_var + eps), refreshed before each evaluation pass. */
    evalRstd: Float32Array;
  } | null;
  /** Activation output; null for identity (the activation input is passed on). */
  act: RowBuffer | null;
  /** Dropout mask (0 or 1/(1-p)) and output; null without dropout. */
  mask: RowBuffer | null;
  drop: RowBuffer | null;
  /** Residual sum; null without residual. */
  res: RowBuffer | null;
  /** The projection's unused bias gradient (linearBackwardWeight writes one); null without projection. */
  projDb: Float32Array | null;
  /** What the activation reads: z, or the batch norm's output when it sits before the activation. */
  actIn: RowBuffer;
  /** What the batch norm normalizes: z (pre) or the activation output (post); null without one. */
  bnIn: RowBuffer | null;
  /** What dropout (or, without it, the residual/out) receives: the last of z, bn, act. */
  preDrop: RowBuffer;
  /** The layer's output (the last of the buffers above). */
  out: RowBuffer;
  /** dLoss/d(out), and the working gradient that the backward pieces carry back to dLoss/dz. */
  dOut: RowBuffer;
  dZ: RowBuffer;
}

export interface RunMemory {
  buffer: ArrayBufferLike;
  shape: RunShape;
  sync: Int32Array;
  /** Per row chunk: the number of the training step whose forward pass of that chunk is done (train/step.ts). */
  chunkDone: Int32Array;
  /** Scalars agreed between threads (float64). */
  agreed: Float64Array;
  params: Float32Array;
  grads: Float32Array;
  opt: Float32Array[];
  best: Float32Array | null;
  /** maxWidth zeros, the projections' bias; null without a projection. */
  zeros: Float32Array | null;
  bnBuffers: Float32Array;
  bestBnBuffers: Float32Array | null;
  input: RowBuffer;
  labels: Int32Array;
  labelsAt: Int32Array[];
  targetValues: RowBuffer;
  layers: LayerBuffers[];
  logits: RowBuffer;
  dLogits: RowBuffer;
  rowLoss: Float64Array;
  rowLossAt: Float64Array[];
  rowCorrect: Float64Array;
  rowCorrectAt: Float64Array[];
  unitSumSq: Float64Array;
}

export function runLayoutStart(teamSize: number): number {
  return RESERVED_LOW_BYTES + teamSize * KERNEL_SCRATCH_BYTES;
}

export function layoutRun(shape: RunShape): ArenaLayout {
  const { plan, batchCap: B } = shape;
  const a = new ArenaLayout(runLayoutStart(shape.teamSize));
  a.add('sync', 'i32', Sync.length);
  a.add('chunkDone', 'i32', shape.work.chunks);
  a.add('agreed', 'f64', 16);
  a.add('params', 'f32', plan.paramCount);
  a.add('grads', 'f32', plan.paramCount);
  for (let s = 0; s < shape.optimizerSlots; s++) a.add(`opt${s}`, 'f32', plan.paramCount);
  a.add('bnBuffers', 'f32', plan.bufferCount);
  if (shape.keepBest) {
    a.add('best', 'f32', plan.paramCount);
    a.add('bestBnBuffers', 'f32', plan.bufferCount);
  }
  a.add('input', 'f32', B * plan.inputSize);
  a.add('labels', 'i32', B);
  a.add('targetValues', 'f32', shape.vectorTargets ? B * plan.outputSize : 0);
  for (const h of plan.hidden) {
    const n = B * h.width;
    const p = `hidden${h.index}`;
    a.add(`${p}.z`, 'f32', n);
    if (h.bn) {
      a.add(`${p}.bn.xhat`, 'f32', n);
      a.add(`${p}.bn.y`, 'f32', n);
      for (const s of ['mean', 'variance', 'rstd', 'evalRstd']) a.add(`${p}.bn.${s}`, 'f32', h.width);
    }
    if (h.activation !== 'identity') a.add(`${p}.act`, 'f32', n);
    if (h.dropout > 0) {
      a.add(`${p}.mask`, 'f32', n);
      a.add(`${p}.drop`, 'f32', n);
    }
    if (h.residual) a.add(`${p}.res`, 'f32', n);
    if (h.projection) a.add(`${p}.projDb`, 'f32', h.width);
    a.add(`${p}.dOut`, 'f32', n);
    a.add(`${p}.dZ`, 'f32', n);
  }
  // The projection's zero bias (never written): linearForward adds a bias.
  if (plan.hidden.some((h) => h.projection)) a.add('zeros', 'f32', plan.maxWidth);
  a.add('logits', 'f32', B * plan.outputSize);
  a.add('dLogits', 'f32', B * plan.outputSize);
  a.add('rowLoss', 'f64', B);
  a.add('rowCorrect', 'f64', B);
  // Two per unit: the squared norms of its two tensors (dW and db; dGamma and dBeta; dP and 0).
  a.add('unitSumSq', 'f64', 2 * shape.work.sumSqSlots);
  return a;
}

export function bindRunMemory(buffer: ArrayBufferLike, shape: RunShape, layout: ArenaLayout = layoutRun(shape)): RunMemory {
  const { plan, work } = shape;
  if (buffer.byteLength < layout.byteLength) throw new Error(`run memory too small: ${buffer.byteLength} < ${layout.byteLength}`);
  const chunkStarts = Array.from({ length: work.chunks }, (_, c) => c * work.rowsPerChunk);
  const rows = (name: string, width: number): RowBuffer => {
    const data = f32View(buffer, layout.get(name));
    return { width, data, at: chunkStarts.map((r) => data.subarray(Math.min(data.length, r * width))) };
  };
  const f32 = (name: string): Float32Array => f32View(buffer, layout.get(name));
  const layers: LayerBuffers[] = plan.hidden.map((h) => {
    const p = `hidden${h.index}`;
    const z = rows(`${p}.z`, h.width);
    const bn = h.bn
      ? {
          xhat: rows(`${p}.bn.xhat`, h.width),
          y: rows(`${p}.bn.y`, h.width),
          mean: f32(`${p}.bn.mean`),
          variance: f32(`${p}.bn.variance`),
          rstd: f32(`${p}.bn.rstd`),
          evalRstd: f32(`${p}.bn.evalRstd`),
        }
      : null;
    const act = h.activation !== 'identity' ? rows(`${p}.act`, h.width) : null;
    const mask = h.dropout > 0 ? rows(`${p}.mask`, h.width) : null;
    const drop = h.dropout > 0 ? rows(`${p}.drop`, h.width) : null;
    const res = h.residual ? rows(`${p}.res`, h.width) : null;
    const actIn = bn && h.batchNorm === 'pre' ? bn.y : z;
    const afterAct = act ?? actIn;
    const preDrop = bn && h.batchNorm === 'post' ? bn.y : afterAct;
    const bnIn = !bn ? null : h.batchNorm === 'pre' ? z : afterAct;
    const out = res ?? drop ?? preDrop;
    const projDb = h.projection ? f32(`${p}.projDb`) : null;
    return {
      z,
      bn,
      act,
      mask,
      drop,
      res,
      projDb,
      actIn,
      bnIn,
      preDrop,
      out,
      dOut: rows(`${p}.dOut`, h.width),
      dZ: rows(`${p}.dZ`, h.width),
    };
  });
  const labels = i32View(buffer, layout.get('labels'));
  const rowLoss = f64View(buffer, layout.get('rowLoss'));
  const rowCorrect = f64View(buffer, layout.get('rowCorrect'));
  return {
    buffer,
    shape,
    sync: i32View(buffer, layout.get('sync')),
    chunkDone: i32View(buffer, layout.get('chunkDone')),
    agreed: f64View(buffer, layout.get('agreed')),
    params: f32('params'),
    grads: f32('grads'),
    opt: Array.from({ length: shape.optimizerSlots }, (_, s) => f32(`opt${s}`)),
    best: shape.keepBest ? f32('best') : null,
    bnBuffers: f32('bnBuffers'),
    zeros: plan.hidden.some((h) => h.projection) ? f32('zeros') : null,
    bestBnBuffers: shape.keepBest ? f32('bestBnBuffers') : null,
    input: rows('input', plan.inputSize),
    labels,
    labelsAt: chunkStarts.map((r) => labels.subarray(r)),
    targetValues: rows('targetValues', plan.outputSize),
    layers,
    logits: rows('logits', plan.outputSize),
    dLogits: rows('dLogits', plan.outputSize),
    rowLoss,
    rowLossAt: chunkStarts.map((r) => rowLoss.subarray(r)),
    rowCorrect,
    rowCorrectAt: chunkStarts.map((r) => rowCorrect.subarray(r)),
    unitSumSq: f64View(buffer, layout.get('unitSumSq')),
  };
}

/**
 * How a training step is cut into work units. Pure arithmetic on the config and the team's size,
 * identical in every thread of the team: rows of the batch in chunks (two per thread of a team,
 * one for a lone thread, of 16 to 64 rows), weight gradients in blocks of output features,
 * batch-norm reductions in blocks of features, optimizer updates in blocks of parameters. The
 * feature and parameter blocks follow `chunks` alone, never the team's size: they fix the
 * gradient norm's summation order. The kernels' partition invariance makes the result
 * independent of the row chunks; they only tune speed. The first hidden layer's parameters are
 * cut along its weight blocks (its weights' rows and biases per block), so that a team's thread
 * can update exactly the features whose forward and gradients it computes (firstLayerRange).
 */
import type { ModelPlan, ParamEntry } from '../model/plan.js';

export interface FeatureBlock {
  f0: number;
  f1: number;
  /** The unit's slot: its squared gradient norms are unitSumSq[2 * slot] and [2 * slot + 1]. */
  sumSqSlot: number;
}

export interface ParamBlock {
  param: ParamEntry;
  /** Offsets within the parameter arena. */
  start: number;
  end: number;
}

export interface WorkPlan {
  chunks: number;
  rowsPerChunk: number;
  /** Per linear layer (hidden..., output): blocks of output features for dW/db. */
  weightBlocks: FeatureBlock[][];
  /** Per hidden layer: blocks of features for batch-norm statistics and reductions (empty without BN). */
  bnBlocks: FeatureBlock[][];
  /** Per hidden layer: blocks of output features of the residual projection's dP (empty without one). */
  projBlocks: FeatureBlock[][];
  paramBlocks: ParamBlock[];
  /**
   * Per block of the first hidden layer's weight gradients (weightBlocks[0]): the index in
   * paramBlocks of its weights' rows; the block's biases follow it. Empty without hidden layers.
   */
  firstLayerParams: number[];
  sumSqSlots: number;
}

const MIN_WEIGHT_ROWS = 16;
/**
 * A row chunk's products pack its rows into vector lanes (16 floats on AVX-512), so chunks of 4
 * rows (batch 32 in 8 chunks) computed 4x the forward's work: batch 32 trained 1.7x slower per
 * step than in 2 chunks of 16 (BENCHMARKS.md, "Where a step's time goes"). Chunks get a multiple
 * of this many rows (the last one the rest).
 */
const MIN_CHUNK_ROWS = 16;
/**
 * Each row chunk's products read every weight once (an AVX-512 forward tile holds up to 64 rows),
 * so chunks of 16 rows read the reference MLP's 2.6 MB of weights, more than a core's L2, 8 times
 * per step of 128 rows from the shared cache. 64-row chunks trained about 10% faster at batch
 * 128, on one worker and on two (BENCHMARKS.md, "Row chunks of up to 64 rows"). Past this many
 * rows a batch gets more chunks than threads: a thread that finishes first then waits at most
 * one such unit at the barrier.
 */
const MAX_CHUNK_ROWS = 64;
const MIN_BN_FEATURES = 32;
const PARAM_BLOCK = 16384;

function blocks(total: number, parts: number, minSize: number, slot: { next: number }): FeatureBlock[] {
  const size = Math.max(minSize, Math.ceil(total / parts));
  const out: FeatureBlock[] = [];
  for (let f0 = 0; f0 < total; f0 += size) out.push({ f0, f1: Math.min(total, f0 + size), sumSqSlot: slot.next++ });
  return out;
}

/**
 * `teamSize`: the threads training the run; `chunks` caps the parts the rows are cut into and
 * sets the feature and parameter blocks.
 */
export function planWork(plan: ModelPlan, batchCap: number, chunks: number, teamSize: number): WorkPlan {
  const slot = { next: 0 };
  const linears = [...plan.hidden.map((h) => h.linear), plan.output];
  const weightBlocks = linears.map((l) => blocks(l.outDim, chunks, MIN_WEIGHT_ROWS, slot));
  const bnBlocks = plan.hidden.map((h) => (h.bn ? blocks(h.width, chunks, MIN_BN_FEATURES, slot) : []));
  const projBlocks = plan.hidden.map((h) => (h.projection ? blocks(h.width, chunks, MIN_WEIGHT_ROWS, slot) : []));
  const paramBlocks: ParamBlock[] = [];
  const first = plan.hidden.length > 0 ? plan.hidden[0].linear : null;
  const firstLayerParams = first
    ? weightBlocks[0].map(({ f0, f1 }) => {
        const { weight, bias, inDim } = first;
        paramBlocks.push(
          { param: weight, start: weight.offset + f0 * inDim, end: weight.offset + f1 * inDim },
          { param: bias, start: bias.offset + f0, end: bias.offset + f1 },
        );
        return paramBlocks.length - 2;
      })
    : [];
  for (const param of plan.params) {
    if (first && (param === first.weight || param === first.bias)) continue; // in the blocks above
    for (let s = 0; s < param.size; s += PARAM_BLOCK) {
      paramBlocks.push({ param, start: param.offset + s, end: param.offset + Math.min(param.size, s + PARAM_BLOCK) });
    }
  }
  // Two chunks per thread of a team: with one each, a thread on a slower vCPU kept the other
  // waiting at the row phase's barrier for the whole difference (sync wait 8.7% of a two-worker
  // step at batch 128, against 4.2% with two each; BENCHMARKS.md). A lone thread takes the largest.
  const parts = Math.max(1, Math.min(chunks, teamSize === 1 ? 1 : 2 * teamSize));
  const perPart = Math.ceil(Math.ceil(batchCap / parts) / MIN_CHUNK_ROWS) * MIN_CHUNK_ROWS;
  const rowsPerChunk = Math.max(1, Math.min(batchCap, MAX_CHUNK_ROWS, perPart));
  return {
    chunks: Math.ceil(batchCap / rowsPerChunk),
    rowsPerChunk,
    weightBlocks,
    bnBlocks,
    projBlocks,
    paramBlocks,
    firstLayerParams,
    sumSqSlots: slot.next,
  };
}

/**
 * The first hidden layer's weight blocks [from, to) that thread `index` of a team of `size` owns
 * when the team splits that layer by output features (train/first-layer-split.ts): a contiguous
 * run of blocks, as even as the blocks allow, so that its features are one range.
 */
export function firstLayerRange(work: WorkPlan, index: number, size: number): { from: number; to: number } {
  const n = work.weightBlocks.length > 1 ? work.weightBlocks[0].length : 0;
  return { from: Math.floor((index * n) / size), to: Math.floor(((index + 1) * n) / size) };
}

/** First row of chunk c in a batch of `rows` rows (`rows` when the batch is too short to reach it). */
export function chunkStart(work: WorkPlan, c: number, rows: number): number {
  return Math.min(rows, c * work.rowsPerChunk);
}

/** Number of rows of chunk c in a batch of `rows` rows (0 when the batch is short). */
export function chunkLength(work: WorkPlan, c: number, rows: number): number {
  return Math.max(0, Math.min(rows - c * work.rowsPerChunk, work.rowsPerChunk));
}

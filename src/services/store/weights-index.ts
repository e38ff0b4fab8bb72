/**
 * weights.index.json: where each tensor lies in a run's weights.bin, so any tool (numpy, a hex
 * editor) can read the file without Ablate's model plan. weights.bin is the engine's parameter
 * arena then its batch-norm buffer arena, raw little-endian float32; inside each arena every
 * tensor starts at a multiple of 16 floats (64 bytes, cache-line alignment for the kernels), so
 * there are zero gaps after tensors whose size is not a multiple of 16. The index lists every
 * tensor with its byte offset in the file, shape and float count, and the padding rule. Built
 * from the model plan (src/engine/model/plan.ts), the only source of offsets. Pure; any thread.
 */
import type { ModelPlan } from '../../engine/index.js';

export const WEIGHTS_INDEX_FORMAT = 'ablate-weights-index/1';
/** The engine's tensor alignment in floats (plan.ts); test/store-weights.test.ts checks every plan follows it. */
export const WEIGHTS_ALIGN_FLOATS = 16;

export interface WeightsTensor {
  /** The engine's name, also the ONNX initializer's: "hidden.0.linear.weight", "output.bias", "hidden.1.bn.running_var". */
  name: string;
  /** weight, bias, bn_gamma, bn_beta (parameters) or running_mean, running_var (buffers). */
  kind: string;
  section: 'params' | 'buffers';
  /** Byte offset in weights.bin. */
  offset: number;
  /** Row-major shape; a linear weight is [out, in] (PyTorch's nn.Linear layout). */
  shape: number[];
  /** Number of float32 values (the product of shape). */
  floats: number;
  /** Linear layer index: 0.. for hidden layers, hidden count for the output layer. */
  layer: number;
}

export interface WeightsIndex {
  format: typeof WEIGHTS_INDEX_FORMAT;
  dtype: 'float32';
  byteOrder: 'little';
  /** Every tensor starts at a multiple of this many floats inside its section; gaps are zeros. */
  alignFloats: number;
  /** Size of weights.bin. */
  bytes: number;
  /** The parameter arena: [offset, offset + floats * 4). Its SHA-256 is the summary's weightsSha256. */
  params: { offset: number; floats: number; sha256: string };
  /** The batch-norm buffer arena (running means and variances), right after the parameters. */
  buffers: { offset: number; floats: number };
  tensors: WeightsTensor[];
}

/** The index of a weights.bin written for `plan`, whose parameter bytes hash to `paramsSha256`. */
export function weightsIndex(plan: ModelPlan, paramsSha256: string): WeightsIndex {
  const buffersAt = plan.paramCount * 4;
  return {
    format: WEIGHTS_INDEX_FORMAT,
    dtype: 'float32',
    byteOrder: 'little',
    alignFloats: WEIGHTS_ALIGN_FLOATS,
    bytes: (plan.paramCount + plan.bufferCount) * 4,
    params: { offset: 0, floats: plan.paramCount, sha256: paramsSha256 },
    buffers: { offset: buffersAt, floats: plan.bufferCount },
    tensors: [
      ...plan.params.map((p) => ({
        name: p.name,
        kind: p.kind,
        section: 'params' as const,
        offset: p.offset * 4,
        shape: p.shape,
        floats: p.size,
        layer: p.layer,
      })),
      ...plan.buffers.map((b) => ({
        name: b.name,
        kind: b.kind,
        section: 'buffers' as const,
        offset: buffersAt + b.offset * 4,
        shape: [b.size],
        floats: b.size,
        layer: b.layer,
      })),
    ],
  };
}

/**
 * The weights of a finished run as they leave its memory: private copies of the parameter arena
 * and batch-norm buffers, and the weights fingerprint, the SHA-256 (hex) of the parameter arena's
 * bytes. The copies are taken first, so hashing reads memory no thread can be writing.
 */
import { createHash } from 'node:crypto';

export function weightsSha256(params: Float32Array): string {
  return createHash('sha256')
    .update(new Uint8Array(params.buffer, params.byteOffset, params.byteLength))
    .digest('hex');
}

export interface WeightsSnapshot {
  params: Float32Array;
  bnBuffers: Float32Array;
  weightsSha256: string;
}

export function snapshotWeights(params: Float32Array, bnBuffers: Float32Array): WeightsSnapshot {
  const copy = Float32Array.from(params);
  return { params: copy, bnBuffers: Float32Array.from(bnBuffers), weightsSha256: weightsSha256(copy) };
}

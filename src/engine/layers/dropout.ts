/**
 * Inverted dropout: in training each element is zeroed with probability p and survivors are
 * scaled by 1/(1-p); in eval it is the identity (the network copies its input through). The mask of a row
 * comes from its own counter-based stream keyed by (seed, global step, layer, row of the batch),
 * so it never depends on which thread computed the row or how rows were split.
 */
import type { Kernels } from '../kernels/types.js';
import { counterHash, extendKey, mixKey, Purpose } from '../rng/hash.js';

/** Fills mask(rows, width) for batch rows [rowStart, rowStart + rows) with 0 or 1/(1-p). */
export function dropoutMask(
  seed: number,
  step: number,
  layer: number,
  p: number,
  mask: Float32Array,
  rowStart: number,
  rows: number,
  width: number,
): void {
  const threshold = Math.min(0xffffffff, Math.floor(p * 4294967296));
  const scale = 1 / (1 - p);
  const prefix = mixKey(seed, Purpose.dropout, step, layer);
  for (let r = 0; r < rows; r++) {
    const key = extendKey(prefix, rowStart + r);
    const base = r * width;
    for (let j = 0; j < width; j++) mask[base + j] = counterHash(key, j) < threshold ? 0 : scale;
  }
}

export function dropoutForward(k: Kernels, inp: Float32Array, mask: Float32Array, out: Float32Array, n: number): void {
  k.mul(inp, mask, out, n);
}

export function dropoutBackward(k: Kernels, dOut: Float32Array, mask: Float32Array, dInp: Float32Array, n: number): void {
  k.mul(dOut, mask, dInp, n);
}

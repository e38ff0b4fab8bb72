/**
 * Inverted dropout with rate p:
 *
 *   training  mask[i] = 0 with probability p, else 1/(1-p)
 *             forward   out = inp * mask                  (kernel `mul`)
 *             backward  dInp = dOut * mask                (kernel `mul`)
 *   eval      the identity (the network copies its input through)
 *
 * The mask of a row comes from its own counter-based stream keyed by (seed, global step, layer,
 * row of the batch), so it never depends on which thread computed the row or how rows were split.
 * `mul` here is the reference (the `naive` kernel set; kernels/types.ts has the contract).
 */
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

/** out[i] = a[i] * b[i]; out may alias a. Dropout's forward (inp, mask) and backward (dOut, mask). */
export function mul(a: Float32Array, b: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
}

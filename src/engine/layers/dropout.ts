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
import { counterHash, extendKey, MIX_KEY_START, Purpose } from '../rng/hash.js';

// Read from Purpose once: `Purpose.dropout` read inside dropoutMask's key loop cost 24 bytes of
// heap per call in optimized code (seen under tsx), this constant nothing.
const DROPOUT = Purpose.dropout;

/** A dropout rate with what the mask needs of it, made once per layer. */
export interface DropoutRate {
  p: number;
  /** Hashes below it drop: floor(p * 2^32), at most 2^32 - 1. */
  threshold: number;
  /** A survivor's mask value, 1/(1-p). */
  scale: number;
}

export function dropoutRate(p: number): DropoutRate {
  return { p, threshold: Math.min(0xffffffff, Math.floor(p * 4294967296)), scale: 1 / (1 - p) };
}

/**
 * Fills mask(rows, width) for batch rows [rowStart, rowStart + rows) with 0 or 1/(1-p). The rate
 * comes as an object, not as the number p: a double argument may be boxed on every call.
 */
export function dropoutMask(
  seed: number,
  step: number,
  layer: number,
  rate: DropoutRate,
  mask: Float32Array,
  rowStart: number,
  rows: number,
  width: number,
): void {
  const { threshold, scale } = rate;
  // prefix = mixKey(seed, Purpose.dropout, step, layer), without mixKey's rest array (allocated
  // per call), through one call site of extendKey so that V8 can inline the hashes.
  let prefix = MIX_KEY_START;
  for (let i = 0; i < 4; i++) prefix = extendKey(prefix, i === 0 ? seed : i === 1 ? DROPOUT : i === 2 ? step : layer);
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

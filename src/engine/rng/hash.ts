/**
 * Integer hashing for counter-based randomness. Pure functions of their inputs: the same key
 * always gives the same bits on every platform (32-bit integer arithmetic only).
 */

/** MurmurHash3's 32-bit finalizer: a bijection with full avalanche. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** mixKey's starting state: mixKey(a, b) = extendKey(extendKey(MIX_KEY_START, a), b). */
export const MIX_KEY_START = 0x6a09e667;

/** Combines a list of non-negative integers (each < 2^32) into one well-mixed 32-bit key. */
export function mixKey(...parts: number[]): number {
  let h = MIX_KEY_START;
  for (const part of parts) h = extendKey(h, part);
  return h >>> 0;
}

/** mixKey(...parts, part) from k = mixKey(...parts): the same bits, without re-mixing the prefix. */
export function extendKey(k: number, part: number): number {
  return fmix32((k ^ fmix32((part >>> 0) + 0x9e3779b9)) + Math.imul(k, 5));
}

/** Element `index` of the counter-based stream `key`: uniform 32 bits. */
export function counterHash(key: number, index: number): number {
  return fmix32(fmix32((key ^ Math.imul(index, 0x9e3779b9)) >>> 0) ^ key);
}

/** Why a stream exists; part of every key so that streams of different purposes never overlap. */
export const Purpose = {
  init: 1,
  shuffle: 2,
  dropout: 3,
  split: 4,
  synthetic: 5,
  /** Trials of an experiment's search (src/services/experiments/search/). */
  search: 6,
} as const;

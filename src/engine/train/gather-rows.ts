/**
 * A training batch's input: the dataset rows indices[from, from + rows), d floats each, copied
 * into a row chunk's input buffer row after row. The native set's addon copies each row with
 * memcpy (native/src/addon_gather.c); the element loop here cost a lone worker 4% of its step at
 * batch 128 (BENCHMARKS.md, "A training batch's rows copied in C"). Both are copies: the same bits
 * for every finite value, whichever runs.
 */
import type { KernelSetName } from '../kernels/sets.js';
import { loadNativeAddon } from '../kernels/native/addon.js';

export type GatherRows = (features: Float32Array, d: number, indices: Int32Array, from: number, rows: number, out: Float32Array) => void;

/** The element loop, for the wasm and naive sets and wherever the addon cannot load. */
export function gatherRowsLoop(
  features: Float32Array,
  d: number,
  indices: Int32Array,
  from: number,
  rows: number,
  out: Float32Array,
): void {
  for (let r = 0; r < rows; r++) {
    const src = indices[from + r] * d;
    const dst = r * d;
    for (let j = 0; j < d; j++) out[dst + j] = features[src + j];
  }
}

/** The copy a run on `set` uses: the addon's where the set is native and the addon loads. */
export function gatherRowsFor(set: KernelSetName): GatherRows {
  const addon = set === 'native' ? loadNativeAddon().addon : null;
  return addon ? addon.gatherRows : gatherRowsLoop;
}

/**
 * A training batch's rows copied from the dataset (train/gather-rows.ts): the native addon's
 * memcpy per row (native/src/addon_gather.c) and the element loop the other sets use, each against
 * the bits of the rows it was asked for, read independently through a Uint32Array; and the
 * addon's checks, which must throw before writing anything.
 */
import { describe, expect, it } from 'vitest';
import { loadNativeAddon } from '../src/engine/kernels/native/addon.js';
import { nativeSupported } from '../src/engine/kernels/native/kernels.js';
import { gatherRowsFor, gatherRowsLoop, type GatherRows } from '../src/engine/train/gather-rows.js';

const DATASET_ROWS = 23;
const SENTINEL = 0x5a5a5a5a;

/** A dataset of DATASET_ROWS rows of d floats over a SharedArrayBuffer, awkward values included. */
function dataset(d: number): Float32Array {
  const f = new Float32Array(new SharedArrayBuffer(DATASET_ROWS * d * 4));
  const special = [-0, 1e-45, -3.4e38, Infinity, -Infinity, NaN, 1e-40];
  for (let i = 0; i < f.length; i++) f[i] = i % 11 === 0 ? special[(i / 11) % special.length] : Math.sin(i * 12.9898) * 1e3;
  return f;
}

/** An output view in the middle of a larger shared buffer, every word a sentinel. */
function output(floats: number): { out: Float32Array; words: Uint32Array } {
  const buffer = new SharedArrayBuffer((floats + 64) * 4);
  new Uint32Array(buffer).fill(SENTINEL);
  return { out: new Float32Array(buffer, 32 * 4, floats), words: new Uint32Array(buffer) };
}

function checkCopies(gather: GatherRows): void {
  for (const d of [1, 3, 17, 784]) {
    const features = dataset(d);
    const bits = new Uint32Array(features.buffer);
    const indices = Int32Array.from({ length: 50 }, (_, i) => (i * 7 + (i >> 2)) % DATASET_ROWS);
    for (const [from, rows] of [
      [0, 1],
      [5, 40],
      [49, 1],
      [13, 0],
    ]) {
      const { out, words } = output(rows * d + 8);
      gather(features, d, indices, from, rows, out);
      for (let r = 0; r < rows; r++)
        for (let j = 0; j < d; j++) expect(words[32 + r * d + j], `d ${d}, row ${r}, float ${j}`).toBe(bits[indices[from + r] * d + j]);
      // Nothing written past the rows, nor before the view.
      for (let i = 32 + rows * d; i < words.length; i++) expect(words[i]).toBe(SENTINEL);
      for (let i = 0; i < 32; i++) expect(words[i]).toBe(SENTINEL);
    }
  }
}

describe('gathering a batch’s rows', () => {
  it('the element loop copies the rows asked for, bit for bit', () => {
    checkCopies(gatherRowsLoop);
    expect(gatherRowsFor('wasm')).toBe(gatherRowsLoop);
    expect(gatherRowsFor('naive')).toBe(gatherRowsLoop);
  });

  describe.skipIf(!nativeSupported() && process.env.CI === undefined)('in C (the native set)', () => {
    it('copies the rows asked for, bit for bit, and is what a native run uses', () => {
      const addon = loadNativeAddon().addon!;
      checkCopies(addon.gatherRows);
      expect(gatherRowsFor('native')).toBe(addon.gatherRows);
    });

    it('refuses bad arguments with a clear error before writing anything', () => {
      const gather = loadNativeAddon().addon!.gatherRows;
      const d = 3;
      const features = dataset(d);
      const indices = Int32Array.of(0, 4, 22, 7);
      const { out, words } = output(4 * d);
      const cases: Array<[string, () => void, RegExp]> = [
        ['a negative index', () => gather(features, d, Int32Array.of(1, -1), 0, 2, out), /an index is outside the dataset/],
        ['an index one past the last row', () => gather(features, d, Int32Array.of(2, DATASET_ROWS), 0, 2, out), /outside the dataset/],
        ['rows past the indices', () => gather(features, d, indices, 2, 3, out), /from \+ rows is past the end of indices/],
        ['an output too short', () => gather(features, d, indices, 0, 4, out.subarray(0, 11)), /out is shorter than rows x d/],
        ['a fractional d', () => gather(features, 1.5, indices, 0, 1, out), /expected a non-negative integer/],
        ['a negative from', () => gather(features, d, indices, -1, 1, out), /expected a non-negative integer/],
        ['doubles for features', () => gather(new Float64Array(9) as never, d, indices, 0, 1, out), /must be Float32Arrays/],
        ['a plain array for indices', () => gather(features, d, [0, 1] as never, 0, 1, out), /an Int32Array/],
      ];
      for (const [what, call, message] of cases) {
        expect(call, what).toThrow(message);
        expect(
          words.every((w) => w === SENTINEL),
          what,
        ).toBe(true);
      }
    });
  });
});

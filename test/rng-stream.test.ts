/**
 * RandomStream (rng/stream.ts): its words against the published xoshiro128** and splitmix32
 * algorithms, written here again in BigInt arithmetic with explicit 32-bit masks (nothing shared
 * with the engine's signed-integer form), and the shuffle's heap use, counted (issue 17: it drew
 * a heap number per row).
 */
import { describe, expect, it } from 'vitest';
import { Purpose } from '../src/engine/rng/hash.js';
import { RandomStream, stream } from '../src/engine/rng/stream.js';
import { leastAddedBy } from './helpers/allocation.js';

const M = 0xffffffffn;
const mul = (a: bigint, b: bigint) => (a * b) & M;
const rotl = (x: bigint, k: bigint) => ((x << k) | (x >> (32n - k))) & M;

/** splitmix32 seeding (four words from the key), then xoshiro128** (Blackman and Vigna). */
function* reference(key: number): Generator<number> {
  let x = BigInt(key >>> 0);
  const s: bigint[] = [];
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b9n) & M;
    let z = x;
    z = mul(z ^ (z >> 16n), 0x85ebca6bn);
    z = mul(z ^ (z >> 13n), 0xc2b2ae35n);
    s.push(z ^ (z >> 16n));
  }
  if ((s[0] | s[1] | s[2] | s[3]) === 0n) s[0] = 1n;
  for (;;) {
    const result = mul(rotl(mul(s[1], 5n), 7n), 9n);
    const t = (s[1] << 9n) & M;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11n);
    yield Number(result);
  }
}

describe('RandomStream', () => {
  it('draws the words of splitmix32-seeded xoshiro128**', () => {
    for (const key of [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x5eed]) {
      const ours = new RandomStream(key);
      const ref = reference(key);
      const got = Array.from({ length: 1000 }, () => ours.nextU32());
      const want = Array.from({ length: 1000 }, () => ref.next().value as number);
      expect(got).toEqual(want);
    }
  });

  it('draws integers below n from the words, without modulo bias (rejecting the top)', () => {
    const n = 3;
    const limit = 2 ** 32 - (2 ** 32 % n);
    const ours = new RandomStream(9);
    const ref = reference(9);
    for (let i = 0; i < 1000; i++) {
      let w = ref.next().value as number;
      while (w >= limit) w = ref.next().value as number;
      expect(ours.int(n)).toBe(w % n);
    }
  });

  it('shuffles 60,000 rows with under one byte of heap per row', () => {
    const order = Int32Array.from({ length: 60000 }, (_, i) => i);
    // Warmed up first, so that V8 optimizes the shuffle as it does in a run's epochs.
    for (let epoch = 0; epoch < 5; epoch++) stream(1, Purpose.shuffle, epoch).shuffle(order);
    const least = leastAddedBy((window) => stream(1, Purpose.shuffle, 5 + window).shuffle(order), 10, order.length - 1);
    // Before: 8 bytes per row (an unsigned state word from 2^31 up stored as a heap number).
    expect(least, 'every window saw a garbage collection').not.toBeNull();
    expect(least!).toBeLessThan(order.length);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 60000 }, (_, i) => i));
  });
});

/**
 * The Sobol sequence (unscrambled, Gray-code order, 32-bit), the quasi-random points of
 * `search.method: "sobol"`. Direction numbers: Joe & Kuo, "Constructing Sobol sequences with better
 * two-dimensional projections" (SIAM J. Sci. Comput. 30, 2008), file new-joe-kuo-6.21201, its first
 * 32 dimensions; the first dimension is van der Corput's (every m = 1). These are the points of
 * SciPy's `qmc.Sobol(scramble=False)` and PyTorch's `SobolEngine(scramble=False)` (test/search-sobol.test.ts
 * checks recorded ones). Point i is the XOR of the direction numbers at the set bits of gray(i) =
 * i ^ (i >> 1), so any point is computed on its own: no state, the same on every machine. Pure.
 */

/** [s, a, m_1..m_s] per dimension from the second: degree, inner coefficients, initial numbers. */
const JOE_KUO: readonly (readonly [number, number, readonly number[]])[] = [
  [1, 0, [1]], // dimension 2
  [2, 1, [1, 3]], // dimension 3
  [3, 1, [1, 3, 1]], // dimension 4
  [3, 2, [1, 1, 1]], // dimension 5
  [4, 1, [1, 1, 3, 3]], // dimension 6
  [4, 4, [1, 3, 5, 13]], // dimension 7
  [5, 2, [1, 1, 5, 5, 17]], // dimension 8
  [5, 4, [1, 1, 5, 5, 5]], // dimension 9
  [5, 7, [1, 1, 7, 11, 19]], // dimension 10
  [5, 11, [1, 1, 5, 1, 1]], // dimension 11
  [5, 13, [1, 1, 1, 3, 11]], // dimension 12
  [5, 14, [1, 3, 5, 5, 31]], // dimension 13
  [6, 1, [1, 3, 3, 9, 7, 49]], // dimension 14
  [6, 13, [1, 1, 1, 15, 21, 21]], // dimension 15
  [6, 16, [1, 3, 1, 13, 27, 49]], // dimension 16
  [6, 19, [1, 1, 1, 15, 7, 5]], // dimension 17
  [6, 22, [1, 3, 1, 15, 13, 25]], // dimension 18
  [6, 25, [1, 1, 5, 5, 19, 61]], // dimension 19
  [7, 1, [1, 3, 7, 11, 23, 15, 103]], // dimension 20
  [7, 4, [1, 3, 7, 13, 13, 15, 69]], // dimension 21
  [7, 7, [1, 1, 3, 13, 7, 35, 63]], // dimension 22
  [7, 8, [1, 3, 5, 9, 1, 25, 53]], // dimension 23
  [7, 14, [1, 3, 1, 13, 9, 35, 107]], // dimension 24
  [7, 19, [1, 3, 1, 5, 27, 61, 31]], // dimension 25
  [7, 21, [1, 1, 5, 11, 19, 41, 61]], // dimension 26
  [7, 28, [1, 3, 5, 3, 3, 13, 69]], // dimension 27
  [7, 31, [1, 1, 7, 13, 1, 19, 1]], // dimension 28
  [7, 32, [1, 3, 7, 5, 13, 19, 59]], // dimension 29
  [7, 37, [1, 1, 3, 9, 25, 29, 41]], // dimension 30
  [7, 41, [1, 3, 5, 13, 23, 1, 55]], // dimension 31
  [7, 42, [1, 3, 7, 3, 13, 59, 17]], // dimension 32
];

export const SOBOL_MAX_DIMENSIONS = JOE_KUO.length + 1;
const BITS = 32;

/** Direction numbers V_1..V_32 of a dimension (0-based), as 32-bit integers (V_j / 2^32 in [0, 1)). */
function directions(dimension: number): Uint32Array {
  const v = new Uint32Array(BITS);
  if (dimension === 0) {
    for (let j = 0; j < BITS; j++) v[j] = 2 ** (BITS - 1 - j);
    return v;
  }
  const [s, a, m] = JOE_KUO[dimension - 1];
  for (let j = 0; j < s; j++) v[j] = m[j] * 2 ** (BITS - 1 - j);
  for (let j = s; j < BITS; j++) {
    let x = v[j - s] ^ (v[j - s] >>> s);
    for (let k = 1; k < s; k++) if ((a >>> (s - 1 - k)) & 1) x ^= v[j - k];
    v[j] = x >>> 0;
  }
  return v;
}

const cache: Uint32Array[] = [];

/** Point `index` (0, 1, 2, ...; the first is the origin) of the first `dimensions` dimensions, as 32-bit integers. */
export function sobolBits(index: number, dimensions: number): Uint32Array {
  if (!Number.isInteger(index) || index < 0 || index > 0xffffffff)
    throw new RangeError(`sobol: index must be an integer in [0, 2^32), got ${index}`);
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > SOBOL_MAX_DIMENSIONS)
    throw new RangeError(`sobol: dimensions must be 1 to ${SOBOL_MAX_DIMENSIONS}, got ${dimensions}`);
  const gray = (index ^ (index >>> 1)) >>> 0;
  const out = new Uint32Array(dimensions);
  for (let d = 0; d < dimensions; d++) {
    const v = (cache[d] ??= directions(d));
    let x = 0;
    for (let j = 0; j < BITS; j++) if ((gray >>> j) & 1) x ^= v[j];
    out[d] = x >>> 0;
  }
  return out;
}

/** Point `index` in [0, 1)^dimensions. */
export function sobolPoint(index: number, dimensions: number): number[] {
  return Array.from(sobolBits(index, dimensions), (x) => x / 2 ** BITS);
}

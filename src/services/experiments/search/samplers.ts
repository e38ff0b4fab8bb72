/**
 * The points of random and Sobol search in the unit cube [0, 1)^d, one coordinate per dimension of
 * the space in key order. Each is a pure function of (method, seed, trial index, d): the same file
 * gives the same trials on any machine and with any number of workers or processes, and a resumed
 * or claimed run recomputes exactly the trials it was planned with.
 *
 *   random  trial k's coordinates are the first d floats of the engine's seeded stream
 *           stream(seed, Purpose.search, 1, k) (53-bit uniforms; rng/stream.ts)
 *   sobol   trial k is Sobol point k (sobol.ts) XOR a digital shift: one uniform 32-bit integer per
 *           dimension from stream(seed, Purpose.search, 2). A digital shift keeps the net's
 *           equidistribution (every dyadic box still holds its share of points) while moving the
 *           first point off the corner (0, ..., 0) and making the seed mean something: another
 *           seed, another shifted net (Owen 1995; L'Ecuyer & Lemieux 2002).
 */
import { Purpose, stream } from '../../../engine/index.js';
import { sobolBits } from './sobol.js';

const RANDOM_KEY = 1;
const SOBOL_SHIFT_KEY = 2;

/** Trial `index`'s coordinates in [0, 1)^dimensions. */
export function unitPoint(method: 'random' | 'sobol', seed: number, index: number, dimensions: number): number[] {
  if (method === 'random') {
    const s = stream(seed, Purpose.search, RANDOM_KEY, index);
    return Array.from({ length: dimensions }, () => s.nextFloat());
  }
  const shift = stream(seed, Purpose.search, SOBOL_SHIFT_KEY);
  const bits = sobolBits(index, dimensions);
  return Array.from(bits, (x) => ((x ^ shift.nextU32()) >>> 0) / 2 ** 32);
}

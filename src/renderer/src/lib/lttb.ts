/**
 * Largest-Triangle-Three-Buckets downsampling (Steinarsson 2013), for display only: the plots draw
 * at most about one point per pixel while the raw series stay untouched in state. Returns the
 * indices to keep, so bands (mean, lower, upper) sharing one x can be thinned consistently.
 * Non-finite y values are never chosen as the bucket's representative unless the whole bucket is
 * non-finite (then its first index is kept, so gaps stay visible).
 */

export function lttbIndices(x: ArrayLike<number>, y: ArrayLike<number>, threshold: number): number[] {
  const n = Math.min(x.length, y.length);
  if (threshold >= n || threshold < 3) return Array.from({ length: n }, (_, i) => i);
  const out: number[] = [0];
  // Buckets between the fixed first and last points.
  const every = (n - 2) / (threshold - 2);
  let a = 0;
  for (let i = 0; i < threshold - 2; i++) {
    const start = Math.floor(i * every) + 1;
    const end = Math.min(Math.floor((i + 1) * every) + 1, n - 1);
    // Average of the next bucket (or the last point).
    const nextStart = end;
    const nextEnd = Math.min(Math.floor((i + 2) * every) + 1, n);
    let avgX = 0;
    let avgY = 0;
    let count = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      if (!Number.isFinite(y[j])) continue;
      avgX += x[j];
      avgY += y[j];
      count++;
    }
    if (count === 0) {
      avgX = x[n - 1];
      avgY = Number.isFinite(y[n - 1]) ? y[n - 1] : y[a];
    } else {
      avgX /= count;
      avgY /= count;
    }
    const ax = x[a];
    const ay = y[a];
    let best = -1;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      if (!Number.isFinite(y[j])) continue;
      const area = Math.abs((ax - avgX) * (y[j] - ay) - (ax - x[j]) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    if (best < 0) best = start;
    out.push(best);
    a = best;
  }
  out.push(n - 1);
  return out;
}

/** Picks `indices` out of each array. */
export function pick<T>(values: ArrayLike<T>, indices: readonly number[]): T[] {
  return indices.map((i) => values[i]);
}

/** Downsamples x and several y series on the indices LTTB chooses for the first y. */
export function downsample(x: ArrayLike<number>, ys: ReadonlyArray<ArrayLike<number>>, threshold: number): { x: number[]; ys: number[][] } {
  if (ys.length === 0) return { x: Array.from(x), ys: [] };
  const idx = lttbIndices(x, ys[0], threshold);
  return { x: pick(x, idx), ys: ys.map((y) => pick(y, idx)) };
}

/**
 * Ratios measured in adjacent pairs, for a host whose speed drifts (this project's 2-vCPU VM moved
 * by about 35% over tens of seconds, and between single epochs, with nothing else running).
 * Dividing the best (or the mean) of one series by that of another measured in a different
 * stretch of time measures the drift as much as the ratio. Instead the two contenders are measured
 * in turn, in ABBA order (A B, B A, A B, ...): the i-th measurement of A and the i-th of B are
 * always adjacent, a drift slower than a pair cancels in each pair's ratio, and neither contender
 * is always first. The estimate is the median of the pairs' ratios, which one pair spoiled by
 * another process's burst cannot move far; the min and max say how much the pairs disagreed.
 */

export interface PairedRatio {
  /** Median of the pairs' ratios a_i / b_i. */
  median: number;
  min: number;
  max: number;
  pairs: number;
}

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty list');
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Median, min and max of a_i / b_i over pairs measured side by side (equal, non-zero lengths). */
export function pairedRatio(a: readonly number[], b: readonly number[]): PairedRatio {
  if (a.length !== b.length || a.length === 0) {
    throw new Error(`paired ratio needs two equally long, non-empty series (got ${a.length} and ${b.length})`);
  }
  const ratios = a.map((x, i) => x / b[i]);
  return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), pairs: ratios.length };
}

/**
 * The order to measure `contenders` (indices 0..contenders-1) in `rounds` rounds: forwards in even
 * rounds, backwards in odd ones (for two: A B B A A B ...), so round r's measurements of any two
 * contenders are close in time and each contender is first as often as last.
 */
export function abbaOrder(contenders: number, rounds: number): Array<{ round: number; contender: number }> {
  const order: Array<{ round: number; contender: number }> = [];
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < contenders; i++) order.push({ round, contender: round % 2 === 0 ? i : contenders - 1 - i });
  }
  return order;
}

/** "1.80x (1.68-2.03, 5 pairs)". */
export function formatPairedRatio(r: PairedRatio, digits = 2): string {
  return `${r.median.toFixed(digits)}x (${r.min.toFixed(digits)}-${r.max.toFixed(digits)}, ${r.pairs} pair${r.pairs === 1 ? '' : 's'})`;
}

/**
 * Per-class results over seeds, from the confusion matrices runs record (RunSummary.confusion:
 * counts[true][predicted] of the kept weights). Per variant and split:
 *
 *   counts      the mean count of each cell over seeds (interval on the log scale: counts >= 0);
 *   normalized  each seed's row-normalized matrix, cell / row total (the fraction of class i
 *               predicted as j; its diagonal is the recall), averaged over seeds;
 *   recall      TP / (TP + FN) = diagonal / row total;
 *   precision   TP / (TP + FP) = diagonal / column total;
 *   F1          2 TP / (2 TP + FP + FN) (= 2 P R / (P + R) where both exist, 0 when TP = 0);
 *
 * every fraction with the bounded (logit-scale) interval of src/shared/intervals.ts, so it stays in
 * [0, 1]. A seed where a fraction is undefined (a class absent from the split: no recall; a class
 * never predicted: no precision) is left out of that cell, whose `n` then says how many seeds it
 * averages. `classDifferences`: variant minus baseline per class, paired by seed, the recall's
 * t-interval intersected with [-1, 1]; the intervals are per class, not adjusted for the number of
 * classes. Runs whose summary predates confusion matrices are counted as `notRecorded`, never read
 * as zeros. Pure; imported by the renderer and Node alike.
 */
import { DEFAULT_LEVEL, differenceInterval, meanInterval, type MeanInterval } from './intervals.js';
import type { RunSummary } from './types/experiment.js';

export type ClassSplit = 'validation' | 'test';

export interface CellStat {
  /** Seeds averaged (seeds where the quantity is defined). */
  n: number;
  mean: number | null;
  /** Interval bounds; null when n < 2. */
  lower: number | null;
  upper: number | null;
}

export interface VariantClasses {
  variantId: string;
  /** Seeds with a matrix for the split, ascending. */
  seeds: number[];
  /** 0-based kept-weights epoch of each of those runs (same order as seeds). */
  epochs: number[];
  /** Finished runs whose summary has no confusion field (written before it existed). */
  notRecorded: number;
  /** Mean number of rows in the split. */
  rows: number | null;
  counts: CellStat[][];
  normalized: CellStat[][];
  recall: CellStat[];
  precision: CellStat[];
  f1: CellStat[];
}

export interface ClassDifference {
  /** Seeds present in both variants with the class in the split, per class. */
  recall: CellStat[];
}

export interface PerClassResults {
  split: ClassSplit;
  /** From the first run with a matrix; empty when no run has one. */
  classNames: string[];
  level: number;
  variants: VariantClasses[];
}

const FINISHED = new Set(['completed', 'early_stopped']);

function cell(iv: MeanInterval): CellStat {
  return { n: iv.n, mean: iv.mean, lower: iv.lower, upper: iv.upper };
}

/** Per seed: its matrix for the split (only runs that recorded one). */
function matricesBySeed(
  summaries: readonly RunSummary[],
  split: ClassSplit,
): { bySeed: Map<number, { m: number[][]; epoch: number }>; notRecorded: number } {
  const bySeed = new Map<number, { m: number[][]; epoch: number }>();
  let notRecorded = 0;
  for (const s of summaries) {
    if (!FINISHED.has(s.status)) continue;
    if (s.confusion === undefined) notRecorded += 1;
    const m = s.confusion?.[split];
    if (m && s.confusion) bySeed.set(s.seed, { m, epoch: s.confusion.epoch });
  }
  return { bySeed, notRecorded };
}

/** The per-seed value of one class's fraction, or undefined where its denominator is 0. */
type ClassFraction = (m: number[][], k: number) => number | undefined;

const rowTotal = (m: number[][], i: number) => m[i].reduce((a, b) => a + b, 0);
const colTotal = (m: number[][], j: number) => m.reduce((a, row) => a + row[j], 0);
const ratio = (num: number, den: number) => (den > 0 ? num / den : undefined);

export const recallOf: ClassFraction = (m, k) => ratio(m[k][k], rowTotal(m, k));
export const precisionOf: ClassFraction = (m, k) => ratio(m[k][k], colTotal(m, k));
export const f1Of: ClassFraction = (m, k) => {
  const tp = m[k][k];
  const fp = colTotal(m, k) - tp;
  const fn = rowTotal(m, k) - tp;
  return ratio(2 * tp, 2 * tp + fp + fn);
};

function defined(values: (number | undefined)[]): number[] {
  return values.filter((v): v is number => v !== undefined && Number.isFinite(v));
}

export function variantClasses(
  variantId: string,
  summaries: readonly RunSummary[],
  split: ClassSplit,
  level = DEFAULT_LEVEL,
): VariantClasses {
  const { bySeed, notRecorded } = matricesBySeed(summaries, split);
  const seeds = [...bySeed.keys()].sort((a, b) => a - b);
  const ms = seeds.map((s) => bySeed.get(s)!.m);
  const k = ms[0]?.length ?? 0;
  const range = Array.from({ length: k }, (_, i) => i);
  const perClass = (f: ClassFraction) => range.map((c) => cell(meanInterval(defined(ms.map((m) => f(m, c))), 'unit', level)));
  const totals = ms.map((m) => m.reduce((a, row) => a + row.reduce((x, y) => x + y, 0), 0));
  return {
    variantId,
    seeds,
    epochs: seeds.map((s) => bySeed.get(s)!.epoch),
    notRecorded,
    rows: totals.length > 0 ? totals.reduce((a, b) => a + b, 0) / totals.length : null,
    counts: range.map((i) =>
      range.map((j) =>
        cell(
          meanInterval(
            ms.map((m) => m[i][j]),
            'positive',
            level,
          ),
        ),
      ),
    ),
    normalized: range.map((i) =>
      range.map((j) => cell(meanInterval(defined(ms.map((m) => ratio(m[i][j], rowTotal(m, i)))), 'unit', level))),
    ),
    recall: perClass(recallOf),
    precision: perClass(precisionOf),
    f1: perClass(f1Of),
  };
}

/** Every variant's per-class results on one split; `summaries` of the whole experiment. */
export function perClassResults(
  variantIds: readonly string[],
  summaries: readonly RunSummary[],
  split: ClassSplit,
  level = DEFAULT_LEVEL,
): PerClassResults {
  const named = summaries.find((s) => s.confusion?.[split]);
  return {
    split,
    classNames: named?.confusion?.classNames ?? [],
    level,
    variants: variantIds.map((id) =>
      variantClasses(
        id,
        summaries.filter((s) => s.variantId === id),
        split,
        level,
      ),
    ),
  };
}

/** Recall of `variant` minus recall of `baseline` per class, paired by seed. */
export function classDifferences(
  baseline: readonly RunSummary[],
  variant: readonly RunSummary[],
  split: ClassSplit,
  level = DEFAULT_LEVEL,
): ClassDifference {
  const a = matricesBySeed(baseline, split).bySeed;
  const b = matricesBySeed(variant, split).bySeed;
  const seeds = [...b.keys()].filter((s) => a.has(s)).sort((x, y) => x - y);
  const k = seeds.length > 0 ? a.get(seeds[0])!.m.length : 0;
  const recall = Array.from({ length: k }, (_, c) => {
    const diffs = defined(
      seeds.map((s) => {
        const ra = recallOf(a.get(s)!.m, c);
        const rb = recallOf(b.get(s)!.m, c);
        return ra === undefined || rb === undefined ? undefined : rb - ra;
      }),
    );
    return cell(differenceInterval(diffs, 'unit', level));
  });
  return { recall };
}

/** "7" or "7, 9": the distinct 1-based kept epochs of a variant's runs (epochs differ per seed with early stopping). */
export function keptEpochsText(epochs: readonly number[]): string {
  const distinct = [...new Set(epochs)].sort((a, b) => a - b).map((e) => String(e + 1));
  return distinct.length <= 4 ? distinct.join(', ') : `${distinct[0]} to ${distinct.at(-1)}`;
}

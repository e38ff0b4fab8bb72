/**
 * Runs in words and shapes, from the one run-state model (src/shared/run-state.ts): status text
 * ("stopped early at epoch 7", "diverged at step 412"), a tone for the status dot, the progress
 * fraction (full only for a run that finished its training), grouping by variant, and the live loss series of a run's sparkline
 * built from metric records (deduplicated, because a run's first metrics can arrive both from the
 * file and from a progress event). Pure.
 */
import type { MetricRecord, RunView, Variant } from '../../../shared/api.js';
import { isActive, runFraction, stateText, stateTone, type Tone } from '../../../shared/run-state.js';

export type { Tone };

/** A run's state in words, from the shared run-state model: "stopped early at epoch 7", "diverged at step 412", "running on 2 workers, epoch 3 of 10". */
export function runStatusText(run: RunView): string {
  return stateText(
    { state: run.status, threads: run.threads, recorded: run.summary?.status ?? null, damage: run.damage },
    run.summary,
    run.progress,
  );
}

/** Tone of the status dot (red for diverged, failed, damaged). */
export function runTone(status: RunView['status']): Tone {
  return stateTone(status);
}

/** Fraction of the run done, in [0, 1]: full only for a run that finished its training. */
export function runProgress(run: RunView, stepsPerEpoch: number | null = null): number {
  return runFraction(run.status, { epochs: run.epochs, summary: run.summary, progress: run.progress, stepsPerEpoch });
}

export { isActive };

export interface VariantGroup {
  variant: Variant;
  index: number;
  runs: RunView[];
}

/** Runs grouped under their variant, in the variants' order; runs of unknown variants last. */
export function groupRuns(variants: readonly Variant[], runs: readonly RunView[]): VariantGroup[] {
  const groups = variants.map((variant, index) => ({ variant, index, runs: [] as RunView[] }));
  const byId = new Map(groups.map((g) => [g.variant.id, g]));
  for (const run of runs) {
    let g = byId.get(run.variantId);
    if (!g) {
      g = { variant: { id: run.variantId, label: run.variantId, factors: {} }, index: groups.length, runs: [] };
      groups.push(g);
      byId.set(run.variantId, g);
    }
    g.runs.push(run);
  }
  for (const g of groups) g.runs.sort((a, b) => a.seed - b.seed);
  return groups;
}

/** The loss series a sparkline draws, x in steps, each sorted by x. */
export interface LossSeries {
  train: { x: number[]; y: number[] };
  val: { x: number[]; y: number[] };
  /** Step records seen (else the epochs' train loss stands in for the live series). */
  hasSteps: boolean;
  /** Steps per epoch, from the epoch records (null before the first epoch ends). */
  stepsPerEpoch: number | null;
}

export function emptyLossSeries(): LossSeries {
  return { train: { x: [], y: [] }, val: { x: [], y: [] }, hasSteps: false, stepsPerEpoch: null };
}

/** Inserts (x, y) keeping x sorted; false when x is already there. Appends are O(log n). */
function insertSorted(s: { x: number[]; y: number[] }, x: number, y: number): boolean {
  let lo = 0;
  let hi = s.x.length;
  if (hi > 0 && s.x[hi - 1] < x) lo = hi;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (s.x[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  if (s.x[lo] === x) return false;
  s.x.splice(lo, 0, x);
  s.y.splice(lo, 0, y);
  return true;
}

/**
 * Adds records in place, in any order and any number of times (a run's first records can arrive
 * from its file and from live events, in either order); returns true when something was added.
 * Validation points sit at the step that ends their epoch.
 */
export function appendLossRecords(s: LossSeries, records: readonly MetricRecord[]): boolean {
  let changed = false;
  for (const r of records) {
    if (r.kind === 'step') {
      if (!s.hasSteps) {
        s.hasSteps = true;
        // Epoch stand-ins give way to the real step series.
        s.train = { x: [], y: [] };
      }
      changed = insertSorted(s.train, r.step, r.loss) || changed;
    } else if (r.kind === 'epoch') {
      const x = (r.epoch + 1) * r.steps;
      s.stepsPerEpoch = r.steps;
      if (!s.hasSteps) changed = insertSorted(s.train, x, r.trainLoss) || changed;
      if (r.valLoss !== null) changed = insertSorted(s.val, x, r.valLoss) || changed;
    }
  }
  return changed;
}

/**
 * SVG path ("M x y L x y ...") of a series inside a w x h box; y on a log scale when asked.
 * Non-finite points break the line.
 */
export function sparkPath(
  xs: readonly number[],
  ys: readonly number[],
  box: { w: number; h: number; pad?: number },
  domain: { x: [number, number]; y: [number, number] },
  logY = false,
): string {
  const pad = box.pad ?? 2;
  const f = (v: number) => (logY ? Math.log10(Math.max(v, 1e-12)) : v);
  const [x0, x1] = domain.x;
  const [y0, y1] = [f(domain.y[0]), f(domain.y[1])];
  const sx = x1 > x0 ? (box.w - 2 * pad) / (x1 - x0) : 0;
  const sy = y1 > y0 ? (box.h - 2 * pad) / (y1 - y0) : 0;
  let d = '';
  let pen = false;
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
    const y = ys[i];
    if (!Number.isFinite(y) || (logY && y <= 0)) {
      pen = false;
      continue;
    }
    const px = pad + (xs[i] - x0) * sx;
    const py = box.h - pad - (sy === 0 ? (box.h - 2 * pad) / 2 : (f(y) - y0) * sy);
    d += `${pen ? 'L' : 'M'}${px.toFixed(1)} ${py.toFixed(1)}`;
    pen = true;
  }
  return d;
}

/** Min and max of the finite values of several series (null when there are none). */
export function extent(...series: ReadonlyArray<readonly number[]>): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series)
    for (const v of s) {
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  return lo <= hi ? [lo, hi] : null;
}

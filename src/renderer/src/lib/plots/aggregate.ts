/**
 * Learning curves across seeds, per variant: at each step (or epoch) the mean over the seeds that
 * have a value there and its 95% interval by the statistics module's bounded methods
 * (src/shared/intervals.ts: a loss band stays above 0, an accuracy band inside [0, 1]), then
 * smoothed and thinned for display (prepareLine). On the time axis a point is drawn at the seeds'
 * mean time of that step. Also each seed's own line, on demand, and where each epoch ends (for the
 * best-epoch markers). Pure; runs in the Compare tab's worker (plot/curves.worker.ts).
 */
import { meanInterval, metricRange } from '../../../../shared/intervals.js';
import { ema } from '../smoothing.js';
import { lttbIndices, pick } from '../lttb.js';
import { prepareLine, type PreparedLine } from './curves.js';
import { curvePoints, epochEnds, type CurveMetric, type Role, type RunCurves, type XAxis } from './run-records.js';

export interface CurveQuery {
  metric: CurveMetric;
  x: XAxis;
  roles: Role[];
  /** Each seed's line as well as the mean. */
  seeds: boolean;
  smoothing: number;
  logY: boolean;
  /** Display points per line. */
  maxPoints: number;
}

export interface CurveRun {
  runId: string;
  variantId: string;
  seed: number;
  data: RunCurves;
}

export interface SeedLine {
  seed: number;
  role: Role;
  x: number[];
  y: number[];
}

export interface VariantCurves {
  lines: Array<{ role: Role; line: PreparedLine }>;
  seedLines: SeedLine[];
  /** x of the end of epoch k (0-based), the seeds' mean. */
  epochEnds: number[];
  /** Seeds with any point of the metric. */
  seeds: number;
}

const METRIC_NAME: Record<CurveMetric, Record<Role, string>> = {
  loss: { train: 'trainLoss', val: 'valLoss' },
  accuracy: { train: 'trainAccuracy', val: 'valAccuracy' },
};

/** Mean over the values at each index (seeds that have one there). */
function meanAt(rows: ReadonlyArray<readonly number[]>): number[] {
  const out: number[] = [];
  const len = Math.max(0, ...rows.map((r) => r.length));
  for (let i = 0; i < len; i++) {
    let sum = 0;
    let n = 0;
    for (const r of rows)
      if (i < r.length) {
        sum += r[i];
        n++;
      }
    out.push(sum / n);
  }
  return out;
}

export function aggregateVariant(runs: readonly CurveRun[], q: CurveQuery): VariantCurves {
  const lines: VariantCurves['lines'] = [];
  const seedLines: SeedLine[] = [];
  const withData = new Set<number>();
  for (const role of q.roles) {
    const range = metricRange(METRIC_NAME[q.metric][role]);
    const byKey = new Map<number, { xs: number[]; ys: number[] }>();
    for (const run of runs) {
      const points = curvePoints(run.data, q.metric, role, q.x);
      if (points.length > 0) withData.add(run.seed);
      for (const p of points) {
        const cell = byKey.get(p.key);
        if (cell) {
          cell.xs.push(p.x);
          cell.ys.push(p.y);
        } else byKey.set(p.key, { xs: [p.x], ys: [p.y] });
      }
      if (q.seeds && points.length > 0) seedLines.push(thinSeed(run.seed, role, points, q));
    }
    const keys = [...byKey.keys()].sort((a, b) => a - b);
    const band = { x: [] as number[], mean: [] as number[], lower: [] as number[], upper: [] as number[], n: [] as number[] };
    for (const k of keys) {
      const cell = byKey.get(k)!;
      const iv = meanInterval(cell.ys, range);
      if (iv.mean === null) continue;
      band.x.push(cell.xs.reduce((a, b) => a + b, 0) / cell.xs.length);
      band.mean.push(iv.mean);
      band.lower.push(iv.lower ?? iv.mean);
      band.upper.push(iv.upper ?? iv.mean);
      band.n.push(iv.n);
    }
    if (band.x.length > 0)
      lines.push({ role, line: prepareLine(band, { logY: q.logY, smoothing: q.smoothing, xOffset: 0, maxPoints: q.maxPoints }) });
  }
  return { lines, seedLines, epochEnds: meanAt(runs.map((r) => epochEnds(r.data, q.x))), seeds: withData.size };
}

function thinSeed(seed: number, role: Role, points: ReadonlyArray<{ x: number; y: number }>, q: CurveQuery): SeedLine {
  const x = points.map((p) => p.x);
  const raw = points.map((p) => p.y);
  const y = q.smoothing > 0 ? ema(raw, q.smoothing) : raw;
  const idx = lttbIndices(x, y, q.maxPoints);
  return { seed, role, x: pick(x, idx), y: pick(y, idx) };
}

/** Every variant's curves, from the runs that count (the caller leaves out runs that ended unhealthy). */
export function aggregateCurves(runs: Iterable<CurveRun>, q: CurveQuery): Map<string, VariantCurves> {
  const byVariant = new Map<string, CurveRun[]>();
  for (const r of runs) {
    const list = byVariant.get(r.variantId);
    if (list) list.push(r);
    else byVariant.set(r.variantId, [r]);
  }
  const out = new Map<string, VariantCurves>();
  for (const [id, list] of byVariant) out.set(id, aggregateVariant(list, q));
  return out;
}

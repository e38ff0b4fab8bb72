/**
 * One run's learning-curve data as Compare plots it: the loss of every step and the metrics of
 * every epoch, kept compact (the records of metrics.ndjson carry much more) and deduplicated (a
 * run's records can arrive both from its file and from live events, in either order). From them,
 * one metric's points against steps, epochs or training time. Pure.
 */
import type { CurveEpoch, MetricRecord } from '../../../../shared/api.js';
import { curveEpoch } from '../../../../shared/curve-epoch.js';

export type XAxis = 'step' | 'epoch' | 'time';
export type CurveMetric = 'loss' | 'accuracy';
export type Role = 'train' | 'val';

/** The part of a metric record that curves need: a step's loss, or an epoch's metrics. */
export type CurveRecord = { kind: 'step'; step: number; loss: number } | ({ kind: 'epoch' } & CurveEpoch);

export interface RunCurves {
  /** 1-based step numbers, sorted, with the batch loss of each. */
  steps: number[];
  loss: number[];
  /** Sorted by epoch. */
  epochs: CurveEpoch[];
}

export function emptyRunCurves(): RunCurves {
  return { steps: [], loss: [], epochs: [] };
}

/** The records curves need, stripped of the rest (what crosses to the aggregation worker). */
export function curveRecords(records: readonly MetricRecord[]): CurveRecord[] {
  const out: CurveRecord[] = [];
  for (const r of records) {
    if (r.kind === 'step') out.push({ kind: 'step', step: r.step, loss: r.loss });
    else if (r.kind === 'epoch') out.push({ kind: 'epoch', ...curveEpoch(r) });
  }
  return out;
}

/** Index where `x` belongs in the sorted `xs` (appends are the common case: O(1)). */
function slot(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  if (hi > 0 && xs[hi - 1] < x) return hi;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Adds records in place, in any order, ignoring ones already there; true when something changed. */
export function addCurveRecords(run: RunCurves, records: readonly CurveRecord[]): boolean {
  let changed = false;
  for (const r of records) {
    if (r.kind === 'step') {
      const i = slot(run.steps, r.step);
      if (run.steps[i] === r.step) continue;
      run.steps.splice(i, 0, r.step);
      run.loss.splice(i, 0, r.loss);
      changed = true;
    } else {
      const i = slot(
        run.epochs.map((e) => e.epoch),
        r.epoch,
      );
      if (run.epochs[i]?.epoch === r.epoch) continue;
      const { kind: _kind, ...row } = r;
      run.epochs.splice(i, 0, row);
      changed = true;
    }
  }
  return changed;
}

/** A point of one run's curve: `key` lines seeds up (a step or an epoch), `x` is where it is drawn. */
export interface CurvePoint {
  key: number;
  x: number;
  y: number;
}

const EPOCH_FIELD: Record<CurveMetric, Record<Role, 'trainLoss' | 'valLoss' | 'trainAccuracy' | 'valAccuracy'>> = {
  loss: { train: 'trainLoss', val: 'valLoss' },
  accuracy: { train: 'trainAccuracy', val: 'valAccuracy' },
};

/**
 * Where each epoch ends on the x axis: its step (the steps of it and every epoch before), its
 * training time (the seconds likewise), or its number (1-based, "epochs completed").
 */
export function epochEnds(run: RunCurves, x: XAxis): number[] {
  let steps = 0;
  let seconds = 0;
  return run.epochs.map((e) => {
    steps += e.steps;
    seconds += e.seconds;
    return x === 'step' ? steps : x === 'time' ? seconds : e.epoch + 1;
  });
}

/**
 * One run's points of a metric. The training loss is per step when steps were recorded (on the
 * time axis, steps of an epoch are spread evenly over its duration, so they appear once their
 * epoch has ended); every other metric is per epoch, drawn where its epoch ends.
 */
export function curvePoints(run: RunCurves, metric: CurveMetric, role: Role, x: XAxis): CurvePoint[] {
  if (metric === 'loss' && role === 'train' && x !== 'epoch' && run.steps.length > 0) {
    if (x === 'step') return run.steps.map((s, i) => ({ key: s, x: s, y: run.loss[i] }));
    const out: CurvePoint[] = [];
    let first = 1;
    let t0 = 0;
    let i = 0;
    for (const e of run.epochs) {
      const last = first + e.steps - 1;
      for (; i < run.steps.length && run.steps[i] <= last; i++) {
        if (run.steps[i] >= first)
          out.push({ key: run.steps[i], x: t0 + (e.seconds * (run.steps[i] - first + 1)) / e.steps, y: run.loss[i] });
      }
      first = last + 1;
      t0 += e.seconds;
    }
    return out;
  }
  const field = EPOCH_FIELD[metric][role];
  const ends = epochEnds(run, x);
  const out: CurvePoint[] = [];
  run.epochs.forEach((e, i) => {
    const y = e[field];
    if (typeof y === 'number' && Number.isFinite(y)) out.push({ key: e.epoch, x: ends[i], y });
  });
  return out;
}

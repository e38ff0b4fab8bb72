/**
 * Compare's per-layer curve metrics: ids "diag:<measure>:<layer>" (layer from 0, the last is the
 * output) and "diag:<measure>:<layer>:P" for the residual projection P of a hidden layer whose
 * width differs from its input's, named as the gradient-flow views name it ("<layer> · P"); their
 * picker options, and the [time] series of one run's diagnostics a metric draws. Pure.
 */
import type { RunDiagnostics } from '../../../shared/api.js';

export const DIAG_MEASURES = {
  gradNorm: 'Gradient norm',
  weightNorm: 'Weight norm',
  updateRatio: 'Update ratio',
  dead: 'Dead fraction',
  zeroFraction: 'Zero fraction',
} as const;
export type DiagMeasure = keyof typeof DIAG_MEASURES;

/** The measures a residual projection P has (it is a weight matrix without units of its own). */
const PROJECTION_MEASURES: ReadonlySet<DiagMeasure> = new Set(['gradNorm', 'weightNorm', 'updateRatio']);

export interface DiagMetric {
  measure: DiagMeasure;
  layer: number;
  /** The layer's residual projection P, not the layer. */
  projection: boolean;
}

export function parseDiagMetric(id: string): DiagMetric {
  const [, measure, layer, p] = id.split(':');
  return { measure: measure as DiagMeasure, layer: Number(layer), projection: p === 'P' };
}

export interface DiagMetricOption {
  id: string;
  label: string;
  group: string;
}

/**
 * Per measure, a choice per layer (no dead or zero fraction for the output layer, which has no
 * activation), each layer's P right after it where `projections` holds its index.
 */
export function diagMetricOptions(layers: readonly string[], projections: ReadonlySet<number>): DiagMetricOption[] {
  const out: DiagMetricOption[] = [];
  for (const [m, group] of Object.entries(DIAG_MEASURES) as Array<[DiagMeasure, string]>) {
    layers.forEach((name, i) => {
      if ((m === 'dead' || m === 'zeroFraction') && i === layers.length - 1) return;
      out.push({ id: `diag:${m}:${i}`, label: `${group} · ${name}`, group });
      if (PROJECTION_MEASURES.has(m) && projections.has(i)) out.push({ id: `diag:${m}:${i}:P`, label: `${group} · ${name} · P`, group });
    });
  }
  return out;
}

/** What the metric draws of one run: x (steps, or epochs for the dead fraction) and y; empty where the run has none. */
export function diagSeries(d: RunDiagnostics, metric: DiagMetric): { x: number[]; y: number[] } {
  const { measure, layer } = metric;
  if (measure === 'dead') return { x: d.deadEpochs, y: d.deadFraction[layer] ?? [] };
  if (!metric.projection) return { x: d.steps, y: d[measure][layer] ?? [] };
  const p = PROJECTION_MEASURES.has(measure) ? (d.projections ?? []).find((q) => q.layer === layer) : undefined;
  return p ? { x: d.steps, y: p[measure as 'gradNorm' | 'weightNorm' | 'updateRatio'] } : { x: [], y: [] };
}

/** The hidden layers (from 0) of any of `diags` that have a residual projection P. */
export function projectionLayersOf(diags: Iterable<RunDiagnostics>): Set<number> {
  const out = new Set<number>();
  for (const d of diags) for (const p of d.projections ?? []) out.add(p.layer);
  return out;
}

/**
 * What the learning-curve figures draw for the Compare choices: per shown variant its prepared
 * lines (loss and accuracy from the curves worker; per-layer diagnostics aggregated here from the
 * loaded diagnostics), its seed lines, and one best-epoch and one early-stop marker (the median
 * over its seeds, with every seed's epoch in the hover text), with the axes' titles.
 */
import type { RunDiagnostics } from '../../../shared/api';
import { metricRange } from '../../../shared/intervals';
import { prepareLine, type CurveMarker, type CurveSeries, type Role } from '../lib/plots/curves';
import { X_AXIS_TITLES } from '../lib/plots/curve-choices';
import { medianMarkers } from '../lib/plots/curve-markers';
import { DIAG_MEASURES, diagSeries, parseDiagMetric, projectionLayersOf } from '../lib/diag-metrics';
import { lossUnit, projectionLayers } from '../lib/spec';
import { bandOf } from '../lib/stats';
import type { ExperimentSession } from './session.svelte';

export interface CurveData {
  series: Map<string, CurveSeries>;
  xTitle: string;
  yTitle: string;
  percent: boolean;
  /** x counts steps or epochs (whole numbers). */
  integerX: boolean;
  /** Runs whose diagnostics the metric needs (empty for loss and accuracy). */
  needsDiagnostics: string[];
}

/** Display points per line of the curves the worker prepares. */
export const CURVE_POINTS = 800;

/** Layer names from any loaded diagnostics, else from the spec (hidden layers, then output). */
export function layerLabels(session: ExperimentSession): string[] {
  const d = session.compare.diagnostics.values().next().value as RunDiagnostics | undefined;
  if (d) return d.layers.map((n, i) => n || `layer ${i + 1}`);
  const hidden = session.view?.experiment.spec.model.hidden.length ?? 0;
  return [...Array.from({ length: hidden }, (_, i) => `layer ${i + 1}`), 'output'];
}

/**
 * The hidden layers (from 0) with a residual projection P in any loaded diagnostics, or in the
 * experiment's base model (a variant may change widths, and only its diagnostics tell).
 */
export function projectionLayerSet(session: ExperimentSession): Set<number> {
  const out = projectionLayersOf(session.compare.diagnostics.values());
  const model = session.view?.experiment.spec.model;
  if (model) for (const l of projectionLayers(model)) out.add(l);
  return out;
}

/** The variant's median best-epoch and early-stop markers, placed with `at` (0-based epoch -> x). */
export function variantMarkers(session: ExperimentSession, variantId: string, at: (epoch: number) => number | undefined): CurveMarker[] {
  return medianMarkers(
    session.compare.ended.filter((r) => r.variantId === variantId),
    at,
  );
}

export function curveData(session: ExperimentSession, metric: string): CurveData {
  const c = session.compare;
  const series = new Map<string, CurveSeries>();
  const shown = c.visibleVariants();
  const style = (id: string) => session.styleOf(id);
  if (metric === 'loss' || metric === 'accuracy') {
    const curves = c.curves.curves;
    for (const v of shown) {
      const vc = curves?.get(v.id);
      const { color, dash } = style(v.id);
      const ends = vc?.epochEnds ?? [];
      series.set(v.id, {
        variantId: v.id,
        label: v.label,
        color,
        dash,
        lines: vc?.lines ?? [],
        seedLines: vc?.seedLines,
        markers: variantMarkers(session, v.id, (e) => ends[e]),
      });
    }
    const head = session.view?.experiment.spec.model.head;
    return {
      series,
      xTitle: X_AXIS_TITLES[c.xAxis],
      yTitle: metric === 'loss' ? `Loss (${lossUnit(head)})` : 'Accuracy (%)',
      percent: metric === 'accuracy',
      integerX: c.xAxis !== 'time',
      needsDiagnostics: [],
    };
  }
  const diag = parseDiagMetric(metric);
  const { measure, layer } = diag;
  const needs: string[] = [];
  const xOffset = measure === 'dead' ? 1 : 0;
  for (const v of shown) {
    const runs = c.started.filter(([id]) => id === v.id).map(([, runId]) => runId);
    needs.push(...runs);
    const list = runs
      .map((runId) => c.diagnostics.get(runId))
      .filter((d): d is RunDiagnostics => d !== undefined)
      .map((d) => diagSeries(d, diag));
    const band = bandOf(list, metricRange(measure));
    const { color, dash } = style(v.id);
    const line = prepareLine(band, { logY: c.logY, smoothing: c.smoothing, xOffset, maxPoints: CURVE_POINTS });
    series.set(v.id, { variantId: v.id, label: v.label, color, dash, lines: band.x.length ? [{ role: 'val' as Role, line }] : [] });
  }
  const fraction = measure === 'dead' || measure === 'zeroFraction';
  return {
    series,
    xTitle: measure === 'dead' ? 'Epoch' : 'Step',
    yTitle: `${DIAG_MEASURES[measure]} · ${layerLabels(session)[layer] ?? `layer ${layer + 1}`}${diag.projection ? ' · P' : ''}${fraction ? ' (%)' : ''}`,
    percent: fraction,
    integerX: true,
    needsDiagnostics: needs,
  };
}

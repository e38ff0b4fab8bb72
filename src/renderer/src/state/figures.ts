/**
 * Figures of an experiment, built from its session and the Compare choices: the Compare tab draws
 * them with the app's theme, the Export tab with white paper. One builder per figure kind, so what
 * is exported is what was looked at.
 */
import type { RunDiagnostics } from '../../../shared/api';
import { overlayFigure, smallMultiplesFigure, type CurveOptions } from '../lib/plots/curves';
import { curvePanels, type CurvePanels } from '../lib/plots/curve-panels';
import { boundaryFigure } from '../lib/plots/boundary';
import { distributionOverlayFigure, overlaySteps, type OverlayRun } from '../lib/plots/distribution-overlay';
import { DIST_QUANTITIES } from '../lib/plots/histogram-bins';
import {
  histogramFigure,
  LAYER_MEASURES,
  type LayerFigureOptions,
  layerHeatmapFigure,
  layerLinesFigure,
  UNIT_MEASURES,
  unitHeatmapFigure,
} from '../lib/plots/layers';
import type { Figure, PlotTokens } from '../lib/plots/theme';
import { smallMultiplesGrid } from '../lib/grid';
import type { ViewId } from './compare.svelte';
import { curveData, layerLabels, projectionLayerSet, type CurveData } from './curve-data';
import { diagMetricOptions } from '../lib/diag-metrics';
import type { ExperimentSession } from './session.svelte';

export { curveData, layerLabels };

export type FigureKind =
  'small-multiples' | 'overlay' | 'gradient-lines' | 'gradient-heatmap' | 'units' | 'distributions' | 'distribution-overlay' | 'boundary';

export const FIGURE_LABELS: Record<FigureKind, string> = {
  'small-multiples': 'Learning curves, small multiples',
  overlay: 'Learning curves, overlay',
  'gradient-lines': 'Gradient flow, per-layer lines',
  'gradient-heatmap': 'Gradient flow, layer × step heatmaps',
  units: 'Units: dead, sparse or saturated',
  distributions: 'Activation distributions over time',
  'distribution-overlay': 'Distributions of the variants at one step',
  boundary: 'Decision boundaries',
};

export interface MetricOption {
  id: string;
  label: string;
  group: string;
}

export function metricOptions(session: ExperimentSession): MetricOption[] {
  const curves = session.compare.comparison?.curves ?? {};
  const names = new Set(Object.values(curves).flatMap((c) => Object.keys(c)));
  const out: MetricOption[] = [{ id: 'loss', label: 'Loss (train and validation)', group: 'Curves' }];
  if (names.has('valAccuracy') || names.has('trainAccuracy'))
    out.push({ id: 'accuracy', label: 'Accuracy (train and validation)', group: 'Curves' });
  return [...out, ...diagMetricOptions(layerLabels(session), projectionLayerSet(session))];
}

/** Diagnostics of each variant's run for the chosen seed (only those loaded). */
export function seedDiagnostics(session: ExperimentSession): Map<string, RunDiagnostics> {
  const out = new Map<string, RunDiagnostics>();
  for (const [variantId, runId] of session.compare.runsForSeed()) {
    const d = session.compare.diagnostics.get(runId);
    if (d) out.set(variantId, d);
  }
  return out;
}

export interface BuildOptions {
  tokens: PlotTokens;
  /** Display points per line. */
  maxPoints?: number;
  /** Export: no highlight, no zoom. */
  still?: boolean;
  /** The curves' data when the caller has it already (curveData of the session's metric). */
  curves?: CurveData;
}

export function buildFigure(kind: FigureKind, session: ExperimentSession, o: BuildOptions): Figure | null {
  const fig = figureOf(kind, session, o);
  // Plotly keeps the user's zoom across updates while the figure means the same thing; a new
  // meaning (metric, scale, measure, seed, shown variants) starts from fitted axes.
  if (fig) fig.layout.uirevision = meaningKey(kind, session);
  return fig;
}

function meaningKey(kind: FigureKind, session: ExperimentSession): string {
  const c = session.compare;
  const shown = c
    .visibleVariants()
    .map((v) => v.id)
    .join(',');
  return [
    kind,
    c.metric,
    c.logY,
    c.xAxis,
    c.overlayRole,
    c.showSeeds,
    c.seed,
    c.layerMeasure,
    c.unitMeasure,
    c.histLayer,
    c.histQuantity,
    c.histStep,
    shown,
  ].join('|');
}

function curveOptions(session: ExperimentSession, o: BuildOptions, d: CurveData): CurveOptions {
  const c = session.compare;
  return {
    tokens: o.tokens,
    logY: c.logY,
    smoothing: c.smoothing,
    highlight: o.still ? null : session.highlight,
    xTitle: d.xTitle,
    yTitle: d.yTitle,
    percent: d.percent,
    integerX: d.integerX,
    seeds: c.showSeeds && !c.metric.startsWith('diag:'),
    xRange: o.still ? null : c.xRange.curves,
    roles: [c.overlayRole],
  };
}

/**
 * The learning curves' small multiples as Compare draws them: one plot per variant with shared
 * ranges (curvePanels), each redrawn on its own while runs train. Export draws the one-figure
 * version ('small-multiples'), which shows the same lines on the same shared axes.
 */
export function buildCurvePanels(session: ExperimentSession, o: BuildOptions): CurvePanels {
  const c = session.compare;
  const d = o.curves ?? curveData(session, c.metric);
  const grid = smallMultiplesGrid(c.visibleVariants(), session.factorOrder());
  const height = grid.rows <= 1 ? 250 : grid.rows === 2 ? 220 : 190;
  const out = curvePanels(grid, d.series, curveOptions(session, o, d), height);
  const key = meaningKey('small-multiples', session);
  for (const p of out.panels) p.figure.layout.uirevision = key;
  return out;
}

function figureOf(kind: FigureKind, session: ExperimentSession, o: BuildOptions): Figure | null {
  const c = session.compare;
  const highlight = o.still ? null : session.highlight;
  const titleColor = (id: string) => session.styleOf(id).color;
  const maxPoints = o.maxPoints ?? 600;
  const grid = smallMultiplesGrid(c.visibleVariants(), session.factorOrder());
  const layerOptions = (view: ViewId): LayerFigureOptions => ({
    tokens: o.tokens,
    highlight,
    xRange: o.still ? null : c.xRange[view],
    maxPoints,
    titleColor,
    legend: o.still,
  });
  switch (kind) {
    case 'small-multiples':
    case 'overlay': {
      const d = o.curves ?? curveData(session, c.metric);
      const opts = curveOptions(session, o, d);
      return kind === 'small-multiples' ? smallMultiplesFigure(grid, d.series, opts) : overlayFigure([...d.series.values()], opts);
    }
    case 'gradient-lines':
      return layerLinesFigure(grid, seedDiagnostics(session), c.layerMeasure, layerOptions('gradients'));
    case 'gradient-heatmap':
      return layerHeatmapFigure(grid, seedDiagnostics(session), c.layerMeasure, layerOptions('gradients'));
    case 'units':
      return unitHeatmapFigure(grid, seedDiagnostics(session), c.unitMeasure, layerOptions('units'));
    case 'distributions':
      return histogramFigure(grid, seedDiagnostics(session), c.histLayer, layerOptions('distributions'));
    case 'distribution-overlay': {
      const runs = overlayRuns(session);
      return distributionOverlayFigure(runs, {
        tokens: o.tokens,
        quantity: c.histQuantity,
        layer: c.histLayer,
        step: c.histStep ?? defaultOverlayStep(runs),
      });
    }
    case 'boundary': {
      const map = new Map();
      for (const [variantId, runId] of c.runsForSeed()) {
        const b = c.boundaries.get(runId);
        if (b) map.set(variantId, b);
      }
      return boundaryFigure(grid, map, { tokens: o.tokens, classNames: session.view?.data?.classNames ?? [], titleColor });
    }
  }
}

/** The shown variants' runs of the chosen seed for the distributions overlay, in their colors. */
export function overlayRuns(session: ExperimentSession): OverlayRun[] {
  const diags = seedDiagnostics(session);
  return session.compare.visibleVariants().map((v) => ({
    variantId: v.id,
    title: v.label,
    color: session.styleOf(v.id).color,
    diag: diags.get(v.id),
  }));
}

/** Without a choice: the latest step every run has reached (each then shows its nearest stored one). */
export function defaultOverlayStep(runs: OverlayRun[]): number {
  const lasts = runs.flatMap((r) => (r.diag?.steps.length ? [r.diag.steps[r.diag.steps.length - 1]] : []));
  return lasts.length ? Math.min(...lasts) : (overlaySteps(runs)[0] ?? 1);
}

/** What a figure shows, in words, for its caption. */
export function figureWhat(kind: FigureKind, session: ExperimentSession): string {
  const c = session.compare;
  if (kind === 'small-multiples' || kind === 'overlay') return curveData(session, c.metric).yTitle;
  if (kind === 'gradient-lines' || kind === 'gradient-heatmap') return `${LAYER_MEASURES[c.layerMeasure].label} per layer`;
  if (kind === 'units') return `${UNIT_MEASURES[c.unitMeasure].label} per layer`;
  if (kind === 'distributions') return `Activation histograms of ${layerLabels(session)[c.histLayer] ?? 'layer'}`;
  if (kind === 'distribution-overlay')
    return `${DIST_QUANTITIES[c.histQuantity].label} of ${layerLabels(session)[c.histLayer] ?? 'layer'}, variants overlaid at one step`;
  return 'Decision regions with the data points';
}

/** Figures that aggregate over seeds (bands) versus one seed's run. */
export function figureUsesBand(kind: FigureKind): boolean {
  return kind === 'small-multiples' || kind === 'overlay';
}

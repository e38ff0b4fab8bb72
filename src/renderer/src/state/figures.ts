/**
 * Figures of an experiment, built from its session and the Compare choices: the Compare tab draws
 * them with the app's theme, the Export tab with white paper. One builder per figure kind, so what
 * is exported is what was looked at.
 */
import type { RunDiagnostics } from '../../../shared/api';
import type { CurveSeries, MarkerGroup, Role } from '../lib/plots/curves';
import { overlayFigure, smallMultiplesFigure } from '../lib/plots/curves';
import { boundaryFigure } from '../lib/plots/boundary';
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
import { lossUnit } from '../lib/spec';
import { bandOf } from '../lib/stats';
import { metricRange } from '../../../shared/intervals';
import type { ViewId } from './compare.svelte';
import type { ExperimentSession } from './session.svelte';

export type FigureKind = 'small-multiples' | 'overlay' | 'gradient-lines' | 'gradient-heatmap' | 'units' | 'distributions' | 'boundary';

export const FIGURE_LABELS: Record<FigureKind, string> = {
  'small-multiples': 'Learning curves, small multiples',
  overlay: 'Learning curves, overlay',
  'gradient-lines': 'Gradient flow, per-layer lines',
  'gradient-heatmap': 'Gradient flow, layer × step heatmaps',
  units: 'Units: dead, sparse or saturated',
  distributions: 'Activation distributions',
  boundary: 'Decision boundaries',
};

export interface MetricOption {
  id: string;
  label: string;
  group: string;
}

const DIAG_MEASURES = {
  gradNorm: 'Gradient norm',
  weightNorm: 'Weight norm',
  updateRatio: 'Update ratio',
  dead: 'Dead fraction',
  zeroFraction: 'Zero fraction',
} as const;
type DiagMeasure = keyof typeof DIAG_MEASURES;

/** Layer names from any loaded diagnostics, else from the spec (hidden layers, then output). */
export function layerLabels(session: ExperimentSession): string[] {
  const d = session.compare.diagnostics.values().next().value as RunDiagnostics | undefined;
  if (d) return d.layers.map((n, i) => n || `layer ${i + 1}`);
  const hidden = session.view?.experiment.spec.model.hidden.length ?? 0;
  return [...Array.from({ length: hidden }, (_, i) => `layer ${i + 1}`), 'output'];
}

export function metricOptions(session: ExperimentSession): MetricOption[] {
  const curves = session.compare.comparison?.curves ?? {};
  const names = new Set(Object.values(curves).flatMap((c) => Object.keys(c)));
  const out: MetricOption[] = [{ id: 'loss', label: 'Loss (train and validation)', group: 'Curves' }];
  if (names.has('valAccuracy') || names.has('trainAccuracy'))
    out.push({ id: 'accuracy', label: 'Accuracy (train and validation)', group: 'Curves' });
  const layers = layerLabels(session);
  for (const [m, label] of Object.entries(DIAG_MEASURES) as Array<[DiagMeasure, string]>) {
    layers.forEach((name, i) => {
      if ((m === 'dead' || m === 'zeroFraction') && i === layers.length - 1) return;
      out.push({ id: `diag:${m}:${i}`, label: `${label} · ${name}`, group: label });
    });
  }
  return out;
}

function markers(session: ExperimentSession, variantId: string, field: 'bestEpoch' | 'stoppedEpoch'): MarkerGroup[] {
  const byEpoch = new Map<number, number[]>();
  for (const r of session.runs) {
    const e = r.variantId === variantId ? r.summary?.[field] : null;
    if (e === null || e === undefined) continue;
    byEpoch.set(e, [...(byEpoch.get(e) ?? []), r.seed]);
  }
  return [...byEpoch].map(([x, seeds]) => ({ x, seeds }));
}

export interface CurveData {
  series: Map<string, CurveSeries>;
  xTitle: string;
  yTitle: string;
  percent: boolean;
  xOffset: number;
  logDefault: boolean;
  /** Runs whose diagnostics the metric needs (empty for loss and accuracy). */
  needsDiagnostics: string[];
}

export function curveData(session: ExperimentSession, metric: string): CurveData {
  const series = new Map<string, CurveSeries>();
  const head = session.view?.experiment.spec.model.head;
  if (metric === 'loss' || metric === 'accuracy') {
    const curves = session.compare.comparison?.curves ?? {};
    const keys: Record<Role, string> =
      metric === 'loss' ? { train: 'trainLoss', val: 'valLoss' } : { train: 'trainAccuracy', val: 'valAccuracy' };
    for (const v of session.variants) {
      const style = session.styleOf(v.id);
      const c = curves[v.id] ?? {};
      const lines = (['train', 'val'] as Role[]).filter((role) => c[keys[role]]?.x.length).map((role) => ({ role, band: c[keys[role]] }));
      series.set(v.id, {
        variantId: v.id,
        label: v.label,
        color: style.color,
        dash: style.dash,
        lines,
        best: markers(session, v.id, 'bestEpoch'),
        stopped: markers(session, v.id, 'stoppedEpoch'),
      });
    }
    return {
      series,
      xTitle: 'Epoch',
      yTitle: metric === 'loss' ? `Loss (${lossUnit(head)})` : 'Accuracy (%)',
      percent: metric === 'accuracy',
      xOffset: 1,
      logDefault: false,
      needsDiagnostics: [],
    };
  }
  const [, measure, layerText] = metric.split(':') as [string, DiagMeasure, string];
  const layer = Number(layerText);
  const needs: string[] = [];
  for (const v of session.variants) {
    const style = session.styleOf(v.id);
    const runs = session.runs.filter((r) => r.variantId === v.id && r.status !== 'queued');
    needs.push(...runs.map((r) => r.runId));
    const list = runs
      .map((r) => session.compare.diagnostics.get(r.runId))
      .filter((d): d is RunDiagnostics => d !== undefined)
      .map((d) => (measure === 'dead' ? { x: d.deadEpochs, y: d.deadFraction[layer] ?? [] } : { x: d.steps, y: d[measure][layer] ?? [] }));
    const band = bandOf(list, metricRange(measure));
    series.set(v.id, {
      variantId: v.id,
      label: v.label,
      color: style.color,
      dash: style.dash,
      lines: band.x.length ? [{ role: 'val', band }] : [],
    });
  }
  const fraction = measure === 'dead' || measure === 'zeroFraction';
  return {
    series,
    xTitle: measure === 'dead' ? 'Epoch' : 'Step',
    yTitle: `${DIAG_MEASURES[measure]} · ${layerLabels(session)[layer] ?? `layer ${layer + 1}`}${fraction ? ' (%)' : ''}`,
    percent: fraction,
    xOffset: measure === 'dead' ? 1 : 0,
    logDefault: !fraction,
    needsDiagnostics: needs,
  };
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
}

export function buildFigure(kind: FigureKind, session: ExperimentSession, o: BuildOptions): Figure | null {
  const c = session.compare;
  const highlight = o.still ? null : session.highlight;
  const titleColor = (id: string) => session.styleOf(id).color;
  const maxPoints = o.maxPoints ?? 600;
  const layerOptions = (view: ViewId): LayerFigureOptions => ({
    tokens: o.tokens,
    highlight,
    xRange: o.still ? null : c.xRange[view],
    maxPoints,
    titleColor,
  });
  switch (kind) {
    case 'small-multiples':
    case 'overlay': {
      const d = curveData(session, c.metric);
      const opts = {
        tokens: o.tokens,
        logY: c.logY,
        smoothing: c.smoothing,
        highlight,
        xTitle: d.xTitle,
        yTitle: d.yTitle,
        percent: d.percent,
        xOffset: d.xOffset,
        xRange: o.still ? null : c.xRange.curves,
        maxPoints,
        roles: [c.overlayRole],
      };
      return kind === 'small-multiples' ? smallMultiplesFigure(session.grid, d.series, opts) : overlayFigure([...d.series.values()], opts);
    }
    case 'gradient-lines':
      return layerLinesFigure(session.grid, seedDiagnostics(session), c.layerMeasure, layerOptions('gradients'));
    case 'gradient-heatmap':
      return layerHeatmapFigure(session.grid, seedDiagnostics(session), c.layerMeasure, layerOptions('gradients'));
    case 'units':
      return unitHeatmapFigure(session.grid, seedDiagnostics(session), c.unitMeasure, layerOptions('units'));
    case 'distributions':
      return histogramFigure(session.grid, seedDiagnostics(session), c.histLayer, layerOptions('distributions'));
    case 'boundary': {
      const map = new Map();
      for (const [variantId, runId] of c.runsForSeed()) {
        const b = c.boundaries.get(runId);
        if (b) map.set(variantId, b);
      }
      return boundaryFigure(session.grid, map, { tokens: o.tokens, classNames: session.view?.data?.classNames ?? [], titleColor });
    }
  }
}

/** What a figure shows, in words, for its caption. */
export function figureWhat(kind: FigureKind, session: ExperimentSession): string {
  const c = session.compare;
  if (kind === 'small-multiples' || kind === 'overlay') return curveData(session, c.metric).yTitle;
  if (kind === 'gradient-lines' || kind === 'gradient-heatmap') return `${LAYER_MEASURES[c.layerMeasure].label} per layer`;
  if (kind === 'units') return `${UNIT_MEASURES[c.unitMeasure].label} per layer`;
  if (kind === 'distributions') return `Activation histograms of ${layerLabels(session)[c.histLayer] ?? 'layer'}`;
  return 'Decision regions with the data points';
}

/** Figures that aggregate over seeds (bands) versus one seed's run. */
export function figureUsesBand(kind: FigureKind): boolean {
  return kind === 'small-multiples' || kind === 'overlay';
}

/**
 * The learning curves of a comparison across experiments, built by the in-experiment Compare's own
 * builders: each picked variant's runs (the back end's epoch records of every seed) are aggregated
 * by aggregate.ts exactly as the Compare tab's worker does (mean and bounded 95% band per epoch,
 * each seed's line on demand), marked with the median best epoch and early stop (curve-markers.ts),
 * and drawn as small multiples (curve-panels.ts) and an overlay (curves.ts). What cannot carry over
 * is said in `limits`: the per-step training loss is not read across experiments (the training
 * loss is per epoch), and training times were measured on each experiment's own machine and load.
 * Pure.
 */
import type { CrossComparison, CrossRunCurve } from '../../../../shared/api.js';
import { smallMultiplesGrid } from '../grid.js';
import { variantColor, variantDash } from '../palette.js';
import { aggregateCurves, type CurveQuery, type CurveRun } from './aggregate.js';
import { X_AXIS_TITLES } from './curve-choices.js';
import { medianMarkers } from './curve-markers.js';
import { curvePanels, type CurvePanels } from './curve-panels.js';
import { overlayFigure, type CurveOptions, type CurveSeries } from './curves.js';
import type { CurveMetric, Role, XAxis } from './run-records.js';
import type { Figure, PlotTokens } from './theme.js';

export const CROSS_CURVE_METRICS: ReadonlyArray<{ value: CurveMetric; label: string }> = [
  { value: 'loss', label: 'Loss' },
  { value: 'accuracy', label: 'Accuracy' },
];

/** The curve choices of the cross view, as the Compare tab's (state/compare.svelte.ts). */
export interface CrossCurveChoices {
  metric: CurveMetric;
  xAxis: XAxis;
  logY: boolean;
  smoothing: number;
  /** Each seed's line instead of the band. */
  showSeeds: boolean;
  /** The overlay's lines: validation or training. */
  overlayRole: Role;
  xRange: [number, number] | null;
  highlight: string | null;
}

/** Display points per line, as the Compare tab's worker prepares them. */
const CURVE_POINTS = 800;

/** Each variant's color by its place in the comparison (the table's swatches use the same). */
export function crossColors(result: CrossComparison, tokens: PlotTokens): Record<string, string> {
  return Object.fromEntries(result.comparison.variants.map((v, i) => [v.variantId, variantColor(i, tokens.theme)]));
}

/** A run's epochs as the Compare tab's curve data (no step records: the training loss is per epoch). */
function curveRun(variantId: string, i: number, r: CrossRunCurve): CurveRun {
  return { runId: `${variantId}#${i}`, variantId, seed: r.seed, data: { steps: [], loss: [], epochs: r.epochs } };
}

export interface CrossCurves {
  series: Map<string, CurveSeries>;
  xTitle: string;
  yTitle: string;
  percent: boolean;
  /** What the cross view cannot show as the Compare tab does, in words (empty when nothing). */
  limits: string[];
}

/** The choices the curves' data depends on (not the highlight or the zoom, which only redraw). */
export type CrossDataChoices = Pick<CrossCurveChoices, 'metric' | 'xAxis' | 'logY' | 'smoothing' | 'showSeeds'>;

/** Per shown variant its lines, seed lines and median markers; `shown` in the comparison's order. */
export function crossCurveData(result: CrossComparison, shown: readonly string[], c: CrossDataChoices, tokens: PlotTokens): CrossCurves {
  const order = result.comparison.variants.map((v) => v.variantId);
  const label = new Map(result.comparison.variants.map((v) => [v.variantId, v.label]));
  const colors = crossColors(result, tokens);
  const runs = shown.flatMap((id) => (result.runs[id] ?? []).map((r, i) => curveRun(id, i, r)));
  const query: CurveQuery = {
    metric: c.metric,
    x: c.xAxis,
    roles: ['train', 'val'],
    seeds: c.showSeeds,
    smoothing: c.smoothing,
    logY: c.logY,
    maxPoints: CURVE_POINTS,
  };
  const aggregated = aggregateCurves(runs, query);
  const series = new Map<string, CurveSeries>();
  for (const id of shown) {
    const vc = aggregated.get(id);
    const ends = vc?.epochEnds ?? [];
    series.set(id, {
      variantId: id,
      label: label.get(id) ?? id,
      color: colors[id],
      dash: variantDash(order.indexOf(id)),
      lines: vc?.lines ?? [],
      seedLines: vc?.seedLines,
      markers: medianMarkers(result.runs[id] ?? [], (e) => ends[e]),
    });
  }
  const limits: string[] = [];
  if (c.metric === 'loss' && c.xAxis !== 'epoch')
    limits.push("Training loss per epoch: each step's loss is not read across experiments (the experiment's own Compare tab has it).");
  if (c.xAxis === 'time')
    limits.push(
      'Training time as each experiment measured it, on its own machine and under its own load: times of different experiments compare only as far as those do.',
    );
  return {
    series,
    xTitle: X_AXIS_TITLES[c.xAxis],
    yTitle: c.metric === 'loss' ? 'Loss' : 'Accuracy (%)',
    percent: c.metric === 'accuracy',
    limits,
  };
}

function options(d: CrossCurves, c: CrossCurveChoices, tokens: PlotTokens): CurveOptions {
  return {
    tokens,
    logY: c.logY,
    smoothing: c.smoothing,
    highlight: c.highlight,
    xTitle: d.xTitle,
    yTitle: d.yTitle,
    percent: d.percent,
    integerX: c.xAxis !== 'time',
    seeds: c.showSeeds,
    xRange: c.xRange,
    roles: [c.overlayRole],
  };
}

/** The key under which Plotly keeps a zoom: a new meaning (metric, axis, scale, seeds, variants shown) starts from fitted axes. */
function meaning(kind: string, shown: readonly string[], c: CrossCurveChoices): string {
  return [kind, c.metric, c.xAxis, c.logY, c.showSeeds, c.overlayRole, shown.join(',')].join('|');
}

/** One plot per shown variant, all on the same ranges (the Compare tab's small multiples). */
export function crossCurvePanels(d: CrossCurves, shown: readonly string[], c: CrossCurveChoices, tokens: PlotTokens): CurvePanels {
  const grid = smallMultiplesGrid(
    shown.map((id) => ({ id, label: d.series.get(id)?.label ?? id, factors: {} })),
    [],
  );
  const height = grid.rows <= 1 ? 250 : grid.rows === 2 ? 220 : 190;
  const out = curvePanels(grid, d.series, options(d, c, tokens), height);
  for (const p of out.panels) p.figure.layout.uirevision = meaning('panels', shown, c);
  return out;
}

/** Every shown variant in one plot; null when none has the curve. */
export function crossOverlay(d: CrossCurves, shown: readonly string[], c: CrossCurveChoices, tokens: PlotTokens): Figure | null {
  const series = shown.flatMap((id) => {
    const s = d.series.get(id);
    return s && s.lines.some((l) => l.role === c.overlayRole) ? [s] : [];
  });
  if (series.length === 0) return null;
  const fig = overlayFigure(series, options(d, c, tokens));
  fig.layout.uirevision = meaning('overlay', shown, c);
  return fig;
}

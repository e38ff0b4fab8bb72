/**
 * The learning curves of a comparison across experiments: each picked variant's mean over its
 * seeds with the 95% band (the back end's, per epoch: services/experiments/compare.ts), in one
 * overlay (curves.ts) with direct labels. x is the number of epochs completed (1-based). Pure.
 */
import type { CrossComparison } from '../../../../shared/api.js';
import { variantColor, variantDash } from '../palette.js';
import { overlayFigure, prepareLine, type CurveSeries } from './curves.js';
import type { Figure, PlotTokens } from './theme.js';

export type CrossCurveMetric = 'valLoss' | 'valAccuracy' | 'trainLoss' | 'trainAccuracy';

export const CROSS_CURVE_METRICS: ReadonlyArray<{ value: CrossCurveMetric; label: string }> = [
  { value: 'valLoss', label: 'Val. loss' },
  { value: 'valAccuracy', label: 'Val. accuracy' },
  { value: 'trainLoss', label: 'Train loss' },
  { value: 'trainAccuracy', label: 'Train accuracy' },
];

const MAX_POINTS = 400;

/** Each variant's color by its place in the comparison (the table's swatches use the same). */
export function crossColors(result: CrossComparison, tokens: PlotTokens): Record<string, string> {
  return Object.fromEntries(result.comparison.variants.map((v, i) => [v.variantId, variantColor(i, tokens.theme)]));
}

/** The overlay of `metric`; null when no picked variant has that curve. */
export function crossCurvesFigure(
  result: CrossComparison,
  metric: CrossCurveMetric,
  tokens: PlotTokens,
  highlight: string | null = null,
): Figure | null {
  const role = metric.startsWith('val') ? 'val' : 'train';
  const colors = crossColors(result, tokens);
  const series: CurveSeries[] = result.comparison.variants.flatMap((v, i) => {
    const band = result.comparison.curves[v.variantId]?.[metric];
    if (!band || band.x.length === 0) return [];
    return [
      {
        variantId: v.variantId,
        label: v.label,
        color: colors[v.variantId],
        dash: variantDash(i),
        lines: [{ role, line: prepareLine(band, { logY: false, smoothing: 0, xOffset: 1, maxPoints: MAX_POINTS }) }],
      },
    ];
  });
  if (series.length === 0) return null;
  const label = CROSS_CURVE_METRICS.find((m) => m.value === metric)!.label;
  return overlayFigure(series, {
    tokens,
    logY: false,
    smoothing: 0,
    highlight,
    xTitle: 'Epoch',
    yTitle: label,
    percent: metric.endsWith('Accuracy'),
    xRange: null,
    integerX: true,
    roles: [role],
  });
}

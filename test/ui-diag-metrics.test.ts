/**
 * Compare's per-layer curve metrics include the residual projection P (issue 21: drawn in the
 * gradient-flow views, missing from the Compare metric picker): a "<layer> · P" choice after its
 * layer for the norms P has, the series it draws from a run's diagnostics, and which layers of a
 * model have a P, each against values worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { diagMetricOptions, diagSeries, parseDiagMetric, projectionLayersOf } from '../src/renderer/src/lib/diag-metrics.js';
import { projectionLayers } from '../src/renderer/src/lib/spec.js';
import { bandOf } from '../src/renderer/src/lib/stats.js';
import { byLayerStep, diagnostics } from './helpers/figure-inputs.js';

const layers = ['hidden.0', 'hidden.1', 'output'];
const steps = [1, 50, 100];

/**
 * A run's diagnostics, hidden.1 with a P (widths 2 -> 4 -> 3 -> output). P's gradient norms are
 * Frobenius norms of hand-picked dL/dP (3 x 4): [[3, 4, 0, 0], 0...] -> 5; one entry 2 -> 2; [[1, 1, 1, 1], 0...] -> 2.
 */
const run = (scale: number) =>
  diagnostics({
    layers,
    steps,
    gradNorm: byLayerStep(layers, steps, (l) => 10 + l),
    weightNorm: byLayerStep(layers, steps, () => 1),
    updateRatio: byLayerStep(layers, steps, () => 1e-3),
    zeroFraction: byLayerStep(layers, steps, () => 0),
    projections: [{ layer: 1, gradNorm: [5, 2, 2].map((v) => v * scale), weightNorm: [3, 3, 3], updateRatio: [0.01, 0.02, 0.03] }],
  });

describe('per-layer curve metrics', () => {
  it('offer P right after its layer, for the norms P has, named as gradient flow names it', () => {
    const options = diagMetricOptions(layers, new Set([1]));
    const labels = (group: string) => options.filter((o) => o.group === group).map((o) => o.label);
    expect(labels('Gradient norm')).toEqual([
      'Gradient norm · hidden.0',
      'Gradient norm · hidden.1',
      'Gradient norm · hidden.1 · P',
      'Gradient norm · output',
    ]);
    expect(labels('Update ratio')).toContain('Update ratio · hidden.1 · P');
    expect(labels('Weight norm')).toContain('Weight norm · hidden.1 · P');
    // Dead and zero fractions are of units: P has none, and the output layer has no activation.
    expect(labels('Dead fraction')).toEqual(['Dead fraction · hidden.0', 'Dead fraction · hidden.1']);
    expect(labels('Zero fraction')).toEqual(['Zero fraction · hidden.0', 'Zero fraction · hidden.1']);
    expect(options.find((o) => o.label === 'Gradient norm · hidden.1 · P')!.id).toBe('diag:gradNorm:1:P');
    // Without a P, the choices are the layers' only.
    expect(diagMetricOptions(layers, new Set()).some((o) => o.id.endsWith(':P'))).toBe(false);
  });

  it("draw P's own series, not its layer's, and the mean over runs by step", () => {
    const p = parseDiagMetric('diag:gradNorm:1:P');
    expect(p).toEqual({ measure: 'gradNorm', layer: 1, projection: true });
    expect(diagSeries(run(1), p)).toEqual({ x: steps, y: [5, 2, 2] });
    expect(diagSeries(run(1), parseDiagMetric('diag:gradNorm:1'))).toEqual({ x: steps, y: [11, 11, 11] });
    expect(diagSeries(run(1), parseDiagMetric('diag:updateRatio:1:P')).y).toEqual([0.01, 0.02, 0.03]);
    // Two runs (P norms 5, 2, 2 and 15, 6, 6): means 10, 4, 4 by step.
    expect(bandOf([diagSeries(run(1), p), diagSeries(run(3), p)]).mean).toEqual([10, 4, 4]);
    // A run without that P (another width) draws nothing for it.
    expect(diagSeries(run(1), parseDiagMetric('diag:gradNorm:0:P'))).toEqual({ x: [], y: [] });
    expect(diagSeries(diagnostics({ layers, steps }), p)).toEqual({ x: [], y: [] });
  });

  it('find the layers with a P in a model and in loaded diagnostics', () => {
    const hidden = (widths: number[], residual: boolean) => widths.map((width) => ({ width, activation: 'relu' as const, residual }));
    const model = (widths: number[], residual = true) => ({
      inputSize: 2,
      outputSize: 3,
      head: 'softmax' as const,
      hidden: hidden(widths, residual),
      init: { weights: 'he_uniform' as const, bias: 'zeros' as const },
    });
    // 2 -> 16 (P), 16 -> 16 (the input added as it is), 16 -> 8 (P).
    expect(projectionLayers(model([16, 16, 8]))).toEqual([0, 2]);
    expect(projectionLayers(model([16, 16, 8], false))).toEqual([]);
    expect([...projectionLayersOf([run(1), diagnostics()])]).toEqual([1]);
  });
});

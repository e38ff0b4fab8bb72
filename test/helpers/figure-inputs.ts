/**
 * Inputs the renderer's figure builders take, for their unit tests (test/ui-*.test.ts): the
 * learning-curve options Compare draws with, and per-run diagnostics records built field by field.
 * Test-only.
 */
import type { RunDiagnostics } from '../../src/shared/api.js';
import type { CurveOptions } from '../../src/renderer/src/lib/plots/curves.js';
import { DEFAULT_TOKENS } from '../../src/renderer/src/lib/plots/theme.js';

/** Loss against epoch, light theme, linear, unsmoothed, nothing highlighted or zoomed; `over` changes fields. */
export function curveOptions(over: Partial<CurveOptions> = {}): CurveOptions {
  return {
    tokens: DEFAULT_TOKENS.light,
    logY: false,
    smoothing: 0,
    highlight: null,
    xTitle: 'Epoch',
    yTitle: 'Loss',
    percent: false,
    xRange: null,
    ...over,
  };
}

/** A diagnostics record with every series empty (no layers, no steps); `over` fills what a test needs. */
export function diagnostics(over: Partial<RunDiagnostics> = {}): RunDiagnostics {
  return {
    runId: 'r',
    layers: [],
    steps: [],
    gradNorm: [],
    weightNorm: [],
    updateRatio: [],
    zeroFraction: [],
    saturation: [],
    histograms: [],
    histogramRange: [-1, 1],
    weightHistograms: [],
    gradHistograms: [],
    projections: [],
    deadEpochs: [],
    deadFraction: [],
    epochs: [],
    bestEpoch: null,
    stoppedEpoch: null,
    ...over,
  };
}

/** A [layer][time] series: f(layer index, time index) for each of `layers` × `steps`. */
export function byLayerStep<T>(layers: readonly unknown[], steps: readonly unknown[], f: (layer: number, t: number) => T): T[][] {
  return layers.map((_, l) => steps.map((_, t) => f(l, t)));
}

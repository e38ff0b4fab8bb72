/**
 * The report's gradient-flow figure shows the residual projection P (issue 21: a hidden layer
 * whose width differs from its input's trains a P like a linear layer): the per-step mean over
 * runs, the dotted "<variant> · P" series at P's layer, and its dotted marks in the SVG, against
 * values and coordinates worked out by hand (560 x 320 canvas, plot area x 64..434, y 276..30).
 */
import { describe, expect, it } from 'vitest';
import { layerSnapshot, type GradientFlow } from '../src/services/report/report-data.js';
import { gradientFlowSeries } from '../src/services/report/report-figures.js';
import { lineChart } from '../src/services/report/svg-chart.js';

/** One run's diag record: the layers' gradient norms, and P's where given (hidden layers only). */
const diag = (step: number, grad: number[], p: Array<number | null>) =>
  ({
    kind: 'diag',
    step,
    epoch: 0,
    gradNorm: 1,
    clipCoef: 1,
    layers: grad.map((g, i) => ({
      name: i === grad.length - 1 ? 'output' : `hidden.${i}`,
      gradNorm: g,
      projection: p[i] === null || p[i] === undefined ? null : { gradNorm: p[i], weightNorm: 1, updateRatio: 0.01 },
    })),
  }) as never;

describe("the report's residual projections P", () => {
  it('averages each P gradient norm over the runs, at its layer', () => {
    // 2 -> 4 -> 8 (P at hidden layer 2, index 1) -> output. Run A: P 0.5, run B: P 1.5; mean 1.
    const snap = layerSnapshot(['hidden.0', 'hidden.1', 'output'], [diag(1, [2, 3, 4], [null, 0.5]), diag(1, [4, 5, 6], [null, 1.5])]);
    expect(snap.gradNorm).toEqual([3, 4, 5]);
    expect(snap.projections).toEqual([{ layer: 1, gradNorm: 1 }]);
    // Without a P (equal widths, or runs stored before P was recorded): none.
    expect(layerSnapshot(['hidden.0', 'output'], [diag(1, [2, 3], [])]).projections).toEqual([]);
  });

  const flow = (label: string, projections: GradientFlow['first']['projections']): GradientFlow => {
    const snap = { step: 1, gradNorm: [0.1, 1, 10], activationVar: [1, 1, NaN], projections };
    return { variantId: label, label, layers: ['hidden.0', 'hidden.1', 'output'], first: snap, last: snap, runs: 2 };
  };

  it('draws P as a dotted "· P" series of its variant, at its layer and nowhere else', () => {
    const series = gradientFlowSeries([flow('relu', [{ layer: 1, gradNorm: 0.01 }]), flow('tanh', [])], 'first', (id) =>
      id === 'relu' ? '#0072B2' : '#E69F00',
    );
    expect(series.map((s) => [s.label, s.color, Boolean(s.dotted)])).toEqual([
      ['relu', '#0072B2', false],
      ['relu · P', '#0072B2', true],
      ['tanh', '#E69F00', false],
    ]);
    expect(series[1].x).toEqual([1, 2, 3]);
    expect(series[1].y).toEqual([NaN, 0.01, NaN]);

    // log10 y: -2 (P) .. 1 over ticks -2..1 onto 276..30 (82 per decade); x 1..3 onto 64..434.
    // P at x 2, y 0.01: a ring at (249, 276); its legend key is dotted and says "relu · P".
    const svg = lineChart(series, { title: 'g', xLabel: 'layer', yLabel: 'g', yLog: true });
    expect(svg).toContain('<circle class="mean" cx="249" cy="276" r="3.5" fill="none" stroke="#0072B2" stroke-width="1.5"/>');
    expect(svg).toContain('<polyline class="mean" points="64,194 249,112 434,30" fill="none" stroke="#0072B2" stroke-width="2"/>');
    expect(svg).toMatch(/<line [^>]*stroke="#0072B2" stroke-width="3" stroke-dasharray="2 3"\/><text [^>]*><title>relu · P<\/title>/);
  });

  it('draws two adjacent P as one dotted line', () => {
    const series = gradientFlowSeries(
      [
        flow('relu', [
          { layer: 0, gradNorm: 0.1 },
          { layer: 1, gradNorm: 10 },
        ]),
      ],
      'last',
      () => '#000',
    );
    // x 1, 2 at y 0.1 and 10: log10 -1..1 onto 276..30, so 0.1 at the bottom and 10 at the top.
    expect(lineChart(series, { title: 'g', xLabel: 'layer', yLabel: 'g', yLog: true })).toContain(
      '<polyline class="mean" points="64,276 249,30" fill="none" stroke="#000" stroke-width="2" stroke-dasharray="2 3"/>',
    );
  });
});

/**
 * The report's figures as standalone SVG with their captions: the learning curves (mean and 95%
 * band per variant over the seeds whose runs ended healthy), the gradient norm per layer (and of
 * each residual projection P, dotted) at the first and last logged step, and what the units
 * learned (report-units.ts). The HTML report embeds them; `ablate report --figures DIR` writes
 * each to its own file. Pure.
 */
import type { GradientFlow, ReportData } from './report-data.js';
import { lineChart, type ChartSeries } from './svg-chart.js';
import { unitsFigures } from './report-units.js';

/** Okabe & Ito (2008): colorblind-safe, in the app's order. */
const COLORS = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#56B4E9', '#CC79A7', '#F0E442', '#3a3a3a'];

const CURVES: Array<{ metric: string; title: string }> = [
  { metric: 'valLoss', title: 'Validation loss' },
  { metric: 'valAccuracy', title: 'Validation accuracy' },
  { metric: 'trainLoss', title: 'Training loss' },
  { metric: 'trainAccuracy', title: 'Training accuracy' },
];

export interface ReportFigure {
  /** File name stem: "curve-valLoss", "gradient-flow-first". */
  name: string;
  section: 'curves' | 'diagnostics' | 'units';
  svg: string;
  /** Plain text. */
  caption: string;
}

export function reportFigures(d: ReportData): ReportFigure[] {
  return [
    ...curveFigures(d),
    ...gradientFigures(d),
    ...activationFigures(d),
    ...distributionFigures(d),
    ...unitsFigures(d.units).map((f) => ({ ...f, section: 'units' as const })),
  ];
}

/** Density (fraction per unit of activation) as a step line over the bin edges. */
export function densitySteps(lo: number, hi: number, fraction: readonly number[]): { x: number[]; y: number[] } {
  const width = (hi - lo) / fraction.length;
  const x: number[] = [];
  const y: number[] = [];
  fraction.forEach((f, i) => {
    x.push(lo + i * width, lo + (i + 1) * width);
    y.push(f / width, f / width);
  });
  return { x, y };
}

/** Variants' activation histograms of one hidden layer on one axis (issue 21's overlay), at the last logged step. */
function distributionFigures(d: ReportData): ReportFigure[] {
  return d.distributions.map((dist) => {
    const series = dist.variants.map((v) => ({ label: v.label, color: colorOf(d, v.variantId), ...densitySteps(v.lo, v.hi, v.fraction) }));
    const steps = [...new Set(dist.variants.map((v) => v.step))];
    const { lo, hi } = dist.variants[0];
    return {
      name: `activations-layer-${dist.layer + 1}`,
      section: 'diagnostics',
      svg: lineChart(series, {
        title: `Activations of hidden layer ${dist.layer + 1}, last logged step`,
        xLabel: 'activation',
        yLabel: 'density',
      }),
      caption: `Distribution of hidden layer ${dist.layer + 1}'s activations over the batch of each variant's last logged step${steps.length === 1 && steps[0] !== null ? ` (step ${steps[0]})` : ''}, every variant on one axis: fraction of the batch per unit of activation, averaged over each variant's healthy runs. The histogram spans [${lo}, ${hi}] (the experiment's diagnostics range): values outside it are counted in the end bins.`,
    };
  });
}

const colorOf = (d: ReportData, variantId: string) =>
  COLORS[d.comparison.variants.findIndex((v) => v.variantId === variantId) % COLORS.length];

/** The hidden layers' activation variance at the first logged step (step 1: at initialization). */
function activationFigures(d: ReportData): ReportFigure[] {
  const series = d.gradientFlow.map((g) => ({
    label: g.label,
    color: colorOf(d, g.variantId),
    x: g.layers.slice(0, -1).map((_, i) => i + 1),
    y: g.first.activationVar.slice(0, -1),
  }));
  if (series.every((s) => s.x.length === 0)) return [];
  const step = d.gradientFlow[0].first.step;
  return [
    {
      name: 'activation-variance-first',
      section: 'diagnostics',
      svg: lineChart(series, {
        title: 'Activation variance per hidden layer, first logged step',
        xLabel: 'hidden layer',
        yLabel: 'Var(a)',
        yLog: true,
      }),
      caption: `Variance of each hidden layer's activations over the batch of the first logged step${step === 1 ? ' (step 1: the forward pass of the initial weights, so the signal at initialization)' : step !== null ? ` (step ${step})` : ''}, mean over each variant's healthy runs, on a log scale: a line falling with depth is a signal that fades, a rising one a signal that explodes.`,
    },
  ];
}

function curveFigures(d: ReportData): ReportFigure[] {
  const cmp = d.comparison;
  const out: ReportFigure[] = [];
  for (const c of CURVES) {
    let nMax = 0;
    const series: ChartSeries[] = cmp.variants.flatMap((v, i) => {
      const band = cmp.curves[v.variantId]?.[c.metric];
      if (!band) return [];
      nMax = Math.max(nMax, ...band.n);
      return [
        {
          label: v.label,
          color: COLORS[i % COLORS.length],
          x: band.x.map((x) => x + 1),
          y: band.mean,
          lower: band.lower,
          upper: band.upper,
        },
      ];
    });
    if (series.length === 0) continue;
    out.push({
      name: `curve-${c.metric}`,
      section: 'curves',
      svg: lineChart(series, { title: c.title, xLabel: 'epoch', yLabel: c.title.toLowerCase() }),
      caption: `${c.title} per epoch: mean over the seeds whose runs ended healthy (up to ${nMax} per variant), with its 95% band (bounded to the metric's range). Runs stopped early end early, so later epochs average fewer seeds.`,
    });
  }
  return out;
}

/**
 * Per variant its layers' gradient norms at the `which` logged step, then, when it has residual
 * projections, a dotted series "<variant> · P" with each P's norm at its layer's x (a gap elsewhere).
 */
export function gradientFlowSeries(
  flows: readonly GradientFlow[],
  which: 'first' | 'last',
  color: (variantId: string) => string,
): ChartSeries[] {
  return flows.flatMap((g) => {
    const x = g.layers.map((_, i) => i + 1);
    const layer: ChartSeries = { label: g.label, color: color(g.variantId), x, y: g[which].gradNorm };
    const projections = g[which].projections;
    if (projections.length === 0) return [layer];
    const y = x.map((_, i) => projections.find((p) => p.layer === i)?.gradNorm ?? NaN);
    return [layer, { label: `${g.label} · P`, color: color(g.variantId), x, y, dotted: true }];
  });
}

function gradientFigures(d: ReportData): ReportFigure[] {
  if (d.gradientFlow.length === 0) return [];
  return (['first', 'last'] as const).map((which) => {
    const series = gradientFlowSeries(d.gradientFlow, which, (id) => colorOf(d, id));
    const withP = series.some((s) => s.dotted);
    const step = d.gradientFlow[0][which].step;
    const svg = lineChart(series, {
      title: `Gradient norm per layer, ${which} logged step`,
      xLabel: 'layer (1 = first hidden, last = output)',
      yLabel: '‖dLoss/dW‖',
      yLog: true,
    });
    const when = `at the ${which} logged step${step !== null ? ` (step ${step})` : ''}${which === 'first' ? ', before most learning' : ''}`;
    return {
      name: `gradient-flow-${which}`,
      section: 'diagnostics' as const,
      svg,
      caption: `Frobenius norm of each layer's weight gradient ${when}, mean over each variant's healthy runs, on a log scale: a line falling towards layer 1 is a vanishing gradient.${withP ? ' Dotted, "· P": the residual projection P of a hidden layer whose width differs from its input\'s, at its layer (the norm of dLoss/dP).' : ''}`,
    };
  });
}

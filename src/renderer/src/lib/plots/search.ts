/**
 * Figures of the Compare tab's hyperparameter views, from a SearchView (src/shared/types/search.ts):
 *   - parallel coordinates (SVG geometry, drawn by ParallelCoords.svelte): one vertical axis per
 *     searched factor, then one per chosen metric; one line per trial through its drawn values and
 *     its metrics' means over seeds (or, on demand, one line per seed); colored by the trial's rank
 *     on the objective (viridis, best darkest), the best trial drawn thickest;
 *   - a scatter of one factor against one metric: per trial the mean over seeds with its 95%
 *     interval as an error bar (the interval is the back end's, already bounded to the metric's
 *     range), each seed's value as a faint point on demand, the best trial ringed;
 *   - factor importance: per factor its mean over seeds with the 95% interval, and its chance level.
 * Pure; the figures go to Plotly (scatter traces only: plotly-bundle.ts) or to the SVG unchanged.
 */
import type { SearchAxis, SearchCellView, SearchTrialView, SearchView } from '../../../../shared/api.js';
import { metricLabel } from '../metrics.js';
import { viridis, withAlpha } from '../palette.js';
import { axis, axisTitle, baseLayout, type Figure, type PlotTokens } from './theme.js';

/** A choice's text, as the back end wrote it (search-view.ts choiceText). */
export const valueText = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** The color of a trial of `ranked` ranked trials (rank 1 = best); unranked trials grey. */
export function rankColor(rank: number | null, ranked: number, t: PlotTokens): string {
  if (rank === null) return t.muted;
  // Viridis from dark (best) to light, stopping before the yellow that vanishes on light paper.
  const top = t.theme === 'light' ? 0.85 : 1;
  const lo = t.theme === 'light' ? 0 : 0.2;
  return viridis(ranked <= 1 ? lo : lo + ((top - lo) * (rank - 1)) / (ranked - 1));
}

/** Where a value sits on a factor's axis, in [0, 1]; null when it cannot be placed. */
export function factorPosition(a: SearchAxis, v: unknown): number | null {
  if (a.kind === 'choice') {
    const i = a.choices!.indexOf(valueText(v));
    if (i < 0) return null;
    return a.choices!.length === 1 ? 0.5 : i / (a.choices!.length - 1);
  }
  if (typeof v !== 'number' || a.lo === null || a.hi === null) return null;
  const log = a.kind === 'log' || a.kind === 'logInt';
  const [lo, hi, x] = log ? [Math.log(a.lo), Math.log(a.hi), Math.log(v)] : [a.lo, a.hi, v];
  return hi > lo ? Math.min(1, Math.max(0, (x - lo) / (hi - lo))) : 0.5;
}

export interface ParallelAxis {
  key: string;
  title: string;
  /** Tick positions in [0, 1] from the bottom, with their text. */
  ticks: Array<{ at: number; text: string }>;
}

export interface ParallelLine {
  variantId: string;
  /** The seed of a per-seed line; null for the mean over seeds. */
  seed: number | null;
  /** One position in [0, 1] per axis; null where the trial has no value (the line breaks there). */
  points: Array<number | null>;
  color: string;
  width: number;
  title: string;
}

export interface ParallelFigure {
  axes: ParallelAxis[];
  /** Worst first, so the best trials are drawn on top. */
  lines: ParallelLine[];
}

/** Parallel coordinates of a cell's trials over the factors and `metrics`; see the file comment. */
export function parallelFigure(
  view: SearchView,
  cell: SearchCellView,
  metrics: readonly string[],
  seeds: boolean,
  t: PlotTokens,
  fmt: (metric: string, v: number) => string,
): ParallelFigure {
  const factorAxes: ParallelAxis[] = view.axes.map((a) => ({ key: a.key, title: a.key, ticks: factorTicks(a) }));
  // A metric's axis spans what is drawn: the means, and the seeds' values when they are shown.
  const spans = metrics.map((m) => {
    const values = cell.trials.flatMap((tr) => {
      const x = tr.metrics[m];
      if (!x) return [];
      return seeds ? x.seeds.map((s) => s.value) : [x.mean];
    });
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    return { lo, hi, ok: values.length > 0 };
  });
  const metricAxes: ParallelAxis[] = metrics.map((m, i) => {
    const { lo, hi, ok } = spans[i];
    const ticks = !ok
      ? []
      : hi > lo
        ? [0, 0.5, 1].map((at) => ({ at, text: fmt(m, lo + at * (hi - lo)) }))
        : [{ at: 0.5, text: fmt(m, lo) }];
    return { key: m, title: metricLabel(m), ticks };
  });
  const place = (i: number, v: number | undefined): number | null => {
    const { lo, hi } = spans[i];
    if (v === undefined || !Number.isFinite(v)) return null;
    return hi > lo ? (v - lo) / (hi - lo) : 0.5;
  };
  const ranked = cell.trials.filter((tr) => tr.rank !== null).length;
  const order = [...cell.trials].sort((a, b) => (b.rank ?? Infinity) - (a.rank ?? Infinity));
  const lines: ParallelLine[] = [];
  for (const tr of order) {
    const f = view.axes.map((a) => factorPosition(a, tr.values[a.key]));
    const color = rankColor(tr.rank, ranked, t);
    const width = tr.variantId === cell.best ? 3.5 : 1.5;
    const unranked = tr.statuses.pruned ? ', pruned by successive halving' : ', no healthy run';
    const head = `trial ${tr.trial}${tr.rank !== null ? `, rank ${tr.rank} of ${ranked}` : unranked}`;
    if (!seeds) {
      const m = metrics.map((metric, i) => place(i, tr.metrics[metric]?.mean));
      lines.push({ variantId: tr.variantId, seed: null, points: [...f, ...m], color, width, title: `${head} (mean over seeds)` });
      continue;
    }
    const allSeeds = [...new Set(metrics.flatMap((m) => tr.metrics[m]?.seeds.map((s) => s.seed) ?? []))].sort((a, b) => a - b);
    for (const seed of allSeeds) {
      const m = metrics.map((metric, i) => place(i, tr.metrics[metric]?.seeds.find((s) => s.seed === seed)?.value));
      lines.push({ variantId: tr.variantId, seed, points: [...f, ...m], color, width: width * 0.7, title: `${head}, seed ${seed}` });
    }
  }
  return { axes: [...factorAxes, ...metricAxes], lines };
}

function factorTicks(a: SearchAxis): ParallelAxis['ticks'] {
  if (a.kind === 'choice') return a.choices!.map((c) => ({ at: factorPosition(a, c) ?? 0.5, text: c }));
  const ends = [a.lo!, a.hi!];
  const log = a.kind === 'log' || a.kind === 'logInt';
  const mid = log ? Math.sqrt(a.lo! * a.hi!) : (a.lo! + a.hi!) / 2;
  return [ends[0], mid, ends[1]].map((v) => ({ at: factorPosition(a, v) ?? 0, text: Number(v.toPrecision(3)).toString() }));
}

/** Scatter of factor `key` against `metric` over a cell's trials; see the file comment. */
export function scatterFigure(view: SearchView, cell: SearchCellView, key: string, metric: string, seeds: boolean, t: PlotTokens): Figure {
  const a = view.axes.find((x) => x.key === key);
  const ranked = cell.trials.filter((tr) => tr.rank !== null).length;
  const have = cell.trials.filter((tr) => tr.metrics[metric]);
  const x = (tr: SearchTrialView) => (a?.kind === 'choice' ? valueText(tr.values[key]) : tr.values[key]);
  const means = have.map((tr) => tr.metrics[metric]);
  const data: Figure['data'] = [];
  if (seeds) {
    const pts = have.flatMap((tr) => tr.metrics[metric].seeds.map((s) => ({ tr, s })));
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: 'seeds',
      x: pts.map((p) => x(p.tr)),
      y: pts.map((p) => p.s.value),
      text: pts.map((p) => `trial ${p.tr.trial}, seed ${p.s.seed}`),
      hovertemplate: '%{text}<br>%{x}: %{y}<extra></extra>',
      marker: { size: 5, color: withAlpha(t.theme === 'light' ? '#5b6470' : '#9aa3ae', 0.45) },
    });
  }
  data.push({
    type: 'scatter',
    mode: 'markers',
    name: 'mean over seeds',
    x: have.map(x),
    y: means.map((m) => m.mean),
    text: have.map((tr) => `trial ${tr.trial} (n = ${tr.metrics[metric].n})`),
    hovertemplate: '%{text}<br>%{x}: %{y}<extra></extra>',
    error_y: {
      type: 'data',
      symmetric: false,
      array: means.map((m) => (m.upper === null ? 0 : m.upper - m.mean)),
      arrayminus: means.map((m) => (m.lower === null ? 0 : m.mean - m.lower)),
      color: t.muted,
      thickness: 1,
      width: 3,
    },
    marker: { size: 8, color: have.map((tr) => rankColor(tr.rank, ranked, t)) },
  });
  const best = have.find((tr) => tr.variantId === cell.best);
  if (best)
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: 'best trial',
      x: [x(best)],
      y: [best.metrics[metric].mean],
      hoverinfo: 'skip',
      marker: { size: 16, color: 'rgba(0,0,0,0)', line: { width: 2, color: t.fg } },
    });
  const layout = baseLayout(t, 320, { l: 72, b: 56 });
  const log = a?.kind === 'log' || a?.kind === 'logInt';
  layout.xaxis = axis(t, a?.kind === 'choice' ? { type: 'category' } : log ? { type: 'log' } : {});
  layout.yaxis = axis(t);
  layout.annotations = [axisTitle(t, key, 'x', 36), axisTitle(t, metricLabel(metric), 'y', 56)];
  return { data, layout };
}

/** Factor importance of a cell: mean over seeds with its interval, and the chance level. */
export function importanceFigure(cell: SearchCellView, t: PlotTokens): Figure {
  const rows = [...cell.importance].reverse(); // most important on top
  const layout = baseLayout(t, Math.max(160, 60 + 36 * rows.length), { l: 140, b: 48 });
  layout.xaxis = axis(t, { range: [0, 1], tickformat: '.0%' });
  layout.yaxis = axis(t, { type: 'category', showgrid: false });
  layout.annotations = [axisTitle(t, 'Share of the objective’s variance explained (eta²)', 'x', 32)];
  return {
    data: [
      {
        type: 'scatter',
        mode: 'markers',
        name: 'chance',
        x: rows.map((r) => r.chance),
        y: rows.map((r) => r.key),
        hovertemplate: 'chance level %{x:.1%}<extra></extra>',
        marker: { symbol: 'line-ns-open', size: 16, color: t.muted, line: { width: 2, color: t.muted } },
      },
      {
        type: 'scatter',
        mode: 'markers',
        name: 'importance',
        x: rows.map((r) => r.mean),
        y: rows.map((r) => r.key),
        text: rows.map((r) => `${r.perSeed.length} seed${r.perSeed.length === 1 ? '' : 's'}`),
        hovertemplate: '%{y}: %{x:.1%} (mean over %{text})<extra></extra>',
        error_x: {
          type: 'data',
          symmetric: false,
          array: rows.map((r) => (r.upper === null ? 0 : r.upper - r.mean)),
          arrayminus: rows.map((r) => (r.lower === null ? 0 : r.mean - r.lower)),
          color: t.fg,
          thickness: 1.5,
          width: 4,
        },
        marker: { size: 10, color: viridis(0.3) },
      },
    ],
    layout,
  };
}

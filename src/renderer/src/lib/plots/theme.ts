/**
 * Plot templates from theme tokens: fonts, paper, light grids, no zero lines, outside ticks,
 * no legend (plots label lines directly; the HTML legend is shared by all plots of a view).
 * Figures are plain objects: the Plot component hands them to Plotly.react unchanged.
 */
import type { ThemeName } from '../palette.js';

export type Trace = Record<string, unknown>;
export type Layout = Record<string, unknown>;
export interface Figure {
  data: Trace[];
  layout: Layout;
}

export interface PlotTokens {
  theme: ThemeName;
  paper: string;
  fg: string;
  muted: string;
  grid: string;
  axis: string;
  font: string;
}

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Ubuntu, Cantarell, "Noto Sans", "Helvetica Neue", Arial, sans-serif';

export const DEFAULT_TOKENS: Record<ThemeName, PlotTokens> = {
  light: { theme: 'light', paper: '#ffffff', fg: '#1b1f24', muted: '#5b6470', grid: '#eceef1', axis: '#c3c8cf', font: FONT },
  dark: { theme: 'dark', paper: '#191c21', fg: '#e6e8eb', muted: '#9aa3ae', grid: '#262a31', axis: '#454b55', font: FONT },
};

/** The tokens of exported figures: white paper whatever the app's theme (figures go into papers). */
export const PAPER_TOKENS: PlotTokens = { ...DEFAULT_TOKENS.light, paper: '#ffffff' };

export function baseLayout(t: PlotTokens, height: number, margin: { l?: number; r?: number; t?: number; b?: number } = {}): Layout {
  return {
    height,
    autosize: true,
    paper_bgcolor: t.paper,
    plot_bgcolor: t.paper,
    font: { family: t.font, size: 12, color: t.fg },
    margin: { l: margin.l ?? 64, r: margin.r ?? 24, t: margin.t ?? 28, b: margin.b ?? 48, pad: 0 },
    showlegend: false,
    hovermode: 'closest',
    hoverlabel: heatmapHoverLabel(t),
    dragmode: 'zoom',
    // Keeps zoom and pan across Plotly.react calls until the figure's meaning changes.
    uirevision: 'keep',
  };
}

/**
 * Hover labels in the theme's text on its paper. Plotly would otherwise pick the label's colors
 * from the trace, which for a heatmap cell gave text at 1.6:1 contrast.
 */
export function heatmapHoverLabel(t: PlotTokens): Record<string, unknown> {
  return { bgcolor: t.paper, bordercolor: t.axis, font: { family: t.font, size: 12, color: t.fg } };
}

/** A one-row legend along the figure's top edge (the top margin grows to hold it). */
export function topLegend(layout: Layout, t: PlotTokens, title: string): void {
  const margin = (layout.margin ?? {}) as Record<string, number>;
  layout.margin = { ...margin, t: (margin.t ?? 28) + 24 };
  layout.showlegend = true;
  layout.legend = {
    orientation: 'h',
    x: 0,
    xanchor: 'left',
    y: 1,
    yanchor: 'top',
    yref: 'container',
    title: { text: title, font: { size: 11, color: t.muted } },
    font: { size: 11, color: t.fg },
    itemclick: false,
    itemdoubleclick: false,
  };
}

export function axis(t: PlotTokens, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    showgrid: true,
    gridcolor: t.grid,
    gridwidth: 1,
    zeroline: false,
    showline: true,
    linecolor: t.axis,
    linewidth: 1,
    ticks: 'outside',
    ticklen: 4,
    tickcolor: t.axis,
    tickfont: { size: 11, color: t.muted },
    automargin: true,
    exponentformat: 'power',
    ...extra,
  };
}

/** An axis title placed as a paper annotation (one per figure, not one per cell). */
export function axisTitle(t: PlotTokens, text: string, where: 'x' | 'y', offsetPx = 40): Record<string, unknown> {
  return where === 'x'
    ? {
        text,
        xref: 'paper',
        yref: 'paper',
        x: 0.5,
        y: 0,
        yshift: -offsetPx,
        showarrow: false,
        font: { size: 12, color: t.muted },
        yanchor: 'top',
      }
    : {
        text,
        xref: 'paper',
        yref: 'paper',
        x: 0,
        y: 0.5,
        xshift: -offsetPx,
        showarrow: false,
        textangle: -90,
        font: { size: 12, color: t.muted },
        xanchor: 'right',
      };
}

/**
 * Plotly's config for interactive plots: a short mode bar, no editable text, and nothing that
 * talks to a network: no "Share chart" button (an upload to Plotly's cloud, shown by default), no
 * server URL to send to, no logo linking to plotly.com.
 */
export const INTERACTIVE_CONFIG = {
  displaylogo: false,
  showSendToCloud: false,
  plotlyServerURL: '',
  responsive: true,
  scrollZoom: false,
  doubleClick: 'autosize',
  modeBarButtonsToRemove: [
    'select2d',
    'lasso2d',
    'autoScale2d',
    'toggleSpikelines',
    'hoverClosestCartesian',
    'hoverCompareCartesian',
    'toImage',
    'sendChartToCloud',
  ],
} as const;

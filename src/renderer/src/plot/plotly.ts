/**
 * Plotly loads on first use, as its own chunk (plotly-bundle.ts: the core and the trace types the
 * figures use), so the window opens at once. The module system caches the import; every caller
 * gets the same instance.
 */
import type PlotlyType from 'plotly.js';

export type PlotlyApi = typeof PlotlyType;

export async function loadPlotly(): Promise<PlotlyApi> {
  const mod = await import('./plotly-bundle');
  return mod.default;
}

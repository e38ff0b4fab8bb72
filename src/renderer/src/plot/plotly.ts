/**
 * Plotly is large (several MB): it loads on first use, as its own chunk, so the window opens at
 * once. The module system caches the import; every caller gets the same instance.
 */
import type PlotlyType from 'plotly.js-dist';

export type PlotlyApi = typeof PlotlyType;

export async function loadPlotly(): Promise<PlotlyApi> {
  const mod = (await import('plotly.js-dist')) as unknown as { default?: PlotlyApi } & PlotlyApi;
  return mod.default ?? mod;
}

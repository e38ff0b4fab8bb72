/** Stands in for a stylesheet of a plotly.js part the app does not bundle (electron.vite.config.ts). */
export {};

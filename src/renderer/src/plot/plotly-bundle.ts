/**
 * The plotly.js the app ships: plotly.js's core (which carries the scatter trace) and the heatmap
 * trace, through plotly.js's partial-bundle route, instead of the whole library. Every figure of
 * lib/plots/ uses only these two trace types; a builder that needs another must register it here
 * (test/ui-plotly-bundle.test.ts checks the builders against these imports).
 */
import Plotly from 'plotly.js/lib/core';
import heatmap from 'plotly.js/lib/heatmap';

Plotly.register([heatmap]);

export default Plotly;

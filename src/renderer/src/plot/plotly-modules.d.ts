/** plotly.js's partial-bundle entry points ship without types: they are the library, or a trace module for it. */
declare module 'plotly.js/lib/core' {
  import type Plotly from 'plotly.js';
  const core: typeof Plotly;
  export default core;
}
declare module 'plotly.js/lib/heatmap' {
  import type { PlotlyModule } from 'plotly.js';
  const trace: PlotlyModule;
  export default trace;
}

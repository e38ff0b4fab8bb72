/**
 * What the UI benchmark (bench-ui.ts) measures inside the page, in Chromium: long tasks (the
 * Long Tasks API), timer lag (a 50 ms interval's delay), the first drawn learning curve (an SVG
 * path of finite numbers in a Plotly scatter layer), the latency of an input (from the event's
 * timestamp to the frame after the plot shows the change), and the main thread's busy time and JS
 * heap from the DevTools protocol. Measures only; the numbers are reported, never asserted.
 */
import type { CDPSession, Page } from 'playwright-core';

/** Installed before the page's own scripts (page.addInitScript). */
export const PAGE_PROBES = `(() => {
  const b = (window.__bench = { longtasks: [], lags: [], firstCompare: null, firstCurve: null });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) b.longtasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  let expected = performance.now() + 50;
  setInterval(() => {
    const now = performance.now();
    b.lags.push(Math.max(0, now - expected));
    if (b.lags.length > 20000) b.lags.splice(0, 10000);
    expected = now + 50;
  }, 50);
  const curveDrawn = () =>
    [...document.querySelectorAll('.js-plotly-plot .scatterlayer path.js-line')].some((p) =>
      /^M-?[\\d.]+,-?[\\d.]+L-?[\\d.]+/.test(p.getAttribute('d') || ''));
  const watch = new MutationObserver(() => {
    if (b.firstCompare === null && document.querySelector('[data-testid=compare-tab]')) b.firstCompare = performance.now();
    if (b.firstCurve === null && curveDrawn()) {
      b.firstCurve = performance.now();
      watch.disconnect();
    }
  });
  const start = () => watch.observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ['d'] });
  if (document.documentElement) start();
  else document.addEventListener('DOMContentLoaded', start);
})();`;

export interface WindowStats {
  seconds: number;
  /** Main-thread task time over wall time. */
  busy: number;
  longestTaskMs: number;
  longTasks: number;
  lagP95Ms: number;
}

/** Busy fraction, long tasks and timer lag over `seconds` from now (while `during` runs). */
export async function measureWindow(page: Page, cdp: CDPSession, seconds: number, during?: () => Promise<void>): Promise<WindowStats> {
  const t0 = await page.evaluate(() => {
    window.__bench.lags = [];
    return performance.now();
  });
  const m0 = await metrics(cdp);
  // Settled at once, so a failure inside `during` cannot end the process before the caller cleans up.
  const work = (during ? during() : Promise.resolve()).then(
    () => null,
    (e: unknown) => e,
  );
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const failure = await work;
  if (failure) throw failure;
  const m1 = await metrics(cdp);
  const page1 = await page.evaluate((since: number) => {
    const b = window.__bench;
    const tasks = b.longtasks.filter((t: { start: number }) => t.start >= since);
    const lags = [...b.lags].sort((a: number, c: number) => a - c);
    return {
      longest: Math.max(0, ...tasks.map((t: { duration: number }) => t.duration)),
      count: tasks.length,
      p95: lags.length ? lags[Math.floor(lags.length * 0.95)] : 0,
    };
  }, t0);
  const wall = m1.Timestamp - m0.Timestamp;
  return {
    seconds: wall,
    busy: (m1.TaskDuration - m0.TaskDuration) / wall,
    longestTaskMs: page1.longest,
    longTasks: page1.count,
    lagP95Ms: page1.p95,
  };
}

export async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

export interface ScaleLatency {
  /** Plotly plots shown on the page, and how many of them were in the viewport at the click. */
  plots: number;
  inView: number;
  /**
   * Milliseconds from the click to the frame after: the first plot showed the new scale; every
   * plot in the viewport; every plot (null: not within 20 s).
   */
  firstMs: number | null;
  inViewMs: number | null;
  allMs: number | null;
  /**
   * Animation frames from the click to the one whose callbacks first saw the new scale (1: the
   * first frame after the click drew it), and to the one where every plot had it.
   */
  firstFrame: number | null;
  allFrame: number | null;
  /** The first plot to show it (its data-testid), and whether it was in the viewport. */
  firstPlot: string | null;
  firstInView: boolean;
  /** Each plot in page order: its data-testid, in view, milliseconds (null: never). */
  each: Array<{ plot: string; inView: boolean; ms: number | null }>;
}

/**
 * The latency of the y-scale toggle: from the click on `label` inside the segmented control
 * `testid` (the pointerdown's timestamp) to the frame after each Plotly plot that shows data has a
 * y axis of `yType` ("log" or "linear"): the first plot, every plot in the viewport, every plot. A
 * panel with no data yet (its axes hidden) has no scale to show and is left out. The watch starts
 * at the pointerdown; a plot's change is seen in the animation frame after its draw, and timed one
 * frame later (when the frame with the draw has been produced). Gives up after 20 s (those plots
 * report null).
 */
export async function scaleLatency(page: Page, testid: string, label: string, yType: string): Promise<ScaleLatency> {
  // A string, not a function: tsx would wrap a named inner function in a helper the page lacks.
  await page.evaluate(`(() => {
    window.__bench.toggle = new Promise((resolve) => {
      document.addEventListener('pointerdown', (e) => {
        const inputAt = e.timeStamp;
        const plots = [...document.querySelectorAll('.js-plotly-plot')].filter(
          (gd) => gd.getClientRects().length > 0 && gd._fullLayout?.yaxis?.visible !== false);
        const inView = plots.map((gd) => {
          const r = gd.getBoundingClientRect();
          return r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;
        });
        const seen = plots.map(() => null);
        const at = plots.map(() => null);
        let first = -1;
        let frame = 0;
        const tick = () => {
          const now = performance.now() - inputAt;
          frame += 1;
          plots.forEach((gd, i) => {
            if (seen[i] !== null && at[i] === null) at[i] = now;
            if (seen[i] === null && gd._fullLayout?.yaxis?.type === '${yType}') {
              // Drawn in the previous frame (its draw ran after this watch's callback).
              seen[i] = frame - 1;
              if (first < 0) first = i;
            }
          });
          if (!at.every((t) => t !== null) && now < 20000) return requestAnimationFrame(tick);
          const maxOf = (ts) => (ts.some((t) => t === null) ? null : Math.max(0, ...ts));
          const testidOf = (gd) => gd.closest('[data-testid]')?.getAttribute('data-testid') ?? '?';
          const drawn = at.filter((t) => t !== null);
          resolve({
            plots: plots.length,
            inView: inView.filter(Boolean).length,
            firstMs: drawn.length ? Math.min(...drawn) : null,
            inViewMs: maxOf(at.filter((_, i) => inView[i])),
            allMs: maxOf(at),
            firstFrame: first >= 0 ? seen[first] : null,
            allFrame: maxOf(seen),
            firstPlot: first >= 0 ? testidOf(plots[first]) : null,
            firstInView: first >= 0 && inView[first],
            each: plots.map((gd, i) => ({ plot: testidOf(gd), inView: inView[i], ms: at[i] })),
          });
        };
        requestAnimationFrame(tick);
      }, { capture: true, once: true });
    });
  })()`);
  await page.getByTestId(testid).getByText(label, { exact: true }).click();
  return page.evaluate('window.__bench.toggle');
}

/** Each plot's draws (Plot.svelte's "plot <testid>" User Timing measures) since `since`: count, median and longest. */
export async function plotDraws(page: Page, since = 0): Promise<Record<string, { draws: number; medianMs: number; longestMs: number }>> {
  const entries = await page.evaluate(
    (t: number) =>
      performance
        .getEntriesByType('measure')
        .filter((e) => e.name.startsWith('plot ') && e.startTime >= t)
        .map((e) => [e.name.slice(5), e.duration] as [string, number]),
    since,
  );
  const by = new Map<string, number[]>();
  for (const [name, ms] of entries) by.set(name, [...(by.get(name) ?? []), ms]);
  return Object.fromEntries(
    [...by].map(([name, ms]) => {
      const sorted = ms.sort((a, b) => a - b);
      return [name, { draws: sorted.length, medianMs: sorted[Math.floor(sorted.length / 2)], longestMs: sorted[sorted.length - 1] }];
    }),
  );
}

/** Where a cold Compare's time went, in milliseconds from navigation (null: did not happen). */
export interface ColdPhases {
  /** The app's script (index-*.js) fetched, the DOM parsed. */
  appScript: { start: number; end: number } | null;
  domContentLoaded: number | null;
  /** The Plotly chunk and the curves worker's script: fetched from, to. */
  plotly: { start: number; end: number } | null;
  worker: { start: number; end: number } | null;
  /** The app's calls to its back end (fetch/XHR resources), and the Compare tab shown. */
  compare: number | null;
  /** Each plot's first draw (Plot.svelte's "plot <testid>" measure): from, to. */
  draws: Array<{ plot: string; start: number; end: number }>;
  firstCurve: number | null;
}

/** Evaluated in a cold page once its first curve is drawn (a string: see scaleLatency). */
export const COLD_PHASES = `(() => {
  const res = performance.getEntriesByType('resource');
  const span = (re) => {
    const e = res.find((x) => re.test(x.name));
    return e ? { start: e.startTime, end: e.responseEnd } : null;
  };
  const nav = performance.getEntriesByType('navigation')[0];
  const seen = new Set();
  const draws = performance
    .getEntriesByType('measure')
    .filter((e) => e.name.startsWith('plot ') && !seen.has(e.name) && seen.add(e.name))
    .map((e) => ({ plot: e.name.slice(5), start: e.startTime, end: e.startTime + e.duration }));
  return {
    appScript: span(/assets.index-[^/]*\\.js$/),
    domContentLoaded: nav ? nav.domContentLoadedEventEnd : null,
    plotly: span(/plotly-bundle-[^/]*\\.js$/),
    worker: span(/curves\\.worker-[^/]*\\.js$/),
    compare: window.__bench.firstCompare,
    draws,
    firstCurve: window.__bench.firstCurve,
  };
})()`;

/** One line: each phase's end (and the fetches' start) in ms from navigation. */
export function describeCold(p: ColdPhases): string {
  const ms = (v: number | null | undefined) => (v === null || v === undefined ? '-' : v.toFixed(0));
  // Chromium reports some worker scripts' responseEnd before their startTime (another time
  // origin); such an end is not a time of this page, so only the start is shown.
  const span = (s: { start: number; end: number } | null) =>
    !s ? '-' : s.end < s.start ? `${ms(s.start)}-(end not reported)` : `${ms(s.start)}-${ms(s.end)}`;
  const draws = p.draws.map((d) => `${d.plot} ${ms(d.start)}-${ms(d.end)}`).join(', ');
  return `app script ${span(p.appScript)}, DOM ready ${ms(p.domContentLoaded)}, Compare shown ${ms(p.compare)}, Plotly chunk ${span(p.plotly)}, curves worker ${span(p.worker)}, first draws ${draws || '-'}, first curve ${ms(p.firstCurve)}`;
}

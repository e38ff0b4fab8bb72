/**
 * The UI responsiveness benchmark (`npm run bench:ui`, after `npm run build`): the built workbench
 * in Debian's Chromium, served by `ablate serve` in its own process with 2 workers, driven as a
 * user drives it. It reports, never asserts:
 *  - main-thread busy fraction, longest task and timer lag p95 with the Runs tab and then the
 *    Compare tab open while a 20-run comparison trains (5 activations x 4 seeds, 5 hidden layers
 *    on MNIST, layer diagnostics every 20 steps, 60 epochs; the Compare window starts once 8 runs
 *    have finished), with the fraction of each window in which a run was training and how many
 *    trained at its end (bench-ui-runs.ts: the window counts only while runs train); the latency
 *    of the log/linear toggle then (to the first plot with the new scale, to every plot) and
 *    each plot's draws in that window (count, median, longest: Plot.svelte's User Timing); then
 *    the runs are cancelled;
 *  - cold Compare: the same comparison with 8 epochs trained to the end, then a fresh browser
 *    context opening it (the app opens its Compare tab), from navigation to the first drawn
 *    learning curve, best and median of 3;
 *  - the renderer's JS heap (after a forced GC) and DOM size with Compare open once a 100-run
 *    experiment (20 variants x 5 seeds on a spiral) has trained live on the page.
 * Options: --out DIR (the built app to serve, default out/: point it at a copy of another build
 * to compare), --label NAME, --window SECONDS (default 30), --epochs N (of the live comparison),
 * --profile (a CPU profile over 15 s more of training with Compare open: the functions with the
 * most self time, and each long task with what ran in it; bench-ui-profile.ts), --trace (a Chrome
 * trace of those 15 s: each long task split into script, style, layout, paint, GC...;
 * bench-ui-trace.ts; with --profile the trace covers the profile), --trace-window (Chrome traces
 * of the switch into Compare, from the click to 3 s after its first curve, and of the measured
 * window itself, whose figures then include the trace's cost; with --profile, a CPU profile in
 * each), --trace-cold (one more cold Compare, traced, not among the three), --live-only (stop after
 * the live comparison: no cold Compare, no 100 runs), --cold-only (only cold Compare), --heap-only
 * (only the 100 runs). Each cold Compare also reports where its time went, in ms from navigation:
 * the app script and the Plotly chunk fetched, the Compare tab shown, each plot's first draw. Results go to stdout and
 * test-results/ui-bench-<label>.json (the trace to test-results/ui-trace-<label>.json). On a
 * shared machine the figures move: the report gives the load average; say so when quoting.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { launchChromium } from './browser.js';
import {
  COLD_PHASES,
  type ColdPhases,
  describeCold,
  measureWindow,
  metrics,
  PAGE_PROBES,
  plotDraws,
  scaleLatency,
  type ScaleLatency,
  type WindowStats,
} from './bench-ui-page.js';
import { profiled, type ProfileReport } from './bench-ui-profile.js';
import { runCounts, watchRuns, type LiveStats } from './bench-ui-runs.js';
import { CATEGORIES, summarizeTrace, traced, type TraceEvent, type TraceReport } from './bench-ui-trace.js';
import { startServe } from './serve-process.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'out' },
    label: { type: 'string', default: 'current' },
    window: { type: 'string', default: '30' },
    profile: { type: 'boolean', default: false },
    trace: { type: 'boolean', default: false },
    epochs: { type: 'string' },
    'live-only': { type: 'boolean', default: false },
    'trace-window': { type: 'boolean', default: false },
    'cold-only': { type: 'boolean', default: false },
    'trace-cold': { type: 'boolean', default: false },
    'heap-only': { type: 'boolean', default: false },
  },
});
const outDir = path.resolve(root, values.out);
const traceFile = path.join(root, 'test-results', `ui-trace-${values.label}.json`);
const traceOf = (part: string) => path.join(root, 'test-results', `ui-trace-${values.label}-${part}.json`);
const windowSeconds = Number(values.window);

const LAYERS = Array.from({ length: 5 }, () => ({ width: 64, activation: 'relu' }));
/** The 20-run comparison: five activations in a five-hidden-layer MLP on MNIST, 4 seeds each. */
const COMPARISON = {
  version: 1,
  data: { source: 'mnist', split: { validation: 0.15, test: 0.15, seed: 0 } },
  model: { inputSize: 784, hidden: LAYERS, outputSize: 10, head: 'softmax', init: { weights: 'glorot_uniform', bias: 'zeros' } },
  compare: { activation: ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu'] },
  seeds: { count: 4, start: 1 },
  diagnostics: { everySteps: 20 },
};
/**
 * Trained live while the Runs and Compare tabs are measured, then cancelled. Runs train in plan
 * order, a variant's 4 seeds one after another (2 at a time on 2 workers), so the Compare window
 * starts once FINISHED_BEFORE_WINDOW runs have finished: two variants complete and the third
 * training on every host, however fast. 60 epochs: about 12 s a run on the 2-vCPU Emerald Rapids
 * host (0.19 s of CPU per epoch and run), so the 12 runs left take about 70 s on 2 workers, against
 * about 50 s for the window, its toggles and the 15 s after it. With 8 epochs (the earlier
 * figures) every run ended inside the window on a quiet host.
 */
const SPEC_LIVE = {
  ...COMPARISON,
  name: 'bench: 20 runs live',
  train: { epochs: Number(values.epochs ?? 60), batchSize: 64, optimizer: { name: 'sgd', lr: 0.1 } },
};
const FINISHED_BEFORE_WINDOW = 8;
/** Trained to the end for cold Compare: the 8 epochs the earlier figures were measured with. */
const SPEC_20 = {
  ...COMPARISON,
  name: 'bench: 20 runs',
  train: { epochs: 8, batchSize: 64, optimizer: { name: 'sgd', lr: 0.1 } },
};
const SPEC_100 = {
  version: 1,
  name: 'bench: 100 runs',
  data: { source: 'synthetic', kind: 'spiral', n: 400, classes: 3, noise: 0.05, seed: 1 },
  model: { inputSize: 2, hidden: [{ width: 16, activation: 'relu' }], outputSize: 3, head: 'softmax' },
  train: { epochs: 5, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } },
  compare: { activation: ['relu', 'tanh', 'sigmoid', 'elu', 'leaky_relu'], 'train.optimizer.lr': [0.003, 0.01, 0.03, 0.1] },
  seeds: { count: 5, start: 1 },
};

/** WebSocket frames the live page received (time, bytes), and when the Compare window began. */
const frames: Array<{ at: number; bytes: number }> = [];
let windowStart = 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (s: string) => console.log(`bench:ui ${s}`);

const finished = (store: string, name: string) => runCounts(store, name).finished;

async function waitFor(what: string, test: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
}

async function openProbed(browser: Browser, url: string, beforeGo?: (page: Page) => Promise<void>): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addInitScript({ content: PAGE_PROBES });
  const page = await context.newPage();
  await beforeGo?.(page);
  await page.goto(url);
  return page;
}

/** Open… (a path on the server), then Run: the app shows the Runs tab. */
async function openAndRun(page: Page, file: string): Promise<void> {
  await page.getByTestId('open-experiment').click();
  await page.locator('#open-path').fill(file);
  await page.getByTestId('open-path-dialog').getByRole('button', { name: 'Open' }).click();
  await page.getByTestId('design-tab').waitFor();
  const run = page.getByTestId('run-experiment');
  await waitFor('the Run button', () => run.isEnabled(), 120_000);
  await run.click();
  await page.getByTestId('runs-tab').waitFor({ timeout: 60_000 });
}

/** The 20-run comparison trained live: the Runs tab, then the Compare tab (the window), then cancelled. */
async function liveComparison(
  page: Page,
  cdp: CDPSession,
  results: Record<string, unknown>,
  { browser, specs, store }: { browser: Browser; specs: string; store: string },
): Promise<void> {
  log('20-run comparison: Runs tab');
  await openAndRun(page, path.join(specs, 'bench-live.json'));
  await waitFor('a run to start', () => page.getByTestId('run-status').first().isVisible(), 60_000);
  await sleep(3000);
  let live = watchRuns(store, SPEC_LIVE.name);
  results.runsTab = await measureWindow(page, cdp, 15);
  results.runsTabLive = live();
  log('20-run comparison: Compare tab');
  mkdirSync(path.dirname(traceFile), { recursive: true });
  // --trace-window: the switch into Compare (the click to 3 s after its first curve), traced.
  const toCompare = async () => {
    const clickedAt = await page.evaluate(() => performance.now());
    await page.getByTestId('tab-compare').click();
    await waitFor('the first curve', () => page.evaluate(() => window.__bench.firstCurve !== null), 300_000);
    results.switchFirstCurveMs = await page.evaluate((t: number) => (window.__bench.firstCurve ?? t) - t, clickedAt);
    if (values['trace-window']) await sleep(3000);
  };
  // With --profile too, a CPU profile inside each trace names the functions (its start is excluded).
  const watched = async (key: string, work: () => Promise<void>) =>
    values.profile ? void (results[`${key}Profile`] = await profiled(cdp, work)) : work();
  if (values['trace-window']) results.switchTrace = await traced(browser, page, traceOf('switch'), () => watched('switch', toCompare));
  else await toCompare();
  // The window starts at the same point of the training on every host: two variants done.
  await waitFor(`${FINISHED_BEFORE_WINDOW} runs to finish`, () => finished(store, SPEC_LIVE.name) >= FINISHED_BEFORE_WINDOW, 1_800_000);
  const toggles: ScaleLatency[] = [];
  const drawsFrom = await page.evaluate(() => performance.now());
  live = watchRuns(store, SPEC_LIVE.name);
  /** Seconds from the window's start to each toggle's click (to place the traced tasks). */
  const toggleAtS: number[] = [];
  const measure = () => {
    const w0 = Date.now();
    windowStart = w0;
    return measureWindow(page, cdp, windowSeconds, async () => {
      await sleep((windowSeconds * 1000) / 3);
      toggleAtS.push((Date.now() - w0) / 1000);
      toggles.push(await scaleLatency(page, 'scale-picker', 'log', 'log'));
      await sleep((windowSeconds * 1000) / 3);
      toggleAtS.push((Date.now() - w0) / 1000);
      toggles.push(await scaleLatency(page, 'scale-picker', 'linear', 'linear'));
    });
  };
  // --trace-window: the window itself, traced (the trace's own cost is then in its figures).
  if (values['trace-window'])
    results.windowTrace = await traced(browser, page, traceOf('window'), () =>
      watched('window', async () => void (results.compareTab = await measure())),
    );
  else results.compareTab = await measure();
  results.toggleAtS = toggleAtS;
  // The back end's messages to the page in the window (each parsed on the main thread): the largest.
  const inWindow = frames.filter((f) => f.at >= windowStart && f.at <= windowStart + windowSeconds * 1000);
  results.windowMessages = {
    count: inWindow.length,
    bytes: inWindow.reduce((t, f) => t + f.bytes, 0),
    largest: [...inWindow]
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 6)
      .map((f) => ({ atS: (f.at - windowStart) / 1000, bytes: f.bytes })),
  };
  // The figures above count only if runs were training all along: the report says so.
  results.compareTabLive = live();
  results.toggles = toggles;
  results.plotDraws = await plotDraws(page, drawsFrom);
  // With both, the trace covers the profile (and so shows what the profiler itself costs).
  live = watchRuns(store, SPEC_LIVE.name);
  const more = async () => {
    if (values.profile) results.compareProfile = await profiled(cdp, async () => void (await sleep(15_000)));
    else await sleep(15_000);
  };
  if (values.trace) results.compareTrace = await traced(browser, page, traceFile, more);
  else if (values.profile) await more();
  if (values.trace || values.profile) results.moreLive = live();
  else live();
  // Measured: the rest of the training would only take time. Cancel all, as a user would.
  await page.getByTestId('tab-runs').click();
  await page.getByTestId('cancel-all').click();
  await waitFor('the runs to stop', async () => !(await page.getByTestId('cancel-all').isVisible()), 120_000);
}

async function main(): Promise<void> {
  if (!existsSync(path.join(outDir, 'renderer/index.html'))) throw new Error(`${outDir} has no built app: run npm run build first`);
  const dir = mkdtempSync(path.join(tmpdir(), 'ablate-bench-ui-'));
  const specs = path.join(dir, 'specs');
  mkdirSync(specs);
  writeFileSync(path.join(specs, 'bench-live.json'), JSON.stringify(SPEC_LIVE));
  writeFileSync(path.join(specs, 'bench-20.json'), JSON.stringify(SPEC_20));
  writeFileSync(path.join(specs, 'bench-100.json'), JSON.stringify(SPEC_100));
  const store = path.join(dir, 'store');
  const serve = await startServe(
    [store, '--port', '0', '--workers', '2', '--data', specs],
    dir,
    process.env,
    120_000,
    path.join(outDir, 'cli/ablate.js'),
  );
  const browser = await launchChromium();
  const started = Date.now();
  const os = await import('node:os');
  const results: Record<string, unknown> = { label: values.label, out: outDir, cores: os.cpus().length, loadStart: os.loadavg() };
  try {
    const page = await openProbed(browser, serve.url, async (pg) => {
      pg.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push({ at: Date.now(), bytes: f.payload.length })));
    });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.getByTestId('sidebar').waitFor();

    if (!values['cold-only'] && !values['heap-only']) await liveComparison(page, cdp, results, { browser, specs, store });
    if (values['live-only']) return;

    log('20-run comparison of 8 epochs, trained to the end for cold Compare');
    await openAndRun(page, path.join(specs, 'bench-20.json'));
    await waitFor('the 20 runs', () => finished(store, SPEC_20.name) >= 20, 1_800_000);
    await page.close();

    log('cold Compare');
    const cold: Array<{ compareMs: number; curveMs: number }> = [];
    const coldPhases: ColdPhases[] = [];
    for (let i = 0; i < (values['heap-only'] ? 0 : 3); i++) {
      const p = await openProbed(browser, serve.url);
      await waitFor('the first curve', () => p.evaluate(() => window.__bench.firstCurve !== null), 120_000);
      cold.push(await p.evaluate(() => ({ compareMs: window.__bench.firstCompare, curveMs: window.__bench.firstCurve })));
      coldPhases.push(await p.evaluate(COLD_PHASES));
      await p.context().close();
    }
    results.cold = cold;
    results.coldPhases = coldPhases;
    if (values['trace-cold']) {
      // One more cold Compare, traced (not among the three above: the trace slows the page).
      const file = traceOf('cold');
      const p = await openProbed(browser, serve.url, (page) =>
        browser.startTracing(page, { categories: CATEGORIES, screenshots: false, path: file }),
      );
      await waitFor('the first curve', () => p.evaluate(() => window.__bench.firstCurve !== null), 120_000);
      const phases = await p.evaluate(COLD_PHASES);
      const parsed = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
      results.coldTrace = { phases, trace: summarizeTrace(parsed.traceEvents, 30) };
      await p.context().close();
    }
    if (values['cold-only']) return;

    log('100 runs trained live');
    const p100 = await openProbed(browser, serve.url);
    const cdp100 = await p100.context().newCDPSession(p100);
    await cdp100.send('Performance.enable');
    await waitFor('the first curve', () => p100.evaluate(() => window.__bench.firstCurve !== null), 120_000);
    await cdp100.send('HeapProfiler.collectGarbage');
    results.heapBeforeMB = (await metrics(cdp100)).JSHeapUsedSize / 2 ** 20;
    await openAndRun(p100, path.join(specs, 'bench-100.json'));
    await p100.getByTestId('tab-compare').click();
    await waitFor('the 100 runs', () => finished(store, SPEC_100.name) >= 100, 1_800_000);
    await sleep(8000);
    await cdp100.send('HeapProfiler.collectGarbage');
    const m = await metrics(cdp100);
    results.heapAfter100MB = m.JSHeapUsedSize / 2 ** 20;
    results.domNodes = m.Nodes;
  } finally {
    results.totalSeconds = (Date.now() - started) / 1000;
    results.loadEnd = os.loadavg();
    await browser.close();
    await serve.stop();
    rmSync(dir, { recursive: true, force: true });
    report(results);
  }
}

function report(r: Record<string, unknown>): void {
  const w = (s: WindowStats | undefined) =>
    !s
      ? 'not measured'
      : `busy ${(s.busy * 100).toFixed(0)}%, longest task ${s.longestTaskMs.toFixed(0)} ms (${s.longTasks} over 50 ms), timer lag p95 ${s.lagP95Ms.toFixed(0)} ms`;
  const cold = (r.cold as Array<{ compareMs: number; curveMs: number }> | undefined) ?? [];
  const curves = cold.map((c) => c.curveMs).sort((a, b) => a - b);
  const load = (l: unknown) => (l as number[]).map((v) => v.toFixed(1)).join(' ');
  console.log(`\nUI benchmark (${r.label}: ${r.out}), ${r.cores} cores, ${(r.totalSeconds as number).toFixed(0)} s`);
  console.log(`  load average (1, 5, 15 min) at the start ${load(r.loadStart)}, at the end ${load(r.loadEnd)}`);
  const l = (s: LiveStats | undefined) =>
    !s
      ? ''
      : `\n${' '.repeat(34)}a run training in ${(s.liveFraction * 100).toFixed(0)}% of the window; at its end ${s.trainingAtEnd} training, ${s.finishedAtEnd} of 20 finished, ${s.variantsAtEnd} of 5 variants begun`;
  console.log(`  Runs tab, 20 runs training:     ${w(r.runsTab as WindowStats | undefined)}${l(r.runsTabLive as LiveStats | undefined)}`);
  console.log(
    `  Compare tab, 20 runs training:  ${w(r.compareTab as WindowStats | undefined)}${l(r.compareTabLive as LiveStats | undefined)}`,
  );
  const ms = (v: number | null) => (v === null ? 'not within 20 s' : `${v.toFixed(0)} ms`);
  for (const t of (r.toggles as ScaleLatency[] | undefined) ?? [])
    console.log(
      `  log/linear toggle then:         first plot ${ms(t.firstMs)} (frame ${String(t.firstFrame)}, ${t.firstPlot ?? 'none'}${t.firstInView ? ', in view' : ''}), the ${t.inView} in view ${ms(t.inViewMs)}, all ${t.plots} ${ms(t.allMs)} (frame ${String(t.allFrame)})`,
    );
  const draws = (r.plotDraws as Record<string, { draws: number; medianMs: number; longestMs: number }> | undefined) ?? {};
  for (const [plot, d] of Object.entries(draws))
    console.log(
      `  ${`${plot} draws:`.padEnd(32)}${d.draws} in the window, median ${d.medianMs.toFixed(0)} ms, longest ${d.longestMs.toFixed(0)} ms`,
    );
  const msgs = r.windowMessages as { count: number; bytes: number; largest: Array<{ atS: number; bytes: number }> } | undefined;
  if (msgs)
    console.log(
      `  back-end messages in the window: ${msgs.count}, ${(msgs.bytes / 1e6).toFixed(1)} MB; largest: ${msgs.largest.map((m) => `${(m.bytes / 1e3).toFixed(0)} kB at ${m.atS.toFixed(1)} s`).join(', ')}`,
    );
  const more = r.moreLive as LiveStats | undefined;
  if (more) console.log(`  the 15 s after it:              ${l(more).trim()}`);
  if (curves.length === 3)
    console.log(`  cold Compare, first curve:      best ${curves[0].toFixed(0)} ms, median ${curves[1].toFixed(0)} ms (from navigation)`);
  for (const ph of (r.coldPhases as ColdPhases[] | undefined) ?? []) console.log(`    ${describeCold(ph)}`);
  if (r.heapAfter100MB !== undefined)
    console.log(
      `  after 100 runs, Compare open:   JS heap ${(r.heapAfter100MB as number).toFixed(1)} MB (${(r.heapBeforeMB as number).toFixed(1)} MB before), ${r.domNodes} DOM nodes`,
    );
  const groups = (g: TraceReport['groups']) => g.map((x) => `${x.group} ${x.ms.toFixed(0)}`).join(', ');
  const tasks = (list: TraceReport['longTasks']) => {
    for (const t of list)
      console.log(
        `    ${t.ms.toFixed(0).padStart(6)} ms at ${t.atS.toFixed(1)} s  ${groups(t.groups)}\n            top: ${t.top.map((x) => `${x.name} ${x.ms.toFixed(0)}`).join('; ')}${t.entry ? `\n            entry: ${t.entry}` : ''}`,
      );
  };
  const ct = r.coldTrace as { phases: ColdPhases; trace: TraceReport } | undefined;
  if (ct) {
    console.log(`  one more cold Compare, traced: ${describeCold(ct.phases)}`);
    console.log(
      `  busy ${(ct.trace.busy * 100).toFixed(0)}% of ${ct.trace.seconds.toFixed(1)} s; ms by kind: ${groups(ct.trace.groups)}; tasks over 30 ms:`,
    );
    tasks([...ct.trace.longTasks].sort((a, b) => a.atS - b.atS));
  }
  const sw = r.switchTrace as TraceReport | undefined;
  if (sw) {
    console.log(
      `  switch to Compare (Chrome trace, the click to 3 s after the first curve, ${(r.switchFirstCurveMs as number).toFixed(0)} ms): busy ${(sw.busy * 100).toFixed(0)}%; ms by kind: ${groups(sw.groups)}`,
    );
    console.log(`  long tasks (over 50 ms), longest first: ${sw.longTasks.length}`);
    tasks(sw.longTasks);
  }
  const wt = r.windowTrace as TraceReport | undefined;
  if (wt) {
    const at = (r.toggleAtS as number[]).map((s) => `${s.toFixed(1)} s`).join(', ');
    console.log(
      `  the Compare window (Chrome trace; the toggles clicked at ${at}): busy ${(wt.busy * 100).toFixed(0)}%; ms by kind: ${groups(wt.groups)}`,
    );
    console.log(`  long tasks (over 50 ms), longest first: ${wt.longTasks.length}`);
    tasks(wt.longTasks);
  }
  const trace = r.compareTrace as TraceReport | undefined;
  if (trace) {
    console.log(
      `  Compare tab, 15 s more (Chrome trace): main thread busy ${(trace.busy * 100).toFixed(0)}%; ms by kind: ${groups(trace.groups)}`,
    );
    console.log(`  long tasks (over 50 ms) in the trace, longest first: ${trace.longTasks.length}`);
    tasks(trace.longTasks);
    console.log(`  (the trace, for Chromium's Performance panel: ${path.relative(root, traceFile)})`);
  }
  for (const key of ['switchProfile', 'windowProfile']) {
    const p = r[key] as ProfileReport | undefined;
    if (!p) continue;
    console.log(
      `  ${key === 'switchProfile' ? 'switch to Compare' : 'the Compare window'} (CPU profile): long tasks, longest first: ${p.longTasks.length}`,
    );
    for (const t of p.longTasks)
      console.log(
        `    ${t.ms.toFixed(0).padStart(6)} ms at ${t.atS.toFixed(1)} s  entries: ${t.entries.join('; ')}\n            hot: ${t.hot.join('; ')}`,
      );
  }
  const profile = r.compareProfile as ProfileReport | undefined;
  if (profile) {
    console.log(
      `  Compare tab, 15 s more of training: most self time (not counting the profiler's start, ${profile.startMs.toFixed(0)} ms)`,
    );
    for (const p of profile.self) console.log(`    ${p.ms.toFixed(0).padStart(6)} ms  ${p.fn}`);
    console.log(`  long tasks (over 50 ms) in the profile, longest first: ${profile.longTasks.length}`);
    for (const t of profile.longTasks)
      console.log(
        `    ${t.ms.toFixed(0).padStart(6)} ms at ${t.atS.toFixed(1)} s  entries: ${t.entries.join('; ')}\n            hot: ${t.hot.join('; ')}`,
      );
  }
  const file = path.join(root, 'test-results', `ui-bench-${r.label}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(r, null, 2));
  console.log(`  (${path.relative(root, file)})`);
}

await main();

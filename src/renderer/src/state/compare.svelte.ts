/**
 * The Compare tab's data and choices: the comparison (bands and intervals from the back end),
 * per-run diagnostics and decision boundaries (fetched on demand, cached, refreshed while runs
 * are live), the metric, scale, smoothing, seed and section choices, the baseline, the results
 * table's columns and sort, and the shared time-axis range of each view (zoom one plot, the
 * others of that view follow).
 */
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import type { Api, Comparison, DecisionBoundary, MetricRecord, RunDiagnostics, Variant } from '../../../shared/api';
import { defaultResultMetrics } from '../lib/metrics';
import type { LayerMeasure, UnitMeasure } from '../lib/plots/layers';
import type { DistQuantity } from '../lib/plots/histogram-bins';
import { chooseScale, logYOf, matchesFilter, type ScaleChoices } from '../lib/plots/curve-choices';
import type { XAxis } from '../lib/plots/run-records';
import { CurveFeed } from './compare-curves.svelte';
import { CURVE_POINTS } from './curve-data';
import type { ExperimentSession } from './session.svelte';

export type Section = 'curves' | 'gradients' | 'units' | 'distributions' | 'boundary' | 'learned' | 'classes' | 'results' | 'search';
export type ViewId = 'curves' | 'gradients' | 'units' | 'distributions';

const LIVE_MS = 3000;
const FETCH_CONCURRENCY = 4;

export class CompareState {
  comparison = $state.raw<Comparison | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  baseline = $state<string | null>(null);

  section = $state<Section>('curves');
  /** "loss", "accuracy", or "diag:<measure>:<layer>" for per-layer diagnostics. */
  metric = $state('loss');
  /** The user's y-scale choice per plot (metric): each keeps its own when the metric changes. */
  scaleChoices = $state<ScaleChoices>({});
  smoothing = $state(0);
  xAxis = $state<XAxis>('step');
  /** Each seed's line instead of the mean's band. */
  showSeeds = $state(false);
  /** Variants the user hid, and the text that filters the shown ones. */
  readonly hidden = new SvelteSet<string>();
  variantFilter = $state('');
  overlayRole = $state<'val' | 'train'>('val');
  /** Seed whose runs the per-run views show (null: each variant's first seed). */
  seed = $state<number | null>(null);
  layerMeasure = $state<LayerMeasure>('gradNorm');
  unitMeasure = $state<UnitMeasure>('dead');
  histLayer = $state(0);
  /** Distributions: over time per variant (activations), or the variants overlaid at one step. */
  histMode = $state<'time' | 'overlay'>('time');
  histQuantity = $state<DistQuantity>('activation');
  /** The overlay's requested step (null: the latest step every run has reached). */
  histStep = $state<number | null>(null);
  xRange = $state<Record<ViewId, [number, number] | null>>({ curves: null, gradients: null, units: null, distributions: null });

  resultMetrics = $state<string[]>([]);
  /** "" keeps the variants' order. */
  sortKey = $state<string>('');
  sortDir = $state<'asc' | 'desc'>('asc');

  readonly diagnostics = new SvelteMap<string, RunDiagnostics>();
  readonly diagErrors = new SvelteMap<string, string>();
  readonly boundaries = new SvelteMap<string, DecisionBoundary>();
  readonly boundaryErrors = new SvelteMap<string, string>();
  readonly #inflight = new SvelteSet<string>();
  /** Bumped while runs are live so views re-fetch what went stale. */
  liveTick = $state(0);

  /** Learning curves across seeds, aggregated in a worker. */
  readonly curves: CurveFeed;

  readonly #api: Api;
  readonly #session: ExperimentSession;

  // The runs change several times a second while training (progress); what the figures need of
  // them changes far less often. Each key is a string, so what depends on it reruns only when it
  // changes (a derived value that compares equal stops there).
  #endedKey = $derived.by(() =>
    JSON.stringify(
      this.#session.runs.flatMap((r) =>
        r.summary ? [{ variantId: r.variantId, seed: r.seed, bestEpoch: r.summary.bestEpoch, stoppedEpoch: r.summary.stoppedEpoch }] : [],
      ),
    ),
  );
  /** Runs that ended, with their best and early-stop epochs (0-based). */
  ended: Array<{ variantId: string; seed: number; bestEpoch: number | null; stoppedEpoch: number | null }> = $derived(
    JSON.parse(this.#endedKey),
  );
  #startedKey = $derived.by(() =>
    JSON.stringify(this.#session.runs.filter((r) => r.status !== 'queued').map((r) => [r.variantId, r.runId, r.seed])),
  );
  /** Runs that have started (have or will soon have metrics): [variantId, runId, seed]. */
  started: Array<[string, string, number]> = $derived(JSON.parse(this.#startedKey));
  /** Runs whose diagnostics changed since they were fetched (plain: nothing renders from it). */
  #staleDiag: Record<string, true> = {};
  #refreshTimer: ReturnType<typeof setTimeout> | null = null;
  #liveTimer: ReturnType<typeof setTimeout> | null = null;
  #seq = 0;

  constructor(api: Api, session: ExperimentSession) {
    this.#api = api;
    this.#session = session;
    this.curves = new CurveFeed(api, session.id);
  }

  get logY(): boolean {
    return logYOf(this.scaleChoices, this.metric);
  }

  set logY(value: boolean) {
    this.scaleChoices = chooseScale(this.scaleChoices, this.metric, value);
  }

  /** The variants the plots draw: not hidden, and matching the filter. */
  visibleVariants(): Variant[] {
    return this.#session.variants.filter((v) => !this.hidden.has(v.id) && matchesFilter(v.label, this.variantFilter));
  }

  /** Keeps the curves worker fed with the runs and asking the current question (loss or accuracy). */
  syncCurves(): void {
    this.curves.use(this.#session.runs);
    this.curves.ask({
      metric: this.metric === 'accuracy' ? 'accuracy' : 'loss',
      x: this.xAxis,
      roles: ['train', 'val'],
      seeds: this.showSeeds,
      smoothing: this.smoothing,
      logY: this.logY,
      maxPoints: CURVE_POINTS,
    });
  }

  toggleHidden(variantId: string): void {
    if (this.hidden.has(variantId)) this.hidden.delete(variantId);
    else this.hidden.add(variantId);
  }

  get busy(): boolean {
    return this.loading || this.#inflight.size > 0;
  }

  async refresh(): Promise<void> {
    const seq = ++this.#seq;
    this.loading = true;
    const r = await this.#api.compare(this.#session.id, this.baseline);
    if (seq !== this.#seq) return;
    this.loading = false;
    if (!r.ok) {
      this.error = r.error;
      return;
    }
    this.error = null;
    this.comparison = r.value;
    if (this.baseline === null) this.baseline = r.value.baseline;
    const available = r.value.metrics;
    if (this.resultMetrics.length === 0 || !this.resultMetrics.every((m) => available.includes(m)))
      this.resultMetrics = defaultResultMetrics(available);
  }

  setBaseline(variantId: string): void {
    this.baseline = variantId;
    void this.refresh();
  }

  /** Refreshes the comparison soon (coalesces bursts of run-finished events). */
  refreshSoon(ms = 1000): void {
    if (this.#refreshTimer) return;
    this.#refreshTimer = setTimeout(() => {
      this.#refreshTimer = null;
      void this.refresh();
    }, ms);
  }

  /** A run reported new records: diagnostics of that run go stale; curves refresh every few seconds. */
  liveUpdate(runId: string, records: readonly MetricRecord[]): void {
    this.curves.append(runId, records);
    if (records.some((r) => r.kind === 'diag' || r.kind === 'dead')) this.#staleDiag[runId] = true;
    if (records.some((r) => r.kind === 'epoch')) this.refreshSoon(LIVE_MS);
    if (this.#liveTimer === null && Object.keys(this.#staleDiag).length > 0) {
      this.#liveTimer = setTimeout(() => {
        this.#liveTimer = null;
        this.liveTick++;
      }, LIVE_MS);
    }
  }

  /** Fetches diagnostics of these runs that are missing or stale. */
  ensureDiagnostics(runIds: readonly string[]): void {
    const need = runIds.filter(
      (id) => !this.#inflight.has(`d:${id}`) && (!this.diagnostics.has(id) || this.#staleDiag[id]) && !this.diagErrors.has(id),
    );
    void this.#fetchAll(
      need,
      async (id) => {
        delete this.#staleDiag[id];
        const r = await this.#api.runDiagnostics(this.#session.id, id);
        if (r.ok) this.diagnostics.set(id, r.value);
        else this.diagErrors.set(id, r.error);
      },
      'd',
    );
  }

  ensureBoundaries(runIds: readonly string[], resolution = 120): void {
    const need = runIds.filter((id) => !this.#inflight.has(`b:${id}`) && !this.boundaries.has(id) && !this.boundaryErrors.has(id));
    void this.#fetchAll(
      need,
      async (id) => {
        const r = await this.#api.decisionBoundary(this.#session.id, id, resolution);
        if (r.ok) this.boundaries.set(id, r.value);
        else this.boundaryErrors.set(id, r.error);
      },
      'b',
    );
  }

  async #fetchAll(ids: string[], fetch: (id: string) => Promise<void>, tag: string): Promise<void> {
    if (ids.length === 0) return;
    const queue = [...ids];
    for (const id of ids) this.#inflight.add(`${tag}:${id}`);
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        try {
          await fetch(id);
        } finally {
          this.#inflight.delete(`${tag}:${id}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(FETCH_CONCURRENCY, ids.length) }, worker));
  }

  /** Each variant's started run for the chosen seed (else its first started run), as [variantId, runId] pairs. */
  runsForSeed(): Array<[string, string]> {
    const seed = this.seed ?? this.#session.seeds[0] ?? null;
    const out: Array<[string, string]> = [];
    for (const v of this.#session.variants) {
      const runs = this.started.filter(([id]) => id === v.id);
      const run = runs.find(([, , s]) => s === seed) ?? runs[0];
      if (run) out.push([v.id, run[1]]);
    }
    return out;
  }

  /** The run ids of `runsForSeed`. */
  seedRunIds(): string[] {
    return this.runsForSeed().map(([, runId]) => runId);
  }

  setRange(view: ViewId, range: [number, number] | null): void {
    const cur = this.xRange[view];
    if (cur === range || (cur && range && cur[0] === range[0] && cur[1] === range[1])) return;
    this.xRange[view] = range;
  }

  sortBy(key: string): void {
    if (this.sortKey === key) this.sortDir = this.sortDir === 'asc' ? 'desc' : 'asc';
    else {
      this.sortKey = key;
      this.sortDir = key.toLowerCase().includes('accuracy') ? 'desc' : 'asc';
    }
  }

  dispose(): void {
    this.curves.dispose();
    if (this.#refreshTimer) clearTimeout(this.#refreshTimer);
    if (this.#liveTimer) clearTimeout(this.#liveTimer);
  }
}

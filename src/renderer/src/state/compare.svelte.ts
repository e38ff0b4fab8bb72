/**
 * The Compare tab's data and choices: the comparison (bands and intervals from the back end),
 * per-run diagnostics and decision boundaries (fetched on demand, cached, refreshed while runs
 * are live), the metric, scale, smoothing, seed and section choices, the baseline, the results
 * table's columns and sort, and the shared time-axis range of each view (zoom one plot, the
 * others of that view follow).
 */
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import type { Api, Comparison, DecisionBoundary, MetricRecord, RunDiagnostics } from '../../../shared/api';
import { defaultResultMetrics } from '../lib/metrics';
import type { LayerMeasure, UnitMeasure } from '../lib/plots/layers';
import type { ExperimentSession } from './session.svelte';

export type Section = 'curves' | 'gradients' | 'units' | 'distributions' | 'boundary' | 'results';
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
  logY = $state(false);
  smoothing = $state(0);
  overlayRole = $state<'val' | 'train'>('val');
  /** Seed whose runs the per-run views show (null: each variant's first seed). */
  seed = $state<number | null>(null);
  layerMeasure = $state<LayerMeasure>('gradNorm');
  unitMeasure = $state<UnitMeasure>('dead');
  histLayer = $state(0);
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

  readonly #api: Api;
  readonly #session: ExperimentSession;
  /** Runs whose diagnostics changed since they were fetched (plain: nothing renders from it). */
  #staleDiag: Record<string, true> = {};
  #refreshTimer: ReturnType<typeof setTimeout> | null = null;
  #liveTimer: ReturnType<typeof setTimeout> | null = null;
  #seq = 0;

  constructor(api: Api, session: ExperimentSession) {
    this.#api = api;
    this.#session = session;
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

  /** Each variant's run for the chosen seed, as [variantId, runId] pairs. */
  runsForSeed(): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (const v of this.#session.variants) {
      const run = this.#session.runFor(v.id, this.seed ?? this.#session.seeds[0] ?? null);
      if (run && run.status !== 'queued') out.push([v.id, run.runId]);
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
    if (this.#refreshTimer) clearTimeout(this.#refreshTimer);
    if (this.#liveTimer) clearTimeout(this.#liveTimer);
  }
}

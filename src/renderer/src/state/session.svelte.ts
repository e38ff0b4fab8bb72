/**
 * The selected stored experiment: its view (variants, runs, data facts), the runs' live progress
 * and loss series (fed by `run-progress` events, rendered at most 4 times a second), the variant
 * styles shared by every plot and table, and the Compare and Export states built on it.
 */
import { SvelteMap } from 'svelte/reactivity';
import type { Api, ApiEvent, ExperimentView, MetricRecord, RunView, Variant } from '../../../shared/api';
import { factorKeys, smallMultiplesGrid, type GridLayout } from '../lib/grid';
import { variantDash, type Dash, type ThemeName } from '../lib/palette';
import { slotColor, variantSlots } from '../lib/plots/variant-colors';
import { isActive } from '../lib/runs';
import { countStates, type StateCounts } from '../../../shared/run-state';
import { LiveBuffer, type SeriesView } from './live-buffer';
import { seedList } from '../lib/spec';
import { CompareState } from './compare.svelte';
import { ExportState } from './export.svelte';
import type { ToastState } from './toasts.svelte';

const FLUSH_MS = 250;
const METRICS_CONCURRENCY = 3;

export type { SeriesView };

export interface VariantStyle {
  index: number;
  color: string;
  dash: Dash;
  label: string;
}

export class ExperimentSession {
  readonly id: string;
  view = $state.raw<ExperimentView | null>(null);
  runs = $state.raw<RunView[]>([]);
  loading = $state(true);
  error = $state<string | null>(null);
  /** The variant under the pointer anywhere (plots, tables, legends, run rows). */
  hovered = $state<string | null>(null);
  /** A variant highlighted by a click on its legend chip (until clicked again). */
  pinned = $state<string | null>(null);
  highlight: string | null = $derived(this.hovered ?? this.pinned);
  /** Loss series per run, replaced (not mutated) at each flush. */
  readonly series = new SvelteMap<string, SeriesView>();
  seriesLoaded = $state(false);

  readonly compare: CompareState;
  readonly exports: ExportState;

  variants: Variant[] = $derived(this.view?.variants ?? []);
  grid: GridLayout = $derived(smallMultiplesGrid(this.variants, this.#factorOrder()));
  seeds: number[] = $derived(this.view ? seedList(this.view.experiment.spec.seeds) : []);
  running: boolean = $derived(this.runs.some((r) => isActive(r.status)));
  /** Every planned run per state (the one run-state model): what the header and the Runs tab count. */
  counts: StateCounts = $derived(countStates(this.runs.map((r) => r.status)));

  readonly #api: Api;
  readonly #theme: () => ThemeName;
  readonly #live = new LiveBuffer();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #disposed = false;

  constructor(api: Api, id: string, toasts: ToastState, theme: () => ThemeName, engineVersion: () => string) {
    this.#api = api;
    this.id = id;
    this.#theme = theme;
    this.compare = new CompareState(api, this);
    this.exports = new ExportState(api, this, toasts, engineVersion);
  }

  /** Factor keys in the experiment file's order (the grid's rows, then columns). */
  factorOrder(): string[] {
    return this.#factorOrder();
  }

  #factorOrder(): string[] {
    const compare = this.view?.experiment.spec.compare;
    const keys = compare ? Object.keys(compare) : [];
    const seen = factorKeys(this.variants);
    return [...keys.filter((k) => seen.includes(k)), ...seen.filter((k) => !keys.includes(k))];
  }

  /** Color slot and dash per variant, by factor value (lib/plots/variant-colors.ts). */
  #slots = $derived(variantSlots(this.variants, this.#factorOrder()));

  styleOf(variantId: string): VariantStyle {
    const index = Math.max(
      0,
      this.variants.findIndex((v) => v.id === variantId),
    );
    const variant = this.variants[index];
    const slot = this.#slots.get(variantId) ?? { slot: index, dash: variantDash(index) };
    return { index, color: slotColor(slot.slot, this.#theme()), dash: slot.dash, label: variant?.label ?? variantId };
  }

  async load(): Promise<void> {
    this.loading = true;
    const r = await this.#api.loadExperiment(this.id);
    if (this.#disposed) return;
    this.loading = false;
    if (!r.ok) {
      this.error = r.error;
      return;
    }
    this.error = null;
    this.view = r.value;
    this.runs = r.value.runs;
  }

  /** Loads every run's metrics once for the sparklines (a few runs at a time). */
  async loadSeries(): Promise<void> {
    if (this.seriesLoaded) return;
    this.seriesLoaded = true;
    const queue = this.runs.filter((r) => r.status !== 'queued').map((r) => r.runId);
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined && !this.#disposed; id = queue.shift()) {
        const r = await this.#api.runMetrics(this.id, id, 0);
        if (r.ok) this.#append(id, r.value.records);
      }
    };
    await Promise.all(Array.from({ length: METRICS_CONCURRENCY }, worker));
    this.#flush();
  }

  #append(runId: string, records: readonly MetricRecord[]): void {
    this.#live.append(runId, records);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer || this.#disposed) return;
    this.#timer = setTimeout(() => this.#flush(), FLUSH_MS);
  }

  #flush(): void {
    this.#timer = null;
    const { series, progress } = this.#live.drain();
    for (const [id, view] of series) this.series.set(id, view);
    if (progress.size > 0) {
      this.runs = this.runs.map((r) => (progress.has(r.runId) ? { ...r, status: 'running', progress: progress.get(r.runId) ?? null } : r));
    }
  }

  /**
   * Applies an event of the back end. The page takes every event from the moment this session
   * exists (app.svelte.ts), in order (one WebSocket, or Electron's IPC), and each record is in its
   * run's file before its event is sent: a run that started before then is read from byte 0 by
   * `loadSeries` (or by the curves feed) after then, so the events carry exactly the records that
   * read did not have, and a run that starts later has every record in its events. A page whose
   * connection dropped cannot call the back end again (shared/web-client.ts): it is reloaded, and
   * its new session reads every run again.
   */
  handle(e: ApiEvent): void {
    if (e.type === 'pool' || e.type === 'menu' || e.experimentId !== this.id) return;
    switch (e.type) {
      case 'run-started':
        this.runs = this.runs.map((r) => (r.runId === e.runId ? { ...r, status: 'running', threads: e.threads } : r));
        break;
      case 'run-progress':
        this.#live.progress(e.runId, { epoch: e.epoch, epochs: e.epochs, step: e.step, loss: e.loss });
        this.#append(e.runId, e.records);
        this.compare.liveUpdate(e.runId, e.records);
        break;
      case 'run-finished':
        this.#live.forget(e.runId);
        this.runs = this.runs.map((r) =>
          r.runId === e.runId ? { ...r, status: e.summary.status, summary: e.summary, progress: null, threads: null } : r,
        );
        // Nothing is read again here: the live events carried every step and epoch record this
        // page did not read (see `handle`), and live.ts sends a run's last records before it
        // announces the run finished. (The whole file was read again here: 2.45 MB parsed on the
        // main thread for each run of the 20-run comparison that finished.)
        this.compare.refreshSoon();
        break;
      case 'experiment-started':
        void this.load();
        break;
      case 'experiment-finished':
        void this.load().then(() => this.compare.refreshSoon(0));
        break;
    }
  }

  async cancelRun(runId: string): Promise<string | null> {
    const r = await this.#api.cancelRun(this.id, runId);
    return r.ok ? null : r.error;
  }

  /** Trains the runs that are not complete (planned, incomplete, failed, cancelled, damaged). */
  async resume(): Promise<string | null> {
    const r = await this.#api.resumeExperiment(this.id);
    if (!r.ok) return r.error;
    await this.load();
    return null;
  }

  async cancelAll(): Promise<string | null> {
    const r = await this.#api.cancelExperiment(this.id);
    return r.ok ? null : r.error;
  }

  /** The run of a variant for a seed (or its first run when that seed has none). */
  runFor(variantId: string, seed: number | null): RunView | undefined {
    const runs = this.runs.filter((r) => r.variantId === variantId);
    return runs.find((r) => r.seed === seed) ?? runs.find((r) => r.status !== 'queued') ?? runs[0];
  }

  dispose(): void {
    this.#disposed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.compare.dispose();
  }
}

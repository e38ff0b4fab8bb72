/**
 * Comparing across experiments (Api `compareExperiments`): the experiments and variants the user
 * picks in the sidebar's dialog, in the order picked, the comparison the back end answers with
 * (or its refusal, shown as it is worded: other data, an unknown variant...), the baseline, the
 * table's columns and the curves' metric. `active` puts the comparison in place of the tabs; it is
 * refreshed when a run of a compared experiment ends.
 */
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import type { Api, CrossComparison, Variant } from '../../../shared/api';
import { defaultResultMetrics } from '../lib/metrics';
import { matchesFilter } from '../lib/plots/curve-choices';
import type { CrossCurveChoices, CrossDataChoices } from '../lib/plots/cross-curves';
import type { CurveMetric, Role, XAxis } from '../lib/plots/run-records';

export class CrossCompareState {
  /** The picking dialog is open. */
  picking = $state(false);
  /** The comparison is shown in place of the experiment's tabs. */
  active = $state(false);
  /** Picked experiment id -> picked variant ids, in the order the experiments were picked. */
  readonly picks = new SvelteMap<string, string[]>();
  /** Variants of the experiments offered, loaded when an experiment is picked (or why not). */
  readonly variants = new SvelteMap<string, Variant[] | { error: string }>();
  result = $state.raw<CrossComparison | null>(null);
  error = $state<string | null>(null);
  loading = $state(false);
  baseline = $state<string | null>(null);
  resultMetrics = $state<string[]>([]);
  /** The curves' choices, as the Compare tab's (x axis, scale, smoothing, each seed or the band...). */
  curveMetric = $state<CurveMetric>('loss');
  xAxis = $state<XAxis>('epoch');
  logY = $state(false);
  smoothing = $state(0);
  showSeeds = $state(false);
  overlayRole = $state<Role>('val');
  xRange = $state<[number, number] | null>(null);
  /** Variants hidden from the plots (the legend's eyes), and the legend's filter. */
  readonly hidden = new SvelteSet<string>();
  variantFilter = $state('');
  /** The variant pointed at, and the one pinned by a click on its legend chip. */
  hovered = $state<string | null>(null);
  pinned = $state<string | null>(null);
  highlight: string | null = $derived(this.hovered ?? this.pinned);

  readonly #api: Api;
  #seq = 0;
  #refreshTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(api: Api) {
    this.#api = api;
  }

  open(): void {
    this.error = null;
    this.picking = true;
  }

  /** Whether the picks can be sent: two experiments or more, each with a variant. */
  get ready(): boolean {
    return this.picks.size >= 2 && [...this.picks.values()].every((v) => v.length > 0);
  }

  async toggleExperiment(id: string): Promise<void> {
    if (this.picks.has(id)) {
      this.picks.delete(id);
      return;
    }
    this.picks.set(id, []);
    let variants = this.variants.get(id);
    if (!variants || 'error' in variants) {
      const r = await this.#api.loadExperiment(id);
      variants = r.ok ? r.value.variants : { error: r.error };
      this.variants.set(id, variants);
    }
    // Every variant picked at first: the user unticks what they leave out.
    if (this.picks.has(id) && Array.isArray(variants))
      this.picks.set(
        id,
        variants.map((v) => v.id),
      );
  }

  toggleVariant(experimentId: string, variantId: string): void {
    const now = this.picks.get(experimentId);
    if (!now) return;
    const order = (this.variants.get(experimentId) as Variant[] | undefined)?.map((v) => v.id) ?? [];
    const next = now.includes(variantId) ? now.filter((v) => v !== variantId) : [...now, variantId];
    this.picks.set(
      experimentId,
      next.sort((a, b) => order.indexOf(a) - order.indexOf(b)),
    );
  }

  /** Asks for the comparison of the picks; shows it, or keeps the dialog open with the refusal. */
  async compare(baseline: string | null = null): Promise<boolean> {
    const seq = ++this.#seq;
    this.loading = true;
    const picks = [...this.picks].map(([experimentId, variantIds]) => ({ experimentId, variantIds }));
    const r = await this.#api.compareExperiments(picks, baseline);
    if (seq !== this.#seq) return false;
    this.loading = false;
    if (!r.ok) {
      this.error = r.error;
      return false;
    }
    this.error = null;
    this.result = r.value;
    this.baseline = r.value.comparison.baseline;
    const available = r.value.comparison.metrics;
    if (this.resultMetrics.length === 0 || !this.resultMetrics.every((m) => available.includes(m)))
      this.resultMetrics = defaultResultMetrics(available);
    this.picking = false;
    this.active = true;
    return true;
  }

  /**
   * A run of one of the compared experiments ended: the comparison shown is refreshed soon (bursts
   * coalesced), with the same picks and baseline.
   */
  runEnded(experimentId: string, ms = 1500): void {
    if (!this.active || !this.result?.experiments.some((e) => e.id === experimentId) || this.#refreshTimer) return;
    this.#refreshTimer = setTimeout(() => {
      this.#refreshTimer = null;
      if (this.active && !this.picking) void this.compare(this.baseline);
    }, ms);
  }

  /** The choices the curves' data depends on: reading only these, a highlight or a zoom does not aggregate again. */
  get curveDataChoices(): CrossDataChoices {
    return { metric: this.curveMetric, xAxis: this.xAxis, logY: this.logY, smoothing: this.smoothing, showSeeds: this.showSeeds };
  }

  /** The curve choices as the figure builders take them (lib/plots/cross-curves.ts). */
  get curveChoices(): CrossCurveChoices {
    return {
      metric: this.curveMetric,
      xAxis: this.xAxis,
      logY: this.logY,
      smoothing: this.smoothing,
      showSeeds: this.showSeeds,
      overlayRole: this.overlayRole,
      xRange: this.xRange,
      highlight: this.highlight,
    };
  }

  /** The picked variants the plots draw: not hidden, and matching the filter, in the comparison's order. */
  get shownVariants(): string[] {
    return (this.result?.comparison.variants ?? [])
      .filter((v) => !this.hidden.has(v.variantId) && matchesFilter(v.label, this.variantFilter))
      .map((v) => v.variantId);
  }

  toggleHidden(variantId: string): void {
    if (this.hidden.has(variantId)) this.hidden.delete(variantId);
    else this.hidden.add(variantId);
  }

  setRange(range: [number, number] | null): void {
    const cur = this.xRange;
    if (cur === range || (cur && range && cur[0] === range[0] && cur[1] === range[1])) return;
    this.xRange = range;
  }

  setBaseline(variantId: string): void {
    void this.compare(variantId);
  }

  toggleMetric(m: string): void {
    const all = this.result?.comparison.metrics ?? [];
    this.resultMetrics = this.resultMetrics.includes(m)
      ? this.resultMetrics.filter((x) => x !== m)
      : all.filter((x) => x === m || this.resultMetrics.includes(x));
  }

  close(): void {
    this.active = false;
  }

  dispose(): void {
    if (this.#refreshTimer) clearTimeout(this.#refreshTimer);
  }
}

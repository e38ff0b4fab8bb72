/** The store's experiments for the sidebar (with its search and filters), and the example cards. */
import type { Api, ExampleCard, ExperimentListItem } from '../../../shared/api';
import { DEFAULT_FILTER, distinguishers, filterItems, type ListFilter } from '../lib/experiment-list';

export class ExperimentListState {
  items = $state.raw<ExperimentListItem[]>([]);
  examples = $state.raw<ExampleCard[]>([]);
  loaded = $state(false);
  error = $state<string | null>(null);
  examplesError = $state<string | null>(null);
  filter = $state<ListFilter>({ ...DEFAULT_FILTER });

  /** The items the filter keeps, newest first. */
  readonly visible = $derived(filterItems(this.items, this.filter, Date.now()));
  /** Per id, what tells apart items that show the same name. */
  readonly hints = $derived(distinguishers(this.items));
  readonly archivedCount = $derived(this.items.filter((i) => i.labels.archived).length);

  readonly #api: Api;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(api: Api) {
    this.#api = api;
  }

  async refresh(): Promise<void> {
    const r = await this.#api.listExperiments();
    if (r.ok) {
      this.items = [...r.value].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      this.error = null;
    } else this.error = r.error;
    this.loaded = true;
  }

  /** Refreshes at most once per `ms` (events arrive in bursts). */
  refreshSoon(ms = 800): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.refresh();
    }, ms);
  }

  clearFilter(): void {
    this.filter = { ...DEFAULT_FILTER };
  }

  async loadExamples(): Promise<void> {
    const r = await this.#api.examples();
    if (r.ok) this.examples = r.value;
    else this.examplesError = r.error;
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
  }
}

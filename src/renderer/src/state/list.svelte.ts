/** The store's experiments for the sidebar, and the example cards. */
import type { Api, ExampleCard, ExperimentListItem } from '../../../shared/api';

export class ExperimentListState {
  items = $state.raw<ExperimentListItem[]>([]);
  examples = $state.raw<ExampleCard[]>([]);
  loaded = $state(false);
  error = $state<string | null>(null);
  examplesError = $state<string | null>(null);

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

  async loadExamples(): Promise<void> {
    const r = await this.#api.examples();
    if (r.ok) this.examples = r.value;
    else this.examplesError = r.error;
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
  }
}

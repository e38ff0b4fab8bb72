/**
 * The app's root state: the Api it was handed, what the back end says about itself, the theme,
 * the pool, the experiment list, the design draft and the selected experiment's session. It
 * subscribes to pushed events once and routes them. Components reach it through context
 * (context.ts), never through a module-level global.
 */
import type { Api, ApiEvent, ExampleCard } from '../../../shared/api';
import { withBrowserDownloads } from '../host/downloads';
import { AppInfoState } from './app-info.svelte';
import { CrossCompareState } from './cross.svelte';
import { DesignState } from './design.svelte';
import { ExperimentListState } from './list.svelte';
import { ManageState } from './manage.svelte';
import { PoolState } from './pool.svelte';
import { ExperimentSession } from './session.svelte';
import { ThemeState } from './theme.svelte';
import { ToastState } from './toasts.svelte';

export type TabId = 'design' | 'runs' | 'compare' | 'export';
export const TABS: ReadonlyArray<{ id: TabId; label: string }> = [
  { id: 'design', label: 'Design' },
  { id: 'runs', label: 'Runs' },
  { id: 'compare', label: 'Compare' },
  { id: 'export', label: 'Export' },
];

export class AppState {
  readonly api: Api;
  readonly info: AppInfoState;
  readonly theme = new ThemeState();
  readonly pool = new PoolState();
  readonly toasts = new ToastState();
  readonly list: ExperimentListState;
  readonly design: DesignState;
  readonly manage: ManageState;
  /** Variants of several experiments in one comparison (shown in place of the tabs while active). */
  readonly cross: CrossCompareState;

  session = $state.raw<ExperimentSession | null>(null);
  #tab = $state<TabId>('design');
  /** Counts every change of tab, so a load that ends late can tell whether the user moved meanwhile. */
  #tabChanges = 0;
  /** An example or experiment is being started (the Run buttons show a spinner). */
  startingId = $state<string | null>(null);
  /** The experiments sidebar is shown (it can be hidden to give a narrow window to the tabs). */
  sidebarOpen = $state(true);
  /** Open… asks for a path (hosts without native dialogs). */
  askingPath = $state(false);
  /** The keyboard shortcuts dialog is open. */
  shortcutsOpen = $state(false);

  readonly #unsubscribe: () => void;

  constructor(api: Api) {
    this.info = new AppInfoState(api);
    this.api = withBrowserDownloads(api, () => this.info.info?.nativeDialogs);
    this.list = new ExperimentListState(this.api);
    this.design = new DesignState(this.api, this.toasts);
    this.cross = new CrossCompareState(this.api);
    this.manage = new ManageState(this.api, this.list, this.toasts, {
      selectedId: () => this.session?.id ?? null,
      select: (id) => this.select(id, 'design'),
      deselect: () => this.newExperiment(),
      trash: () => this.info.info?.trash,
      reloadSelected: async () => {
        await this.session?.load();
      },
    });
    this.#unsubscribe = this.api.onEvent((e) => this.#handle(e));
  }

  get tab(): TabId {
    return this.#tab;
  }

  set tab(tab: TabId) {
    this.#tabChanges++;
    this.#tab = tab;
  }

  /** First launch: nothing stored and nothing drafted yet. */
  get welcome(): boolean {
    return !this.cross.active && this.list.loaded && this.list.items.length === 0 && this.session === null && !this.design.touched;
  }

  async init(): Promise<void> {
    await Promise.all([this.info.load(), this.list.refresh(), this.list.loadExamples()]);
    const latest = this.list.items[0];
    if (latest && this.session === null && !this.design.touched)
      await this.select(latest.id, latest.status === 'running' ? 'runs' : 'compare');
  }

  /** Shows experiment `id`, then `tab` unless the user picked a tab while it loaded. */
  async select(id: string, tab: TabId | null = null): Promise<void> {
    this.cross.close();
    const tabChanges = this.#tabChanges;
    if (this.session?.id !== id) {
      this.session?.dispose();
      const session = new ExperimentSession(
        this.api,
        id,
        this.toasts,
        () => this.theme.resolved,
        () => this.info.info?.engineVersion ?? '',
      );
      this.session = session;
      await session.load();
      if (this.session !== session) return;
      if (session.view) this.design.load(session.view.experiment.spec, id);
      void session.compare.refresh();
    }
    if (tab && this.#tabChanges === tabChanges) this.tab = tab;
  }

  newExperiment(): void {
    this.cross.close();
    this.session?.dispose();
    this.session = null;
    this.design.newDraft();
    this.tab = 'design';
  }

  openExample(card: ExampleCard): void {
    this.cross.close();
    this.session?.dispose();
    this.session = null;
    this.design.load(card.spec, null);
    this.tab = 'design';
  }

  /** Open…: the native dialog, or, where the host has none, a prompt for a path (openPath). */
  async openFile(): Promise<void> {
    if (this.info.info === null) await this.info.load();
    if (this.info.info?.nativeDialogs === false) this.askingPath = true;
    else await this.openPath(null);
  }

  async openPath(path: string | null): Promise<void> {
    if (await this.design.open(path)) {
      this.askingPath = false;
      this.cross.close();
      this.session?.dispose();
      this.session = null;
      this.tab = 'design';
    }
  }

  async runExample(card: ExampleCard): Promise<void> {
    this.startingId = card.id;
    try {
      const r = await this.api.startExperiment(card.spec);
      if (!this.toasts.check(r, `Could not start "${card.title}"`)) return;
      await this.list.refresh();
      await this.select(r.value.experimentId, 'runs');
    } finally {
      this.startingId = null;
    }
  }

  async runDraft(): Promise<void> {
    const id = await this.design.start();
    if (!id) return;
    await this.list.refresh();
    if (this.session?.id === id) {
      await this.session.load();
      this.tab = 'runs';
    } else await this.select(id, 'runs');
  }

  #handle(e: ApiEvent): void {
    if (e.type === 'pool') {
      this.pool.update(e);
      return;
    }
    if (e.type === 'menu') {
      if (e.command === 'new-experiment') this.newExperiment();
      else if (e.command === 'open-experiment') void this.openFile();
      else {
        this.cross.close();
        this.tab = 'export';
      }
      return;
    }
    if (e.type !== 'run-progress') this.list.refreshSoon();
    if (e.type === 'run-finished') this.cross.runEnded(e.experimentId);
    this.session?.handle(e);
  }

  dispose(): void {
    this.#unsubscribe();
    this.session?.dispose();
    this.design.dispose();
    this.cross.dispose();
    this.list.dispose();
    this.theme.dispose();
  }
}

/**
 * Managing stored experiments from the sidebar: which one's dialog is open, and rename, tags,
 * archive, duplicate, delete (asked for confirmation first) and the store's trash, through the
 * Api. Each action refreshes the list and reports failures (a running experiment cannot be
 * renamed or deleted: the services say so) as a toast.
 */
import type { Api, ExperimentListItem, TrashItem } from '../../../shared/api';
import type { ExperimentListState } from './list.svelte';
import type { ToastState } from './toasts.svelte';

export interface ManageHost {
  /** The selected experiment's id (a deleted one is deselected). */
  selectedId(): string | null;
  select(id: string): Promise<void>;
  deselect(): void;
  /** Where deletes go: the system's trash or the store's (AppInfo.trash). */
  trash(): 'os' | 'store' | undefined;
  /** Reloads the selected experiment (its shown name changed). */
  reloadSelected(): Promise<void>;
}

export class ManageState {
  /** The experiment whose Manage dialog is open. */
  target = $state.raw<ExperimentListItem | null>(null);
  /** The dialog asks "Delete ...?" before deleting. */
  confirmingDelete = $state(false);
  busy = $state(false);
  trashOpen = $state(false);
  trashItems = $state.raw<TrashItem[]>([]);

  constructor(
    private readonly api: Api,
    private readonly list: ExperimentListState,
    private readonly toasts: ToastState,
    private readonly host: ManageHost,
  ) {}

  open(item: ExperimentListItem): void {
    this.target = item;
    this.confirmingDelete = false;
  }

  close(): void {
    this.target = null;
    this.confirmingDelete = false;
  }

  /** Saves the name and tags typed in the dialog (only what changed). */
  async save(name: string, tags: string[]): Promise<boolean> {
    const t = this.target;
    if (!t) return false;
    const shown = t.labels.name ?? t.name;
    return this.#act(async () => {
      if (name.trim() !== shown) {
        const r = await this.api.renameExperiment(t.id, name.trim() === '' ? null : name.trim());
        if (!this.toasts.check(r, `Could not rename "${shown}"`)) return false;
      }
      if (tags.join('\n') !== t.labels.tags.join('\n')) {
        const r = await this.api.tagExperiment(t.id, tags);
        if (!this.toasts.check(r, `Could not tag "${shown}"`)) return false;
      }
      if (this.host.selectedId() === t.id) await this.host.reloadSelected();
      this.close();
      return true;
    });
  }

  async archive(archived: boolean): Promise<void> {
    const t = this.target;
    if (!t) return;
    await this.#act(async () => {
      const r = await this.api.archiveExperiment(t.id, archived);
      if (!this.toasts.check(r, `Could not ${archived ? 'archive' : 'unarchive'} "${t.labels.name ?? t.name}"`)) return;
      this.toasts.push('info', archived ? `Archived "${t.labels.name ?? t.name}" (shown by the Archived filter)` : 'Unarchived');
      this.close();
    });
  }

  async duplicate(): Promise<void> {
    const t = this.target;
    if (!t) return;
    await this.#act(async () => {
      const r = await this.api.duplicateExperiment(t.id);
      if (!this.toasts.check(r, `Could not duplicate "${t.labels.name ?? t.name}"`)) return;
      this.close();
      await this.list.refresh();
      await this.host.select(r.value.experimentId);
    });
  }

  async remove(): Promise<void> {
    const t = this.target;
    if (!t) return;
    await this.#act(async () => {
      const name = t.labels.name ?? t.name;
      const r = await this.api.deleteExperiment(t.id);
      if (!this.toasts.check(r, `Could not delete "${name}"`)) return;
      if (this.host.selectedId() === t.id) this.host.deselect();
      this.toasts.push('success', r.value.where === 'os' ? `Moved "${name}" to the system trash` : `Moved "${name}" to the store's trash`);
      this.close();
    });
  }

  async openTrash(): Promise<void> {
    this.trashOpen = true;
    await this.refreshTrash();
  }

  async refreshTrash(): Promise<void> {
    const r = await this.api.listTrash();
    if (this.toasts.check(r, 'Could not list the trash')) this.trashItems = r.value;
  }

  async restore(item: TrashItem): Promise<void> {
    await this.#act(async () => {
      const r = await this.api.restoreExperiment(item.trashId);
      if (!this.toasts.check(r, `Could not restore "${item.name}"`)) return;
      this.toasts.push('success', `Restored "${item.name}"`);
      await this.refreshTrash();
    });
  }

  async #act<T>(work: () => Promise<T>): Promise<T> {
    this.busy = true;
    try {
      return await work();
    } finally {
      this.busy = false;
      await this.list.refresh();
    }
  }
}

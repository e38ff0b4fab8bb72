/**
 * The Api's experiment-management methods (rename, tag, archive, duplicate, delete, the trash) on
 * the store's operations (src/services/store/manage.ts). What the store cannot know is checked
 * here: an experiment this process is training is refused by name before the store's writer lock
 * would refuse it less clearly. A delete moves the folder to the store's trash first (one atomic
 * rename under the writer lock); a host with a system trash (the desktop app: `trashItem`) then
 * moves that entry on to it, and a failure there leaves it restorable in the store's trash.
 * Main thread.
 */
import { ENGINE_VERSION, errorMessage } from '../../engine/index.js';
import type { ApiArgs, ApiValue } from '../../shared/api.js';
import {
  archiveExperiment,
  duplicateExperiment,
  listTrash,
  renameExperiment,
  restoreExperiment,
  tagExperiment,
  trashExperiment,
} from '../store/manage.js';
import type { ExperimentStore } from '../store/experiment-store.js';

type ManageMethod =
  | 'renameExperiment'
  | 'tagExperiment'
  | 'archiveExperiment'
  | 'duplicateExperiment'
  | 'deleteExperiment'
  | 'listTrash'
  | 'restoreExperiment';

export type ManageHandlers = { [M in ManageMethod]: (...args: ApiArgs<M>) => Promise<ApiValue<M>> };

export interface ManageContext {
  store: ExperimentStore;
  /** Whether this process is training the experiment now. */
  isRunning(id: string): boolean;
  /** Moves a folder to the system's trash (the desktop app); absent where there is none. */
  trashItem?: (folder: string) => Promise<void>;
}

export function manageHandlers(c: ManageContext): ManageHandlers {
  const refuseRunning = (id: string, doing: string) => {
    if (c.isRunning(id)) throw new Error(`cannot ${doing} "${id}" while it is training: cancel its runs first (Runs tab), then try again`);
  };
  return {
    renameExperiment: async (id, name) => {
      refuseRunning(id, 'rename');
      await renameExperiment(c.store, id, name);
      return null;
    },
    tagExperiment: async (id, tags) => {
      await tagExperiment(c.store, id, tags);
      return null;
    },
    archiveExperiment: async (id, archived) => {
      await archiveExperiment(c.store, id, archived);
      return null;
    },
    duplicateExperiment: async (id) => ({ experimentId: await duplicateExperiment(c.store, id, ENGINE_VERSION) }),
    deleteExperiment: async (id) => {
      refuseRunning(id, 'delete');
      const entry = await trashExperiment(c.store, id);
      if (!c.trashItem) return { where: 'store', trashId: entry.trashId };
      try {
        await c.trashItem(entry.path);
      } catch (err) {
        throw new Error(`"${entry.name}" was moved to the store's trash (${entry.path}) but not to the system trash: ${errorMessage(err)}`);
      }
      return { where: 'os', trashId: null };
    },
    listTrash: async () => (await listTrash(c.store)).map(({ trashId, id, name, deletedAt }) => ({ trashId, id, name, deletedAt })),
    restoreExperiment: async (trashId) => ({ experimentId: await restoreExperiment(c.store, trashId) }),
  };
}

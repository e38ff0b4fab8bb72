/**
 * The preload: the only code that can talk to the main process. It exposes `window.api`, an
 * object of named functions that each invoke one fixed channel. `ipcRenderer` itself is never
 * exposed, so the page cannot pick channels or listen to arbitrary events.
 *
 * Runs sandboxed, so it is bundled into one CommonJS file that requires only `electron`.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { Api, Result } from '../shared/api.js';
import { IPC_CHANNELS, type IpcChannel } from '../shared/ipc-channels.js';

/** Invokes `channel`; a failed invoke (no handler, serialization error) becomes an error Result. */
async function invoke<T>(channel: IpcChannel, ...args: unknown[]): Promise<Result<T>> {
  try {
    return (await ipcRenderer.invoke(channel, ...args)) as Result<T>;
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

const api: Api = {
  appInfo: () => invoke(IPC_CHANNELS.appInfo),
};

contextBridge.exposeInMainWorld('api', api);

/**
 * The preload: the only code that can talk to the main process. It exposes `window.api`, an
 * object of named functions, one per method of the Api table (src/shared/api.ts), each invoking
 * that method's fixed channel. `ipcRenderer` itself is never exposed, so the page cannot pick
 * channels or listen to arbitrary events.
 *
 * Runs sandboxed, so it is bundled into one CommonJS file that requires only `electron`.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { API, API_METHODS, type Api, type ApiEvent, type Channel, type Result } from '../shared/api.js';
import { EVENT_CHANNEL } from '../shared/ipc-channels.js';

/** Invokes `channel`; a failed invoke (no handler, serialization error) becomes an error Result. */
async function invoke(channel: Channel, args: unknown[]): Promise<Result<unknown>> {
  try {
    return (await ipcRenderer.invoke(channel, ...args)) as Result<unknown>;
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * The function for one method: passes on every argument the page gave (the main process's guard
 * refuses a wrong count), and declares the table's arity as its `length`.
 */
function method(channel: Channel, arity: number): (...args: unknown[]) => Promise<Result<unknown>> {
  const call = (...args: unknown[]) => invoke(channel, args);
  return Object.defineProperty(call, 'length', { value: arity });
}

const api = Object.fromEntries(API_METHODS.map((m) => [m, method(API[m].channel, API[m].params.length)])) as Omit<Api, 'onEvent'>;

contextBridge.exposeInMainWorld('api', {
  ...api,
  onEvent: (listener: (event: ApiEvent) => void) => {
    // Only the event payload reaches the page, never the IpcRendererEvent (it exposes `sender`).
    const handler = (_e: unknown, event: ApiEvent) => listener(event);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  },
} satisfies Api);

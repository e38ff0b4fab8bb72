/**
 * The preload: the only code that can talk to the main process. It exposes `window.api`, an
 * object of named functions that each invoke one fixed channel. `ipcRenderer` itself is never
 * exposed, so the page cannot pick channels or listen to arbitrary events.
 *
 * Runs sandboxed, so it is bundled into one CommonJS file that requires only `electron`.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { Api, ApiEvent, Result } from '../shared/api.js';
import { EVENT_CHANNEL, IPC_CHANNELS, type IpcChannel } from '../shared/ipc-channels.js';

/** Invokes `channel`; a failed invoke (no handler, serialization error) becomes an error Result. */
async function invoke<T>(channel: IpcChannel, ...args: unknown[]): Promise<Result<T>> {
  try {
    return (await ipcRenderer.invoke(channel, ...args)) as Result<T>;
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

const C = IPC_CHANNELS;

const api: Api = {
  appInfo: () => invoke(C.appInfo),
  listExperiments: () => invoke(C.listExperiments),
  loadExperiment: (id) => invoke(C.loadExperiment, id),
  validateExperiment: (spec) => invoke(C.validateExperiment, spec),
  previewData: (data) => invoke(C.previewData, data),
  startExperiment: (spec) => invoke(C.startExperiment, spec),
  cancelRun: (experimentId, runId) => invoke(C.cancelRun, experimentId, runId),
  cancelExperiment: (experimentId) => invoke(C.cancelExperiment, experimentId),
  runMetrics: (experimentId, runId, fromOffset) => invoke(C.runMetrics, experimentId, runId, fromOffset),
  runDiagnostics: (experimentId, runId) => invoke(C.runDiagnostics, experimentId, runId),
  compare: (experimentId, baseline) => invoke(C.compare, experimentId, baseline),
  decisionBoundary: (experimentId, runId, resolution) => invoke(C.decisionBoundary, experimentId, runId, resolution),
  exportOnnx: (experimentId, runId, options) => invoke(C.exportOnnx, experimentId, runId, options),
  exportMetrics: (experimentId, format) => invoke(C.exportMetrics, experimentId, format),
  examples: () => invoke(C.examples),
  chooseDataFile: (kind) => invoke(C.chooseDataFile, kind),
  openExperimentFile: () => invoke(C.openExperimentFile),
  saveFile: (name, content, encoding) => invoke(C.saveFile, name, content, encoding),
  openStoreFolder: () => invoke(C.openStoreFolder),
  onEvent: (listener) => {
    // Only the event payload reaches the page, never the IpcRendererEvent (it exposes `sender`).
    const handler = (_e: unknown, event: ApiEvent) => listener(event);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  },
};

contextBridge.exposeInMainWorld('api', api);

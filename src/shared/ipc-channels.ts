/**
 * IPC channel names, namespaced verb-nouns. One channel per `Api` request method: the
 * `satisfies` clause fails to compile when a method has none. Events travel on EVENT_CHANNEL.
 */
import type { ApiMethod } from './api.js';

export const IPC_CHANNELS = {
  appInfo: 'app:info',
  listExperiments: 'experiment:list',
  loadExperiment: 'experiment:load',
  validateExperiment: 'experiment:validate',
  previewData: 'data:preview',
  startExperiment: 'experiment:start',
  cancelRun: 'run:cancel',
  cancelExperiment: 'experiment:cancel',
  runMetrics: 'run:metrics',
  runDiagnostics: 'run:diagnostics',
  compare: 'experiment:compare',
  decisionBoundary: 'run:boundary',
  exportOnnx: 'model:export',
  exportMetrics: 'metrics:export',
  examples: 'example:list',
  chooseDataFile: 'file:choose-data',
  openExperimentFile: 'file:open-experiment',
  saveFile: 'file:save',
  openStoreFolder: 'store:open-folder',
} as const satisfies Record<ApiMethod, `${string}:${string}`>;

export type IpcChannel = (typeof IPC_CHANNELS)[ApiMethod];

/** Main -> renderer pushed events (ApiEvent). */
export const EVENT_CHANNEL = 'event:push';

/**
 * IPC channel names, namespaced verb-nouns (`app:info`, later `experiment:start`, `run:cancel`).
 * One channel per `Api` method: the `satisfies` clause fails to compile when a method has none.
 */
import type { ApiMethod } from './api.js';

export const IPC_CHANNELS = {
  appInfo: 'app:info',
} as const satisfies Record<ApiMethod, `${string}:${string}`>;

export type IpcChannel = (typeof IPC_CHANNELS)[ApiMethod];

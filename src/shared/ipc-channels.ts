/**
 * The IPC channels of the desktop app, derived from the Api table (api.ts): one channel per request
 * method. Pushed events travel on EVENT_CHANNEL.
 */
import { API, type ApiMethod } from './api.js';

export const IPC_CHANNELS = Object.fromEntries(Object.entries(API).map(([method, entry]) => [method, entry.channel])) as {
  readonly [M in ApiMethod]: (typeof API)[M]['channel'];
};

export type IpcChannel = (typeof IPC_CHANNELS)[ApiMethod];

/** Main -> renderer pushed events (ApiEvent). */
export const EVENT_CHANNEL = 'event:push';

/**
 * IPC handlers: the main-process side of the `Api`. Each handler refuses senders that are not our
 * page, validates its payload, and always answers with a `Result` (it never throws across IPC).
 */
import { app, ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { AppInfo, Result } from '../shared/api.js';
import { IPC_CHANNELS, type IpcChannel } from '../shared/ipc-channels.js';
import { ENGINE_VERSION } from '../engine/version.js';
import { isOwnUrl } from './app-url.js';

export function registerIpcHandlers(devServerUrl: string | undefined): void {
  handle(IPC_CHANNELS.appInfo, devServerUrl, (args) => {
    if (args.length !== 0) return { ok: false, error: 'app:info takes no arguments' };
    const info: AppInfo = { name: 'Ablate', version: app.getVersion(), engineVersion: ENGINE_VERSION };
    return { ok: true, value: info };
  });
}

function handle<T>(
  channel: IpcChannel,
  devServerUrl: string | undefined,
  handler: (args: unknown[]) => Result<T> | Promise<Result<T>>,
): void {
  ipcMain.handle(channel, async (event: IpcMainInvokeEvent, ...args: unknown[]): Promise<Result<T>> => {
    // senderFrame is null once the frame navigated away or was destroyed: refuse then too.
    const url = event.senderFrame?.url;
    if (url === undefined || !isOwnUrl(url, devServerUrl)) {
      return { ok: false, error: `${channel}: refused, the request did not come from Ablate's own page` };
    }
    try {
      return await handler(args);
    } catch (e) {
      return { ok: false, error: `${channel}: ${e instanceof Error ? e.message : String(e)}` };
    }
  });
}

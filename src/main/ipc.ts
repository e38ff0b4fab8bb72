/**
 * IPC handlers: the main-process side of the `Api`. One handler per method of the Api table
 * (src/shared/api.ts), on its channel; each refuses senders that are not our page, then hands the
 * call to AppServices, which validates the payload against the table's schemas and always answers
 * with a `Result` (nothing throws across IPC). Pushed events go to the window on EVENT_CHANNEL.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { API, API_METHODS } from '../shared/api.js';
import { EVENT_CHANNEL } from '../shared/ipc-channels.js';
import type { AppServices } from '../services/app/app-services.js';
import { isOwnUrl } from './app-url.js';

export function registerIpcHandlers(services: AppServices, devServerUrl: string | undefined): void {
  for (const method of API_METHODS) {
    const channel = API[method].channel;
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      // senderFrame is null once the frame navigated away or was destroyed: refuse then too.
      const url = event.senderFrame?.url;
      if (url === undefined || !isOwnUrl(url, devServerUrl)) {
        return { ok: false, error: `${channel}: refused, the request did not come from Ablate's own page` };
      }
      return services.invoke(method, args);
    });
  }
}

/** Forwards the services' events to a window until it is destroyed. */
export function forwardEvents(services: AppServices, contents: WebContents): void {
  const unsubscribe = services.onEvent((e) => {
    if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, e);
  });
  contents.once('destroyed', unsubscribe);
}

/**
 * The page's side of the web transport (web-protocol.ts): an `Api` whose requests travel over one
 * WebSocket, one function per method of the Api table, each request carrying the token. Until the
 * socket opens, calls wait; once it has closed (the server stopped, the network dropped), every
 * call answers with an error Result that says what to do. Knows nothing of the DOM: the caller
 * opens the socket (src/renderer/src/web-api.ts in the page, a `ws` socket in the tests).
 */
import { API_METHODS, type Api, type ApiEvent, type Result } from './api.js';
import type { WebReply, WebRequest } from './web-protocol.js';

/** What this client needs of a WebSocket (the browser's and the `ws` package's both fit). */
export interface SocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed (the WebSocket standard's values). */
  readonly readyState: number;
  send(data: string): void;
  addEventListener(type: 'open' | 'close', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export const CONNECTION_LOST =
  'The connection to ablate serve was lost (it was stopped, or the network dropped). Reload the page; if ablate serve was started again, open the new URL it printed.';

export function createWebApi(socket: SocketLike, token: string): Api {
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Set<(event: ApiEvent) => void>();
  let next = 1;
  let closed = false;
  let markOpen: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (markOpen = resolve));

  const onClose = () => {
    closed = true;
    markOpen();
    for (const answer of pending.values()) answer({ ok: false, error: CONNECTION_LOST });
    pending.clear();
  };
  socket.addEventListener('open', () => markOpen());
  socket.addEventListener('close', onClose);
  if (socket.readyState === 1) markOpen();
  else if (socket.readyState > 1) onClose();
  socket.addEventListener('message', ({ data }) => {
    let reply: WebReply;
    try {
      reply = JSON.parse(String(data)) as WebReply;
    } catch {
      return;
    }
    if ('event' in reply) {
      for (const listener of listeners) listener(reply.event);
    } else {
      pending.get(reply.id)?.(reply.result);
      pending.delete(reply.id);
    }
  });

  const call =
    (method: string) =>
    async (...args: unknown[]) => {
      await opened;
      if (closed) return { ok: false, error: CONNECTION_LOST };
      const request: WebRequest = { id: next++, token, method, args };
      return new Promise<Result<unknown>>((resolve) => {
        pending.set(request.id, resolve);
        socket.send(JSON.stringify(request));
      });
    };
  const methods = Object.fromEntries(API_METHODS.map((m) => [m, call(m)])) as Omit<Api, 'onEvent'>;
  return {
    ...methods,
    onEvent(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

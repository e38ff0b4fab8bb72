/**
 * One page's WebSocket on the web server of `ablate serve`: every message must be a WebRequest
 * (shared/web-protocol.ts) carrying the server's token; it goes to AppServices.invoke, which checks
 * the method and its arguments against the Api table as it does for the desktop app's IPC, and
 * the Result goes back with the request's id. Pushed events go to every open socket. A message
 * that is not a well-formed request with the right token closes the socket (policy violation).
 * Main thread.
 */
import type { WebSocket } from 'ws';
import type { ApiEvent } from '../../../shared/api.js';
import type { WebReply, WebRequest } from '../../../shared/web-protocol.js';
import type { AppServices } from '../app-services.js';
import { sameToken } from './access.js';

/** WebSocket close code 1008: the message broke the protocol's rules. */
const POLICY_VIOLATION = 1008;

export function serveApiSocket(socket: WebSocket, services: AppServices, token: string): void {
  const send = (reply: WebReply) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(reply));
  };
  const unsubscribe = services.onEvent((event: ApiEvent) => send({ event }));
  socket.on('close', unsubscribe);
  socket.on('message', (data, isBinary) => {
    const request = isBinary ? null : parseRequest(String(data));
    if (request === null) return socket.close(POLICY_VIOLATION, 'not an Api request');
    if (!sameToken(request.token, token)) return socket.close(POLICY_VIOLATION, 'wrong token');
    void services.invoke(request.method, request.args).then((result) => send({ id: request.id, result }));
  });
}

function parseRequest(text: string): WebRequest | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Partial<WebRequest>;
  const ok = Number.isSafeInteger(r.id) && typeof r.token === 'string' && typeof r.method === 'string' && Array.isArray(r.args);
  return ok ? (r as WebRequest) : null;
}

/**
 * The web server of `ablate serve`: the built UI (out/renderer) over HTTP and the Api over a
 * WebSocket (api-socket.ts), both on the same AppServices the desktop app uses. Every request
 * passes access.ts (token, Host, Origin); files are served with the desktop app's path rules
 * (page/page-path.ts: nothing outside the UI's folder) and headers (page/headers.ts: its CSP). The
 * server logs nothing: the token appears only in the URL its caller prints. Main thread.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { SESSION_HEADER, TOKEN_PARAM, WEB_SESSION_PATH, WEB_SOCKET_PATH } from '../../../shared/web-protocol.js';
import type { AppServices } from '../app-services.js';
import { pageHeaders } from '../page/headers.js';
import { mimeTypeFor } from '../page/mime-types.js';
import { resolvePagePath } from '../page/page-path.js';
import { checkAccess, newToken, tokenCookie, type Access, type AccessRules } from './access.js';
import { serveApiSocket } from './api-socket.js';

export interface WebServerOptions {
  services: AppServices;
  /** The built UI: out/renderer. */
  rendererDir: string;
  /** Address to bind (127.0.0.1 unless the user allowed remote access). */
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Accept any Host header (the user passed --allow-remote). */
  remote: boolean;
  /** The secret; a fresh random one by default. */
  token?: string;
}

export interface WebServer {
  /** The port it listens on. */
  port: number;
  token: string;
  /** The page's URL for `hostName` (the bound address by default), with the token. */
  url(hostName?: string): string;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/** The largest WebSocket message accepted: an experiment spec is at most 1 MB. */
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

export async function startWebServer(o: WebServerOptions): Promise<WebServer> {
  const token = o.token ?? newToken();
  const rules: AccessRules = { token, port: 0, remote: o.remote };
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const server = createServer((req, res) => serveRequest(req, res, rules, o.rendererDir));

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const onSocketPath = (req.url ?? '').split('?')[0] === WEB_SOCKET_PATH;
    const access: Access = onSocketPath
      ? checkAccess(rules, req.url ?? '/', req.headers, true)
      : { ok: false, status: 403, reason: 'there is no socket at this path' };
    if (!access.ok) {
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${access.reason}\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveApiSocket(ws, o.services, token));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  rules.port = (server.address() as AddressInfo).port;

  return {
    port: rules.port,
    token,
    url: (hostName = o.host) => `http://${hostName.includes(':') ? `[${hostName}]` : hostName}:${rules.port}/?${TOKEN_PARAM}=${token}`,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function serveRequest(req: IncomingMessage, res: ServerResponse, rules: AccessRules, rendererDir: string): void {
  const url = req.url ?? '/';
  const access = checkAccess(rules, url, req.headers);
  if (!access.ok) return text(res, access.status, `Ablate: refused: ${access.reason}.`);
  // The first load with the token in its URL leaves a cookie, so reloads and new tabs work.
  if (access.tokenFromQuery) res.setHeader('Set-Cookie', tokenCookie(rules.port, rules.token));
  if (req.method !== 'GET' && req.method !== 'HEAD') return text(res, 405, 'Ablate: only GET and HEAD are served here.');

  const rawPath = url.split(/[?#]/)[0];
  if (rawPath === WEB_SESSION_PATH) {
    if (req.headers[SESSION_HEADER] !== '1') return text(res, 403, 'Ablate: refused: this endpoint is for the workbench page.');
    res.writeHead(200, pageHeaders('application/json'));
    res.end(JSON.stringify({ token: rules.token }));
    return;
  }
  if (rawPath === '/favicon.ico') {
    res.writeHead(204).end(); // a browser tab asks for one; the UI has none
    return;
  }
  const file = resolvePagePath(rendererDir, rawPath);
  const size = file === null ? -1 : fileSize(file);
  if (file === null || size < 0) return text(res, 404, 'Ablate: not found.');
  res.writeHead(200, { ...pageHeaders(mimeTypeFor(file)), 'Content-Length': String(size) });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

/** The size of a regular file, or -1 (missing, a folder, unreadable). */
function fileSize(file: string): number {
  try {
    const s = statSync(file);
    return s.isFile() ? s.size : -1;
  } catch {
    return -1;
  }
}

function text(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, pageHeaders('text/plain; charset=utf-8'));
  res.end(`${message}\n`);
}

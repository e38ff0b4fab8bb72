/**
 * Test-only back end for the UI end-to-end tests (never bundled into the app): serves the built
 * renderer (out/renderer) on 127.0.0.1 with the app's CSP and the app protocol's URL-to-file
 * mapping (src/main/protocol-path.ts), and implements the `Api` over a
 * WebSocket by calling the same AppServices the Electron IPC handlers call. The WebSocket refuses
 * any Origin but the page's own. `clientScript` is injected into the page (playwright
 * addInitScript) and defines `window.api` as a WebSocket client of that endpoint. Native dialogs
 * are answered from `dialogAnswers`, which a test sets before clicking.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { CONTENT_SECURITY_POLICY } from '../../src/services/app/page/csp.js';
import { APP_HOST, APP_SCHEME } from '../../src/main/app-url.js';
import { mimeTypeFor } from '../../src/services/app/page/mime-types.js';
import { resolveAppPath } from '../../src/main/protocol-path.js';
import { API_METHODS } from '../../src/services/app/api-guard.js';
import { AppServices } from '../../src/services/app/app-services.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface Harness {
  url: string;
  services: AppServices;
  dialogAnswers: { dataFile: string | null; experimentFile: string | null; savedFiles: Array<{ name: string; bytes: number }> };
  clientScript: string;
  close(): Promise<void>;
}

export async function startHarness(storeRoot: string): Promise<Harness> {
  const rendererDir = path.join(root, 'out/renderer');
  if (!existsSync(path.join(rendererDir, 'index.html'))) throw new Error('out/renderer is missing: run npm run build:app first');
  const dialogAnswers: Harness['dialogAnswers'] = { dataFile: null, experimentFile: null, savedFiles: [] };
  const services = new AppServices({
    storeRoot,
    workerPath: path.join(root, 'out/engine/worker.js'),
    embeddedDir: path.join(root, 'resources/runtime/mnist'),
    appVersion: 'e2e',
    poolSize: 2,
    dialogs: {
      chooseDataFile: async () => dialogAnswers.dataFile,
      openExperimentFile: async () => dialogAnswers.experimentFile,
      saveFile: async (name, data) => {
        dialogAnswers.savedFiles.push({ name, bytes: data.length });
        return path.join(storeRoot, '..', name);
      },
      openFolder: async () => undefined,
    },
  });

  const server: Server = createServer((req, res) => {
    const target = req.url ?? '/';
    if (target.split(/[?#]/)[0] === '/favicon.ico') {
      res.writeHead(204).end(); // the app protocol never asks for one; a browser tab does
      return;
    }
    // The app's own URL-to-file mapping (refuses malformed escapes and climbs out of the root).
    const file = target.startsWith('/') ? resolveAppPath(rendererDir, `${APP_SCHEME}://${APP_HOST}${target}`) : null;
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': mimeTypeFor(file), 'Content-Security-Policy': CONTENT_SECURITY_POLICY });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const origin = `http://127.0.0.1:${port}`;

  const wss = new WebSocketServer({
    server,
    path: '/api',
    verifyClient: (info: { origin: string }) => info.origin === origin,
  });
  wss.on('connection', (socket) => {
    const unsubscribe = services.onEvent((event) => socket.send(JSON.stringify({ event })));
    socket.on('close', unsubscribe);
    socket.on('message', async (data) => {
      let msg: { id: number; method: string; args: unknown[] };
      try {
        msg = JSON.parse(String(data));
      } catch {
        return;
      }
      const result = await services.invoke(msg.method, Array.isArray(msg.args) ? msg.args : []);
      socket.send(JSON.stringify({ id: msg.id, result }));
    });
  });

  return {
    url: origin,
    services,
    dialogAnswers,
    clientScript: clientScript(`ws://127.0.0.1:${port}/api`),
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.dispose();
    },
  };
}

/** Source of the in-page `window.api`: every Api method over one WebSocket, events to listeners. */
function clientScript(endpoint: string): string {
  return `(() => {
    const socket = new WebSocket(${JSON.stringify(endpoint)});
    const ready = new Promise((resolve) => socket.addEventListener('open', resolve, { once: true }));
    const pending = new Map();
    const listeners = new Set();
    let next = 1;
    socket.addEventListener('message', (m) => {
      const msg = JSON.parse(m.data);
      if (msg.event) { for (const l of listeners) l(msg.event); return; }
      const p = pending.get(msg.id); pending.delete(msg.id); if (p) p(msg.result);
    });
    const call = (method) => async (...args) => {
      await ready;
      const id = next++;
      return new Promise((resolve) => { pending.set(id, resolve); socket.send(JSON.stringify({ id, method, args })); });
    };
    const methods = ${JSON.stringify(API_METHODS)};
    const api = { onEvent: (l) => { listeners.add(l); return () => listeners.delete(l); } };
    for (const m of methods) api[m] = call(m);
    window.api = api;
  })();`;
}

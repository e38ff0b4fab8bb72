/**
 * The `app://` protocol that serves the built renderer (out/renderer) instead of `file://`: pages
 * get a real origin, relative URLs and module scripts work, and every response carries the CSP.
 */
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { APP_SCHEME } from './app-url.js';
import { pageHeaders } from '../services/app/page/headers.js';
import { mimeTypeFor } from '../services/app/page/mime-types.js';
import { resolveAppPath } from './protocol-path.js';

/**
 * Must run before the app is ready, and only once. `standard` gives the scheme origins and
 * relative URL resolution, `secure` makes it a secure context, `supportFetchAPI` lets module
 * scripts and fetch load from it. No `bypassCSP` and no `corsEnabled`: other origins stay out.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** Serves files under `rootDir` (read-only, GET and HEAD). Call after the app is ready. */
export function handleAppProtocol(rootDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return respond(405, 'Method not allowed');
    const file = resolveAppPath(rootDir, request.url);
    if (file === null) return respond(404, 'Not found');
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return respond(404, 'Not found');
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: pageHeaders(mimeTypeFor(file)),
    });
  });
}

function respond(status: number, text: string): Response {
  return new Response(text, { status, headers: pageHeaders('text/plain; charset=utf-8') });
}

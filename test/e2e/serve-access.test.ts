/**
 * `ablate serve` as a user starts it (a child process, the URL it printed): who gets in. Without
 * the token, with a wrong one, for another Host (DNS rebinding), from another Origin, for a path
 * outside the built UI, or with a socket message that lacks the token, the answer is a refusal;
 * with the token the page loads, leaves a cookie that lets reloads in, and the Api answers over the
 * socket with the desktop app's argument guard and the browser host's capabilities. --open hands
 * the browser a private redirect file, not the tokened URL. Bad flags (--host 0.0.0.0 without
 * --allow-remote, a missing --data folder) exit 2 with the reason.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createWebApi } from '../../src/shared/web-client.js';
import { startServe, type ServeProcess } from './serve-process.js';

const BIN = fileURLToPath(new URL('../../bin/ablate.js', import.meta.url));

let serve: ServeProcess;
let dir: string;
let dataDir: string;
let url: URL;
let token: string;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request to the server (Node's fetch will not send a Host header of our choosing). */
function get(target: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: url.port, path: target, method, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += String(d)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a socket; resolves with the HTTP status of a refused upgrade, or the open socket. */
function socket(query: string, headers: Record<string, string>): Promise<{ status: number; ws: WebSocket | null }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${url.port}/api/socket${query}`, { headers });
    ws.once('open', () => resolve({ status: 101, ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0, ws: null }));
    ws.once('error', () => resolve({ status: 0, ws: null }));
  });
}

const own = () => ({ Host: url.host, Origin: url.origin });

beforeAll(async () => {
  // Absolute paths throughout: on macOS the temporary folder is reached through a link, and the
  // server would report the store by its real path if it were given relative to its working folder.
  dir = mkdtempSync(path.join(tmpdir(), 'ablate-serve-'));
  dataDir = path.join(dir, 'data');
  mkdirSync(dataDir);
  serve = await startServe([path.join(dir, 'store'), '--port', '0', '--workers', '1', '--data', dataDir], dir);
  url = new URL(serve.url);
  token = url.searchParams.get('token') ?? '';
});
afterAll(async () => {
  await serve?.stop();
});

describe('ablate serve: access', () => {
  it('prints a loopback URL with a long random token, and the SSH tunnel recipe', () => {
    expect(url.hostname).toBe('127.0.0.1');
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(serve.output().stdout).toContain(`ssh -L ${url.port}:localhost:${url.port}`);
    // The token is printed once, in the URL, and nowhere else.
    const { stdout, stderr } = serve.output();
    expect(stdout.split(token).length - 1).toBe(1);
    expect(stderr).not.toContain(token);
  });

  it('refuses the page without the token, or with a wrong one', async () => {
    expect((await get('/')).status).toBe(403);
    expect((await get('/')).body).toMatch(/open the URL ablate serve printed/);
    expect((await get(`/?token=${'x'.repeat(32)}`)).status).toBe(403);
    expect((await get(`/?token=${token.slice(0, -1)}`)).status).toBe(403);
    expect((await get('/index.html', { Cookie: `ablate-token-${url.port}=wrong` })).status).toBe(403);
  });

  it('serves the page with the token, with the CSP, and leaves a cookie that lets reloads in', async () => {
    const page = await get(`/?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="app">');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const cookie = String(page.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`^ablate-token-${url.port}=${token}; Path=/; HttpOnly; SameSite=Strict$`));
    const reload = await get('/', { Cookie: cookie.split(';')[0] });
    expect(reload.status).toBe(200);
    expect(reload.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a Host that is not this computer (DNS rebinding), even with the token', async () => {
    for (const host of [`evil.example:${url.port}`, 'evil.example', `127.0.0.1.evil.example:${url.port}`]) {
      const r = await get(`/?token=${token}`, { Host: host });
      expect(r.status, host).toBe(403);
      expect(r.body).toMatch(/is not this computer/);
    }
    expect((await get(`/?token=${token}`, { Host: `localhost:${url.port}` })).status).toBe(200);
  });

  it('refuses requests and sockets from another Origin, even with the token', async () => {
    const r = await get(`/?token=${token}`, { Origin: 'http://evil.example' });
    expect(r.status).toBe(403);
    expect(r.body).toMatch(/another site/);
    expect((await socket(`?token=${token}`, { Host: url.host, Origin: 'http://evil.example' })).status).toBe(403);
    expect((await socket(`?token=${token}`, { Host: url.host, Origin: `http://localhost:${Number(url.port) + 1}` })).status).toBe(403);
    expect((await socket(`?token=${token}`, { Host: url.host })).status).toBe(403); // no Origin at all
  });

  it('refuses a socket without the token, or at another path', async () => {
    expect((await socket('', own())).status).toBe(403);
    expect((await socket('?token=nope', own())).status).toBe(403);
    const elsewhere = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${url.port}/elsewhere?token=${token}`, { headers: own() });
      ws.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => resolve(101));
    });
    expect(elsewhere).toBe(403);
  });

  it('serves nothing outside the built UI, and only GET and HEAD', async () => {
    const t = `token=${token}`;
    for (const p of [
      '/../../etc/passwd',
      '/..%2f..%2fetc%2fpasswd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets/..%5c..%5cpackage.json',
      '/C:/Windows/win.ini',
      '/nope.js',
    ]) {
      expect((await get(`${p}?${t}`)).status, p).toBe(404);
    }
    expect((await get(`/?${t}`, {}, 'POST')).status).toBe(405);
    expect((await get(`/api/session?${t}`)).status).toBe(403); // without the page's header
    const session = await get(`/api/session?${t}`, { 'x-ablate-session': '1' });
    expect(JSON.parse(session.body)).toEqual({ token });
  });

  it('answers the Api over the socket with the browser host capabilities and the app guard', async () => {
    const { ws } = await socket(`?token=${token}`, own());
    expect(ws).not.toBeNull();
    const api = createWebApi(ws!, token);
    const info = await api.appInfo();
    expect(info).toMatchObject({ ok: true, value: { nativeDialogs: false, fileRoots: [path.join(dir, 'store'), dataDir] } });
    // The same guard as the desktop app's IPC handlers.
    expect(await api.loadExperiment('../../etc')).toMatchObject({ ok: false, error: expect.stringMatching(/must match pattern/) });
    // No dialogs here: the answer says what to do instead.
    expect(await api.chooseDataFile('csv')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/no file dialog.*type the file's path/),
    });
    // Files outside the store and the --data folders cannot be named.
    const outside = await api.previewData({ source: 'csv', path: '/etc/passwd' });
    expect(outside).toMatchObject({ ok: false, error: expect.stringMatching(/outside the folders.*--data/) });
    expect(await api.openExperimentFile('/etc/hostname')).toMatchObject({ ok: false, error: expect.stringMatching(/outside the folders/) });
    ws!.close();
  });

  it('closes a socket whose message lacks the right token', async () => {
    const { ws } = await socket(`?token=${token}`, own());
    const closed = new Promise<number>((resolve) => ws!.once('close', (code) => resolve(code)));
    ws!.send(JSON.stringify({ id: 1, token: 'wrong', method: 'appInfo', args: [] }));
    expect(await closed).toBe(1008);
    const { ws: ws2 } = await socket(`?token=${token}`, own());
    const closed2 = new Promise<number>((resolve) => ws2!.once('close', (code) => resolve(code)));
    ws2!.send(JSON.stringify({ id: 1, method: 'appInfo', args: [] }));
    expect(await closed2).toBe(1008);
  });
});

describe.skipIf(process.platform !== 'linux')('ablate serve --open', () => {
  it('opens a private redirect file in the browser, not the tokened URL, and removes it on stop', async () => {
    // A stand-in for xdg-open that records what it was asked to open.
    const bin = path.join(dir, 'fake-bin');
    const record = path.join(dir, 'opened.txt');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > '${record}'\n`, { mode: 0o755 });
    const opened = await startServe(['store', '--port', '0', '--open'], dir, { ...process.env, PATH: `${bin}:${process.env.PATH}` });
    try {
      await expect.poll(() => existsSync(record), { timeout: 30_000 }).toBe(true);
      const file = readFileSync(record, 'utf8');
      const printed = new URL(opened.url);
      expect(file).not.toContain(printed.searchParams.get('token'));
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const html = readFileSync(file, 'utf8');
      expect(html).toContain(`http-equiv="refresh" content="0; url=${opened.url}"`);
    } finally {
      expect(await opened.stop()).toEqual({ code: 0, signal: null });
    }
    expect(existsSync(readFileSync(record, 'utf8'))).toBe(false);
  });
});

describe('ablate serve: flags', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [BIN, 'serve', ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });

  it('refuses --host 0.0.0.0 without --allow-remote, and says why and what to do', () => {
    const r = run('--host', '0.0.0.0');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/refusing --host 0.0.0.0 without --allow-remote/);
    expect(r.stderr).toMatch(/every network interface/);
    expect(r.stderr).toMatch(/ssh -L 6150:localhost:6150/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('refuses a --data folder that does not exist, and a bad port', () => {
    expect(run('--data', path.join(dir, 'missing')).stderr).toMatch(/--data .*missing: no such folder/);
    const r = run('--port', '70000');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--port must be a whole number from 0 to 65535/);
  });
});

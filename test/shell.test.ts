/**
 * The app shell's security-relevant pieces, checked without Electron: the built preload, the app
 * protocol's path resolution and MIME types, the CSP, the window's webPreferences, the URL guards
 * for IPC senders and external links, and that the main bundle leaves onnxruntime-node external.
 *
 * The checks on built files read out/ and need `npm run build:app` first (`npm test` does it).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { describe, it, expect } from 'vitest';
import { isOwnUrl } from '../src/main/app-url.js';
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from '../src/services/app/page/csp.js';
import { isVettedExternalUrl } from '../src/main/external-links.js';
import { mimeTypeFor } from '../src/services/app/page/mime-types.js';
import { resolveAppPath } from '../src/main/protocol-path.js';
import { mainWindowOptions } from '../src/main/window-options.js';
import { IPC_CHANNELS } from '../src/shared/ipc-channels.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = path.join(ROOT, 'out');

function readBuilt(relative: string): string {
  const file = path.join(OUT, relative);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build:app\` before this test`);
  return readFileSync(file, 'utf8');
}

/** The Content-Security-Policy the app must send, written out here rather than read from the code. */
const EXPECTED_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

describe('built preload', () => {
  /** Runs the bundle as Node would run a CommonJS file, with a fake `electron` that records calls. */
  function loadPreload() {
    const code = readBuilt('preload/index.cjs');
    const exposed: { key: string; value: unknown }[] = [];
    const invoked: unknown[][] = [];
    const required: string[] = [];
    const listeners: Array<[string, (e: unknown, payload: unknown) => void]> = [];
    const removed: unknown[][] = [];
    let invokeResult: () => Promise<unknown> = async () => ({ ok: true, value: 'from main' });
    const ipcRenderer = {
      invoke: (...args: unknown[]) => {
        invoked.push(args);
        return invokeResult();
      },
      on: (channel: string, listener: (e: unknown, payload: unknown) => void) => {
        listeners.push([channel, listener]);
        return ipcRenderer;
      },
      removeListener: (channel: string, listener: unknown) => {
        removed.push([channel, listener]);
        return ipcRenderer;
      },
      send: () => undefined,
    };
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.push({ key, value }) },
      ipcRenderer,
    };
    const fakeRequire = (id: string) => {
      required.push(id);
      if (id !== 'electron') throw new Error(`a sandboxed preload cannot require '${id}'`);
      return electron;
    };
    // Compiling as a classic script throws on `import`/`export`: passing here means it is CommonJS.
    const wrapper = vm.runInThisContext(`(function (require, module, exports) {${code}\n})`, { filename: 'index.cjs' });
    const module = { exports: {} };
    wrapper(fakeRequire, module, module.exports);
    return {
      exposed,
      invoked,
      required,
      ipcRenderer,
      listeners,
      removed,
      setInvokeResult: (f: () => Promise<unknown>) => (invokeResult = f),
    };
  }

  it('is CommonJS that requires only electron', () => {
    const code = readBuilt('preload/index.cjs');
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    const { required } = loadPreload();
    expect(new Set(required)).toEqual(new Set(['electron']));
  });

  it('exposes window.api, an object of named functions, one per Api method plus onEvent, and nothing else', () => {
    const { exposed, ipcRenderer } = loadPreload();
    expect(exposed.map((e) => e.key)).toEqual(['api']);
    const api = exposed[0].value as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...Object.keys(IPC_CHANNELS), 'onEvent'].sort());
    for (const [name, value] of Object.entries(api)) {
      expect(typeof value, `api.${name}`).toBe('function');
      expect(Object.values(ipcRenderer)).not.toContain(value);
    }
    expect(api).not.toBe(ipcRenderer);
  });

  it('sends each method on its own channel, passing only the arguments the page gave', async () => {
    const { exposed, invoked } = loadPreload();
    const api = exposed[0].value as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const [method, channel] of Object.entries(IPC_CHANNELS)) {
      const args = api[method].length === 0 ? [] : Array.from({ length: api[method].length }, (_, i) => `arg${i}`);
      invoked.length = 0;
      await expect(api[method](...args)).resolves.toEqual({ ok: true, value: 'from main' });
      expect(invoked).toEqual([[channel, ...args]]);
    }
  });

  it('delivers pushed events to listeners with the payload only (never the IPC event), and unsubscribes', () => {
    const { exposed, listeners, removed } = loadPreload();
    const api = exposed[0].value as { onEvent: (l: (e: unknown) => void) => () => void };
    const got: unknown[] = [];
    const off = api.onEvent((e) => got.push(e));
    expect(listeners.map(([c]) => c)).toEqual(['event:push']);
    listeners[0][1]({ sender: 'secret' }, { type: 'pool', busy: 0, workers: 2, queued: 0, samplesPerSec: 0 });
    expect(got).toEqual([{ type: 'pool', busy: 0, workers: 2, queued: 0, samplesPerSec: 0 }]);
    off();
    expect(removed).toEqual([['event:push', listeners[0][1]]]);
  });

  it('turns a failed invoke into an error result instead of a rejection', async () => {
    const { exposed, setInvokeResult } = loadPreload();
    setInvokeResult(() => Promise.reject(new Error("No handler registered for 'app:info'")));
    const api = exposed[0].value as Record<string, () => Promise<unknown>>;
    await expect(api.appInfo()).resolves.toEqual({ ok: false, error: "No handler registered for 'app:info'" });
  });
});

describe('app protocol path resolution', () => {
  const root = path.join(os.tmpdir(), 'ablate-renderer');
  const inRoot = (...p: string[]) => path.join(root, ...p);

  it('serves files under the root, and index.html for the root', () => {
    expect(resolveAppPath(root, 'app://ablate/index.html')).toBe(inRoot('index.html'));
    expect(resolveAppPath(root, 'app://ablate/')).toBe(inRoot('index.html'));
    expect(resolveAppPath(root, 'app://ablate')).toBe(inRoot('index.html'));
    expect(resolveAppPath(root, 'app://ablate/assets/index-DaNpkiM5.js')).toBe(inRoot('assets', 'index-DaNpkiM5.js'));
    expect(resolveAppPath(root, 'app://ablate/assets/index.css?v=2#top')).toBe(inRoot('assets', 'index.css'));
    expect(resolveAppPath(root, 'app://ablate/fonts/Inter%20Var.woff2')).toBe(inRoot('fonts', 'Inter Var.woff2'));
  });

  const refused = [
    // traversal, plain and encoded in every way a decoder might accept
    'app://ablate/../../etc/passwd',
    'app://ablate/assets/../../../etc/passwd',
    'app://ablate/..%2f..%2fetc%2fpasswd',
    'app://ablate/..%2F..%2Fetc%2Fpasswd',
    'app://ablate/%2e%2e/%2e%2e/etc/passwd',
    'app://ablate/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
    'app://ablate/.%2e/.%2e/etc/passwd',
    'app://ablate/%252e%252e/%252e%252e/etc/passwd',
    'app://ablate/%252e%252e%252f%252e%252e%252fetc%252fpasswd',
    'app://ablate/..%5c..%5cwindows%5cwin.ini',
    'app://ablate/..\\..\\windows\\win.ini',
    'app://ablate/./index.html',
    // Windows drives and streams, NUL, broken escapes
    'app://ablate/C:/Windows/win.ini',
    'app://ablate/C%3A%5CWindows%5Cwin.ini',
    'app://ablate/index.html::$DATA',
    'app://ablate/index.html%00.png',
    'app://ablate/%E0%A4%A',
    // not our scheme or host
    'app://other/index.html',
    'app://ablate:8080/index.html',
    'file:///etc/passwd',
    'https://ablate/index.html',
    'not a url',
  ];
  it.each(refused)('refuses %s', (url) => {
    expect(resolveAppPath(root, url)).toBeNull();
  });

  it('never resolves outside the root', () => {
    const probes = [...refused, 'app://ablate//etc/passwd', 'app://ablate/a/b/../../c', 'app://ablate/%2fetc%2fpasswd'];
    for (const url of probes) {
      const file = resolveAppPath(root, url);
      if (file !== null) expect(file.startsWith(root + path.sep), `${url} -> ${file}`).toBe(true);
    }
  });

  it('sends JavaScript modules, HTML and CSS with their types', () => {
    expect(mimeTypeFor('/r/assets/index-x.js')).toBe('text/javascript; charset=utf-8');
    expect(mimeTypeFor('/r/index.html')).toBe('text/html; charset=utf-8');
    expect(mimeTypeFor('/r/assets/index-x.CSS')).toBe('text/css; charset=utf-8');
    expect(mimeTypeFor('/r/kernels.wasm')).toBe('application/wasm');
    expect(mimeTypeFor('/r/unknown.bin')).toBe('application/octet-stream');
    expect(mimeTypeFor('/r/x.constructor')).toBe('application/octet-stream');
  });
});

describe('content security policy', () => {
  it("is electron.md's policy", () => {
    expect(CONTENT_SECURITY_POLICY).toBe(EXPECTED_CSP);
  });

  it('is repeated in index.html (source and built) without frame-ancestors, which a meta tag cannot carry', () => {
    expect(META_CONTENT_SECURITY_POLICY).toBe(EXPECTED_CSP.replace("; frame-ancestors 'none'", ''));
    const metaCsp = (html: string) => /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)?.[1];
    expect(metaCsp(readFileSync(path.join(ROOT, 'src/renderer/index.html'), 'utf8'))).toBe(META_CONTENT_SECURITY_POLICY);
    expect(metaCsp(readBuilt('renderer/index.html'))).toBe(META_CONTENT_SECURITY_POLICY);
  });

  it('lets the built page load its scripts and styles from its own origin only', () => {
    const html = readBuilt('renderer/index.html');
    const sources = [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(sources.length).toBeGreaterThan(0);
    for (const src of sources) expect(src, src).toMatch(/^\.\/assets\//);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline scripts
  });
});

describe('main window', () => {
  it('is created with the literal secure webPreferences of electron.md, and nothing more', () => {
    const options = mainWindowOptions('/app/out/preload/index.cjs', '#ffffff');
    expect(options.webPreferences).toEqual({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
    });
  });
});

describe('URL guards', () => {
  it('trusts IPC only from our app:// pages (and the dev server when one is given)', () => {
    expect(isOwnUrl('app://ablate/index.html')).toBe(true);
    expect(isOwnUrl('app://ablate/')).toBe(true);
    expect(isOwnUrl('app://evil/index.html')).toBe(false);
    expect(isOwnUrl('app://ablate.evil/index.html')).toBe(false);
    expect(isOwnUrl('file:///app/out/renderer/index.html')).toBe(false);
    expect(isOwnUrl('https://ablate/index.html')).toBe(false);
    expect(isOwnUrl('about:blank')).toBe(false);
    expect(isOwnUrl('')).toBe(false);
    expect(isOwnUrl('http://localhost:5173/')).toBe(false);
    expect(isOwnUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isOwnUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
    expect(isOwnUrl('data:text/html,x', 'data:text/html,x')).toBe(false);
  });

  it('opens only vetted https links externally', () => {
    expect(isVettedExternalUrl('https://github.com/onnx/onnx')).toBe(true);
    expect(isVettedExternalUrl('https://onnxruntime.ai/docs/')).toBe(true);
    expect(isVettedExternalUrl('http://github.com/')).toBe(false);
    expect(isVettedExternalUrl('https://github.com.evil.example/')).toBe(false);
    expect(isVettedExternalUrl('https://user:pw@github.com/')).toBe(false);
    expect(isVettedExternalUrl('https://github.com:8443/')).toBe(false);
    expect(isVettedExternalUrl('https://evil.example/')).toBe(false);
    expect(isVettedExternalUrl('file:///etc/passwd')).toBe(false);
    expect(isVettedExternalUrl('javascript:alert(1)')).toBe(false);
    expect(isVettedExternalUrl('app://ablate/index.html')).toBe(false);
  });

  it('names IPC channels as namespaced verb-nouns', () => {
    for (const channel of Object.values(IPC_CHANNELS)) expect(channel).toMatch(/^[a-z]+:[a-z]+(-[a-z]+)*$/);
  });

  it('gives every Api method a channel of its own', () => {
    const channels = Object.values(IPC_CHANNELS);
    expect(new Set(channels).size).toBe(channels.length);
    expect(channels).not.toContain('event:push');
  });
});

describe('built main', () => {
  it('leaves onnxruntime-node external instead of bundling it', () => {
    readBuilt('main/index.js');
    const files = readdirSync(path.join(OUT, 'main'), { recursive: true, encoding: 'utf8' }).filter((f) => /\.[cm]?js$/.test(f));
    for (const file of files) {
      const code = readFileSync(path.join(OUT, 'main', file), 'utf8');
      // Markers of onnxruntime-node's own code (dist/binding.js), present only if it was bundled.
      expect(code, file).not.toMatch(/onnxruntime_binding|initOrtOnce/);
    }
  });
});

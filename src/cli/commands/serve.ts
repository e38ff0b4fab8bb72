/**
 * `ablate serve [STORE]`: the workbench in a browser, for machines without a display (servers,
 * clusters) reached through an SSH tunnel. The built UI and the same AppServices the desktop app
 * uses, over HTTP and a WebSocket (services/app/web/), on 127.0.0.1 unless --allow-remote; a
 * random token in the printed URL guards the page and every socket message. There are no dialogs:
 * files are typed as paths under the store and the --data folders, saves are browser downloads.
 * Ctrl-C (or SIGTERM) cancels running experiments (completed runs are kept; running one again
 * resumes), stops the workers and exits 0.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { AppServices } from '../../services/app/app-services.js';
import { browserDialogs } from '../../services/app/web/browser-dialogs.js';
import { startWebServer, type WebServer } from '../../services/app/web/web-server.js';
import { UsageError } from '../errors.js';
import { embeddedDataDir, workerPath } from '../paths.js';
import { openInBrowser } from './serve-open.js';
import { DEFAULT_PORT, serveOptions, type ServeOptions } from './serve-options.js';

/** Should cleanup hang (it should not), the process still ends this long after Ctrl-C. */
const EXIT_DEADLINE_MS = 30_000;

export async function serveCommand(args: string[]): Promise<number> {
  const o = serveOptions(args);
  const rendererDir = fileURLToPath(new URL('../renderer', import.meta.url));
  if (!existsSync(`${rendererDir}/index.html`)) {
    throw new UsageError(`serve: the workbench UI is not built (${rendererDir} is missing); run "npm run build" first`);
  }
  mkdirSync(o.store, { recursive: true });
  const services = new AppServices({
    storeRoot: o.store,
    workerPath: workerPath(),
    embeddedDir: embeddedDataDir(),
    appVersion: packageVersion(),
    dialogs: browserDialogs(),
    nativeDialogs: false,
    fileRoots: o.dataDirs,
    poolSize: o.workers,
  });
  // Ctrl-C is handled from here on, so a signal that comes while the server starts, or right
  // after the URL is printed, still stops everything cleanly.
  let server: WebServer | null = null;
  let closeOpener: (() => void) | null = null;
  let stopping = false;
  let finish: (code: number) => void = () => undefined;
  const stopped = new Promise<number>((resolve) => (finish = resolve));
  const stop = () => {
    if (stopping) process.exit(130); // a second Ctrl-C: do not wait
    stopping = true;
    say('stopping: cancelling running experiments (completed runs are kept; running one again resumes)');
    setTimeout(() => process.exit(1), EXIT_DEADLINE_MS).unref();
    closeOpener?.();
    void Promise.resolve(server?.close())
      .then(() => services.dispose())
      .then(
        () => done(0),
        () => done(1),
      );
  };
  const done = (code: number) => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    say('stopped');
    finish(code);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  try {
    server = await startWebServer({ services, rendererDir, host: o.host, port: o.port, remote: o.remote });
  } catch (err) {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await services.dispose();
    throw listenError(err as NodeJS.ErrnoException, o);
  }
  if (stopping) {
    // Stopped while starting: the stop above ran before there was a server to close.
    await server.close();
    return stopped;
  }
  const url = server.url(browserHost(o.host));
  if (o.open) closeOpener = openInBrowser(url, (why) => say(`could not open a browser (${why}); open the URL yourself`));
  printBanner(o, server, services.pool.size);
  return stopped;
}

function printBanner(o: ServeOptions, server: WebServer, workers: number): void {
  const every = o.host === '0.0.0.0' || o.host === '::';
  const lines = [
    `Ablate workbench: store ${o.store}, ${workers} worker${workers === 1 ? '' : 's'}`,
    `Files the page may open: under the store${o.dataDirs.length ? ` and ${o.dataDirs.join(', ')}` : ' (add folders with --data DIR)'}`,
    '',
    'Open this URL in a browser (it carries the access token; keep it to yourself):',
    `    ${server.url(browserHost(o.host))}`,
  ];
  if (every) lines.push(`    ${server.url(hostname())}`);
  if (!o.remote) {
    lines.push(
      '',
      `From another computer: ssh -L ${server.port}:localhost:${server.port} <this host>, then open the URL there` +
        (server.port === DEFAULT_PORT ? '.' : ` (same port: ${server.port}).`),
    );
  }
  lines.push('', 'Press Ctrl-C to stop.');
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The host to put in the printed URL: a wildcard address is not something a browser can open. */
function browserHost(host: string): string {
  return host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
}

function listenError(err: NodeJS.ErrnoException, o: ServeOptions): Error {
  if (err.code === 'EADDRINUSE') {
    return new UsageError(`serve: port ${o.port} on ${o.host} is already in use (another ablate serve?); choose another with --port N`);
  }
  if (err.code === 'EACCES') return new UsageError(`serve: not allowed to listen on port ${o.port}; choose one above 1023 with --port N`);
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') {
    return new UsageError(`serve: --host ${o.host} is not an address of this machine`);
  }
  return err;
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function say(text: string): void {
  process.stderr.write(`ablate serve: ${text}\n`);
}

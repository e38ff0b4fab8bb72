/**
 * The flags of `ablate serve`, checked before anything starts: the store folder, the port, the
 * address (loopback unless --allow-remote, with the reason when refused), the --data folders (each
 * must be an existing folder), the worker count.
 */
import { quoteInput } from '../../engine/index.js';
import { statSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { isLoopbackName } from '../../services/app/web/access.js';
import { parse, positiveInt } from '../args.js';
import { UsageError } from '../errors.js';

export const DEFAULT_PORT = 6150;
export const SERVE_USAGE = 'ablate serve [STORE] [--port N] [--host 127.0.0.1] [--open] [--data DIR]... [--allow-remote] [--workers N]';

export interface ServeOptions {
  store: string;
  port: number;
  host: string;
  open: boolean;
  dataDirs: string[];
  remote: boolean;
  workers: number | undefined;
}

export function serveOptions(args: string[]): ServeOptions {
  const { values, positionals } = parse(
    'serve',
    args,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      open: { type: 'boolean' },
      data: { type: 'string', multiple: true },
      'allow-remote': { type: 'boolean' },
      workers: { type: 'string' },
    },
    1,
  );
  const host = values.host ?? '127.0.0.1';
  const remote = values['allow-remote'] ?? false;
  if (host === '' || (isIP(host) === 0 && !/^[A-Za-z0-9.-]+$/.test(host))) {
    throw new UsageError(`serve: --host must be an IP address or a host name, got ${quoteInput(String(host))}`);
  }
  if (!remote && !isLoopbackName(host)) throw new UsageError(remoteRefusal(host));
  return {
    store: path.resolve(positionals[0] ?? 'ablate-runs'),
    port: port(values.port),
    host,
    open: values.open ?? false,
    dataDirs: (values.data ?? []).map(dataDir),
    remote,
    workers: positiveInt('serve', 'workers', values.workers),
  };
}

function port(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535)
    throw new UsageError(`serve: --port must be a whole number from 0 to 65535 (0: any free port), got ${quoteInput(String(value))}`);
  return n;
}

function dataDir(dir: string): string {
  const abs = path.resolve(dir);
  let isDir = false;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    throw new UsageError(`serve: --data ${dir}: no such folder`);
  }
  if (!isDir) throw new UsageError(`serve: --data ${dir} is a file; name the folder that holds your data files`);
  return abs;
}

function remoteRefusal(host: string): string {
  const every = host === '0.0.0.0' || host === '::';
  return (
    `serve: refusing --host ${host} without --allow-remote. ` +
    `${every ? 'It listens on every network interface' : 'It is not a loopback address'}, so anyone who can reach this ` +
    'machine and learns the URL (the token travels unencrypted over plain HTTP) could run experiments here and read ' +
    'the files under the store and the --data folders. To use the workbench from another computer, keep the default ' +
    `127.0.0.1 and tunnel: ssh -L ${DEFAULT_PORT}:localhost:${DEFAULT_PORT} <this host>, then open the printed URL there. ` +
    'On a network you trust, add --allow-remote.'
  );
}

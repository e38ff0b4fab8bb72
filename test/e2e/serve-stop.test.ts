/**
 * `ablate serve` stops cleanly on Ctrl-C (SIGINT) while an experiment trains: it cancels the
 * experiment, exits 0, its port is free again, its process is gone, and the store keeps what was
 * complete (running the experiment again resumes the rest). Not on Windows, where a process cannot
 * be sent SIGINT: Node's kill() ends it outright (a console's Ctrl-C does reach the handler).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ApiEvent } from '../../src/shared/api.js';
import { createWebApi } from '../../src/shared/web-client.js';
import { spiralSpec } from '../helpers/experiments.js';
import { startServe } from './serve-process.js';

/** Whether anything accepts connections on `port` of 127.0.0.1. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(process.platform === 'win32')('ablate serve on SIGINT', () => {
  it('cancels the running experiment, exits 0 and leaves no process or open port behind', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ablate-serve-stop-'));
    const serve = await startServe(['store', '--port', '0', '--workers', '1'], dir);
    const url = new URL(serve.url);
    const token = url.searchParams.get('token') ?? '';
    const ws = new WebSocket(`ws://${url.host}/api/socket?token=${token}`, { headers: { Origin: url.origin } });
    const api = createWebApi(ws, token);
    const events: ApiEvent[] = [];
    api.onEvent((e) => events.push(e));

    // 4 runs of the most epochs a run may have, so that none can finish before the signal: 2000
    // epochs once did, trained in 0.39 s before the first progress event arrived.
    const EPOCHS = 1_000_000;
    const started = await api.startExperiment(
      spiralSpec('stop me', { train: { epochs: EPOCHS, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } } }),
    );
    expect(started.ok).toBe(true);
    await expect.poll(() => events.some((e) => e.type === 'run-progress'), { timeout: 60_000 }).toBe(true);

    const pid = serve.child.pid!;
    const ended = await serve.stop('SIGINT');
    expect(ended).toEqual({ code: 0, signal: null });
    expect(serve.output().stderr).toMatch(/stopping: cancelling running experiments[\s\S]*stopped/);
    expect(alive(pid)).toBe(false);
    expect(await listening(Number(url.port))).toBe(false);

    // What the store holds: the experiment, and no run marked complete that did not finish.
    const store = path.join(dir, 'store');
    const [experiment] = readdirSync(store);
    const runs = readdirSync(path.join(store, experiment, 'runs'));
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) {
      const summary = path.join(store, experiment, 'runs', run, 'summary.json');
      if (!existsSync(summary)) continue;
      const { status, epochsRun } = JSON.parse(readFileSync(summary, 'utf8')) as { status: string; epochsRun: number };
      expect(epochsRun, run).toBeLessThan(EPOCHS);
      expect(status, run).not.toBe('completed');
    }
  });
});

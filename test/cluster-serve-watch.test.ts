/**
 * Watching a store that other processes fill, through `ablate serve` (issue 19.3: serve started on
 * a cluster's login node, reached through an SSH tunnel). A real `ablate serve` child process on an
 * empty store, its Api over the WebSocket as the page uses it; an `ablate run --claim` in another
 * process (an array task) trains an experiment into that store. The page hears the experiment
 * appear and every run start, stream its metric lines and finish, without reloading; afterwards
 * the served views list the experiment complete, with the weights the task wrote.
 */
import { writeFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ApiEvent, ExperimentView, MetricRecord } from '../src/shared/api.js';
import { createWebApi } from '../src/shared/web-client.js';
import { readMetrics } from '../src/services/store/metrics-reader.js';
import { startServe, type ServeProcess } from './e2e/serve-process.js';
import { startAblate } from './helpers/ablate-cli.js';
import { spiralSpec } from './helpers/experiments.js';
import { tempFolders } from './helpers/tmp.js';

const tmp = tempFolders('ablate-serve-watch');

/** Four runs of a few seconds each (on a quiet machine): a server that looks every second sees each one training. */
const spec = spiralSpec('watched through ablate serve', {
  data: { source: 'synthetic', kind: 'spiral', n: 2000, classes: 3, noise: 0.05, seed: 1 },
  train: { epochs: 1000, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } },
});

let serve: ServeProcess | null = null;
afterAll(async () => {
  await serve?.stop();
});

/** Resolves once `ok` holds (checked now and on every event heard). */
function until(subscribe: (l: () => void) => () => void, ok: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (ok()) return resolve();
    const off = subscribe(() => {
      if (!ok()) return;
      off();
      resolve();
    });
  });
}

describe('ablate serve on a store a cluster task fills', () => {
  it('streams the task’s experiment and runs to the page live, and lists them complete', async () => {
    const dir = tmp();
    const store = path.join(dir, 'store');
    serve = await startServe([store, '--port', '0', '--workers', '1'], dir);
    const url = new URL(serve.url);
    const token = url.searchParams.get('token') ?? '';
    const ws = new WebSocket(`ws://127.0.0.1:${url.port}/api/socket?token=${token}`, { headers: { Host: url.host, Origin: url.origin } });
    const api = createWebApi(ws, token);
    const events: ApiEvent[] = [];
    api.onEvent((e) => events.push(e));
    expect(await api.listExperiments()).toEqual({ ok: true, value: [] });

    const file = path.join(dir, 'experiment.json');
    writeFileSync(file, JSON.stringify(spec));
    const task = startAblate(['run', file, '--out', store, '--claim', '--workers', '1']);
    const done = await task.exited;
    expect(done.code, done.stderr).toBe(0);
    const [id] = await fs.readdir(store);
    const runIds = (await fs.readdir(path.join(store, id, 'runs'))).sort();
    expect(runIds).toHaveLength(4);
    // The server looks every second: wait (without a time limit of our own) for every finish.
    const finished = () => events.filter((e) => e.type === 'run-finished').length === runIds.length;
    await until((l) => api.onEvent(l), finished);

    expect(events.filter((e) => e.type === 'experiment-started')).toMatchObject([{ experimentId: id }]);
    let streamed = 0;
    for (const runId of runIds) {
      const mine = events.filter((e) => 'runId' in e && e.runId === runId);
      expect(mine[0]).toMatchObject({ type: 'run-started', experimentId: id });
      expect(mine.at(-1)).toMatchObject({ type: 'run-finished' });
      const progress = mine.filter((e) => e.type === 'run-progress');
      const records = progress.flatMap((e) => (e as { records: MetricRecord[] }).records);
      expect(records).toEqual((await readMetrics(path.join(store, id, 'runs', runId))).records); // every line, once
      if (progress.length >= 2) streamed++;
    }
    expect(streamed, 'no run was seen in the middle of its training').toBeGreaterThan(0);

    const listed = await api.listExperiments();
    expect(listed).toMatchObject({ ok: true, value: [{ id, status: 'done' }] });
    const view = await api.loadExperiment(id);
    expect(view.ok, JSON.stringify(view)).toBe(true);
    const runs = (view as { value: ExperimentView }).value.runs;
    expect(runs.map((r) => [r.runId, r.status])).toEqual(runIds.map((r) => [r, 'completed']));
    ws.close();
  }, 600_000);
});

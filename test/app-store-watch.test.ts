/**
 * The app watching a store that other processes fill (issue 19.3, src/services/app/store-watch.ts):
 * an experiment a `--claim` process trains appears, and its runs start, stream every metric line
 * once and finish, as the Api's own events; the app's views show a run another process trains as
 * running; and watching never writes to the store (every file's and folder's ctime unchanged).
 */
import { writeFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreWatcher } from '../src/services/app/store-watch.js';
import type { ApiEvent, ExperimentView, MetricRecord } from '../src/shared/api.js';
import { readMetrics } from '../src/services/store/metrics-reader.js';
import { ablate, startAblate } from './helpers/ablate-cli.js';
import { spiralSpec } from './helpers/experiments.js';
import { tempFolders } from './helpers/tmp.js';
import { testServices } from './helpers/app-services.js';

const tmp = tempFolders('ablate-watch');

/**
 * Four runs long enough to be seen training by a watcher that looks every 100 ms: at 120 epochs
 * they trained in 0.09-0.15 s each with the native kernels (2-core Zen 5), so close to that
 * interval that on a faster machine no run might be seen twice; 2000 epochs take about 17 times
 * as long.
 */
const EPOCHS = 2000;
const spec = spiralSpec('watched from the app', {
  data: { source: 'synthetic', kind: 'spiral', n: 1000, classes: 3, noise: 0.05, seed: 1 },
  train: { epochs: EPOCHS, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } },
});

function writeSpec(): string {
  const file = path.join(tmp(), 'experiment.json');
  writeFileSync(file, JSON.stringify(spec));
  return file;
}

/** Every entry under `dir` (hidden ones included) with its change time and size: any write changes one. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    const p = path.join(e.parentPath, e.name);
    const st = await fs.stat(p, { bigint: true });
    out.set(p, `${st.ctimeNs}:${st.size}`);
  }
  return out;
}

describe('watching a store another process trains into', () => {
  it('reports the experiment, every run start, every metric line once, every finish', async () => {
    const store = path.join(tmp(), 'store');
    await fs.mkdir(store);
    const events: ApiEvent[] = [];
    const watcher = new StoreWatcher(store, (e) => events.push(e), 100);
    await watcher.tick(); // takes stock of the empty store
    watcher.start();
    const trainer = startAblate(['run', writeSpec(), '--out', store, '--claim', '--workers', '1']);
    const done = await trainer.exited;
    expect(done.code, done.stderr).toBe(0);
    await watcher.stop();
    await watcher.tick(); // one last look after the process ended

    const [id] = await fs.readdir(store);
    const started = events.filter((e) => e.type === 'experiment-started');
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ experimentId: id, runs: expect.arrayContaining([expect.objectContaining({ epochs: EPOCHS })]) });
    const runIds = (await fs.readdir(path.join(store, id, 'runs'))).sort();
    expect(runIds).toHaveLength(4);
    let streamed = 0;
    for (const runId of runIds) {
      const mine = events.filter((e) => 'runId' in e && e.runId === runId);
      expect(mine[0]).toMatchObject({ type: 'run-started', threads: 1 });
      expect(mine.filter((e) => e.type === 'run-started')).toHaveLength(1);
      const finished = mine.filter((e) => e.type === 'run-finished');
      expect(finished).toHaveLength(1);
      expect(mine.at(-1)).toBe(finished[0]);
      const runDir = path.join(store, id, 'runs', runId);
      expect(finished[0]).toMatchObject({ summary: JSON.parse(await fs.readFile(path.join(runDir, 'summary.json'), 'utf8')) });
      const progress = mine.filter((e) => e.type === 'run-progress');
      const records = progress.flatMap((e) => (e as { records: MetricRecord[] }).records);
      expect(records).toEqual((await readMetrics(runDir)).records); // every line, once, in order
      if (progress.length >= 2) streamed++;
    }
    expect(streamed, 'no run was seen in the middle of its training').toBeGreaterThan(0);
  }, 600_000);
});

describe('a run another process trains, seen from the app', () => {
  it("is running in the app's views, and watching writes nothing", async () => {
    const store = path.join(tmp(), 'store');
    const r = ablate(['run', writeSpec(), '--out', store, '--workers', '2']);
    expect(r.code, r.stderr).toBe(0);
    const [id] = await fs.readdir(store);
    // Make one run look as if a task on another node were training it: no summary, no weights
    // yet, and a live claim of that node.
    const runId = (await fs.readdir(path.join(store, id, 'runs'))).sort()[1];
    const runDir = path.join(store, id, 'runs', runId);
    for (const f of ['summary.json', 'weights.bin', 'weights.index.json']) await fs.rm(path.join(runDir, f));
    await fs.mkdir(path.join(store, id, '.claims'));
    const owner = {
      token: 'cd'.repeat(12),
      host: 'node-9.cluster',
      pid: 4711,
      processStart: null,
      since: new Date().toISOString(),
      leaseMs: 3_600_000,
      purpose: `run ${runId}`,
    };
    await fs.writeFile(path.join(store, id, '.claims', runId), JSON.stringify(owner) + '\n');
    const before = await snapshot(store);

    const services = testServices(store);
    try {
      // Let the watcher look a few times.
      await new Promise((resolve) => setTimeout(resolve, 3500));
      const view = await services.invoke('loadExperiment', [id]);
      expect(view.ok, JSON.stringify(view)).toBe(true);
      const runs = (view as { value: ExperimentView }).value.runs;
      expect(runs.find((v) => v.runId === runId)).toMatchObject({ status: 'running', threads: 1 });
      expect(runs.filter((v) => v.status === 'completed')).toHaveLength(3);
      const listed = await services.invoke('listExperiments', []);
      expect(listed).toMatchObject({ ok: true, value: [{ id, status: 'running' }] });
    } finally {
      await services.dispose();
    }
    expect(await snapshot(store)).toEqual(before);
    expect(os.hostname()).not.toBe('node-9.cluster');
  }, 600_000);
});

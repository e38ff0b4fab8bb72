/**
 * The experiment runner's failure isolation and the services around stored runs: a run whose files
 * cannot be written (disk full, injected here) fails alone while its siblings train on, the folder
 * lock is released and a resume reruns only that run; the app reads a metrics file larger than one
 * read window; data file paths become absolute through each source's declared file fields; the
 * epoch cache serves complete runs only.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { absoluteDataPaths, dataFilePaths } from '../src/engine/data/paths.js';
import { WorkerPool } from '../src/engine/parallel/pool.js';
import { EpochCache } from '../src/services/experiments/epochs.js';
import { expandExperiment } from '../src/services/experiments/spec/expand.js';
import { failedSummary } from '../src/services/experiments/summary.js';
import { startExperiment, withAbsoluteDataPaths } from '../src/services/experiments/runner.js';
import type { ExperimentEvent as RunnerEvent } from '../src/shared/types/events.js';
import { validateExperiment } from '../src/services/experiments/spec/validate.js';
import type { ExperimentSpec, MetricRecord } from '../src/services/experiments/types.js';
import { StoreError } from '../src/services/store/errors.js';
import { ExperimentStore } from '../src/services/store/experiment-store.js';
import { METRICS_FILE } from '../src/services/store/layout.js';
import { loadExperiment } from '../src/services/store/reader.js';
import { spiralSpec as baseSpiralSpec } from './helpers/experiments.js';
import { EMBEDDED_DIR as embeddedDir, testServices, WORKER_PATH as workerPath } from './helpers/app-services.js';

const tmpRoots: string[] = [];
const tmp = (prefix: string): string => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  tmpRoots.push(dir);
  return dir;
};

let pool: WorkerPool;
beforeAll(() => {
  if (!existsSync(workerPath)) throw new Error(`missing ${workerPath}: run npm run build:engine first`);
  pool = new WorkerPool({ workerPath, size: 2 });
});
afterAll(async () => {
  await pool?.shutdown();
  for (const dir of tmpRoots) await fs.rm(dir, { recursive: true, force: true });
});

function spiralSpec(): ExperimentSpec {
  return validateExperiment(
    baseSpiralSpec('isolation', { train: { epochs: 3, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } } }),
    'isolation.json',
  );
}

/** A store whose writer for one run fails its first metrics append, as a full disk would. */
class DiskFullFor extends ExperimentStore {
  constructor(
    root: string,
    private readonly victim: () => string,
  ) {
    super(root);
  }

  override async createOrOpen(...args: Parameters<ExperimentStore['createOrOpen']>) {
    const handle = await super.createOrOpen(...args);
    const runWriter = handle.runWriter.bind(handle);
    handle.runWriter = async (runId: string) => {
      const writer = await runWriter(runId);
      if (runId === this.victim()) {
        writer.append = () => {
          throw new StoreError(path.join(writer.dir, METRICS_FILE), 'cannot write: no space left on device (ENOSPC)');
        };
      }
      return writer;
    };
    return handle;
  }
}

describe('a run whose files cannot be written', () => {
  it('fails alone: its siblings complete, the lock is released, and a resume reruns only it', async () => {
    const root = tmp('ablate-runner-');
    const spec = spiralSpec();
    let victim = '';
    const events: RunnerEvent[] = [];
    const job = await startExperiment(spec, {
      pool,
      store: new DiskFullFor(root, () => victim),
      embeddedDir,
      onEvent: (e) => events.push(e),
    });
    expect(job.runs).toHaveLength(4);
    victim = job.runs[1].id;
    const summaries = await job.done;

    expect(summaries).toHaveLength(4);
    const failed = summaries.filter((s) => s.status === 'failed');
    expect(failed.map((s) => s.runId)).toEqual([victim]);
    expect(failed[0].stopReason).toMatch(/no space left on device/);
    expect(summaries.filter((s) => s.status === 'completed')).toHaveLength(3);
    const finished = events.at(-1);
    expect(finished).toMatchObject({ type: 'experiment-finished' });
    expect((finished as { error?: string }).error).toBeUndefined();

    // On disk: the victim's summary says why; the others are complete with their weights.
    const stored = await loadExperiment(job.dir);
    for (const run of stored.runs) {
      expect(run.summary?.status).toBe(run.runId === victim ? 'failed' : 'completed');
      expect(run.complete).toBe(run.runId !== victim);
    }

    // The lock was released: the same spec opens again and trains only the failed run.
    victim = '';
    const resumed = await startExperiment(spec, { pool, store: new ExperimentStore(root), embeddedDir });
    expect(resumed.id).toBe(job.id);
    expect(resumed.skipped.sort()).toEqual(
      summaries
        .filter((s) => s.status === 'completed')
        .map((s) => s.runId)
        .sort(),
    );
    const again = await resumed.done;
    expect(again.map((s) => [s.runId, s.status])).toEqual([[job.runs[1].id, 'completed']]);
  }, 60_000);
});

describe('failedSummary', () => {
  it('describes a run that failed before training produced anything', () => {
    const [run] = expandExperiment(spiralSpec()).runs;
    const started = new Date('2026-01-02T03:04:05.000Z');
    const finished = new Date('2026-01-02T03:04:07.500Z');
    const s = failedSummary(run, 'cannot write config.json: disk full', started, finished, {
      result: null,
      trainRows: 160,
      kernels: 'naive',
      threads: 2,
    });
    expect(s).toEqual({
      runId: run.id,
      variantId: run.variant.id,
      seed: run.seed,
      status: 'failed',
      stopReason: 'cannot write config.json: disk full',
      epochsRun: 0,
      steps: 0,
      bestEpoch: null,
      stoppedEpoch: null,
      restoredBestWeights: false,
      weightsEpoch: null,
      divergedAtStep: null,
      final: null,
      best: null,
      test: null,
      confusion: null,
      timings: { startedAt: '2026-01-02T03:04:05.000Z', finishedAt: '2026-01-02T03:04:07.500Z', seconds: 2.5, samplesPerSec: 0 },
      weightsSha256: null,
      kernels: 'naive',
      threads: 2,
      engineVersion: expect.any(String),
    });
  });
});

describe('the app reads metrics past one read window', () => {
  it('returns every record of a metrics file larger than 4 MiB in one call, and the offset to go on from', async () => {
    const root = tmp('ablate-metrics-');
    const store = new ExperimentStore(path.join(root, 'store'));
    const spec = spiralSpec();
    const job = await startExperiment({ ...spec, compare: undefined, seeds: [1] }, { pool, store, embeddedDir });
    const [summary] = await job.done;
    const runDir = store.runDir(job.id, summary.runId);

    // Replace the run's metrics with ~6 MiB of step records (each line ~200 bytes).
    const pad = 'x'.repeat(160);
    const lines: string[] = [];
    for (let i = 0; i < 32_000; i++) lines.push(JSON.stringify({ kind: 'step', step: i, epoch: 0, loss: i / 7, pad }));
    const text = lines.join('\n') + '\n';
    expect(Buffer.byteLength(text)).toBeGreaterThan(5 * (1 << 20));
    await fs.writeFile(path.join(runDir, METRICS_FILE), text);

    const services = testServices(path.join(root, 'store'));
    try {
      const r = await services.invoke('runMetrics', [job.id, summary.runId, 0]);
      expect(r.ok).toBe(true);
      const { records, nextOffset } = (r as { value: { records: MetricRecord[]; nextOffset: number } }).value;
      expect(records).toHaveLength(32_000);
      expect((records.at(-1) as { step: number }).step).toBe(31_999);
      expect(nextOffset).toBe(Buffer.byteLength(text));
      // From the middle of the file: only the records after that offset.
      const half = Buffer.byteLength(lines.slice(0, 20_000).join('\n') + '\n');
      const rest = await services.invoke('runMetrics', [job.id, summary.runId, half]);
      expect((rest as { value: { records: MetricRecord[] } }).value.records).toHaveLength(12_000);
    } finally {
      await services.dispose();
    }
  }, 60_000);
});

describe('data file paths', () => {
  const base = path.resolve('/data/projects');

  it("makes each source's file fields absolute and leaves the rest alone", () => {
    const csv = { source: 'csv' as const, path: 'iris.csv', target: 'species' };
    expect(absoluteDataPaths(csv, base)).toEqual({ ...csv, path: path.join(base, 'iris.csv') });
    const idx = { source: 'idx' as const, images: 'a/img.gz', labels: path.resolve('/abs/lab.gz') };
    expect(absoluteDataPaths(idx, base)).toEqual({ ...idx, images: path.join(base, 'a/img.gz'), labels: path.resolve('/abs/lab.gz') });
    const synthetic = { source: 'synthetic' as const, kind: 'xor' as const, n: 10 };
    expect(absoluteDataPaths(synthetic, base)).toBe(synthetic);
    // Blank paths are left for validation to report, not turned into the base folder.
    const blank = { source: 'csv' as const, path: ' ' };
    expect(absoluteDataPaths(blank, base)).toEqual(blank);
  });

  it('lists the files a spec names, from unchecked input', () => {
    expect(dataFilePaths({ source: 'idx', images: 'i.gz', labels: 'l.gz' })).toEqual(['i.gz', 'l.gz']);
    expect(dataFilePaths({ source: 'csv', path: 7 })).toEqual([]);
    expect(dataFilePaths({ source: 'mnist' })).toEqual([]);
    expect(dataFilePaths({ source: 'nope', path: 'x' })).toEqual([]);
    expect(dataFilePaths(null)).toEqual([]);
  });

  it('stores an experiment with absolute data paths', () => {
    const spec = { ...spiralSpec(), data: { source: 'csv' as const, path: 'rel/data.csv', target: 'y' } };
    expect(withAbsoluteDataPaths(spec, base).data).toMatchObject({ path: path.join(base, 'rel/data.csv') });
    const synthetic = spiralSpec();
    expect(withAbsoluteDataPaths(synthetic, base)).toBe(synthetic);
  });
});

describe('EpochCache', () => {
  it('reads a complete run once and an unfinished run every time', async () => {
    const root = tmp('ablate-epochs-');
    const store = new ExperimentStore(root);
    const job = await startExperiment({ ...spiralSpec(), compare: undefined, seeds: [1] }, { pool, store, embeddedDir });
    await job.done;
    const [run] = (await loadExperiment(job.dir)).runs;
    expect(run.complete).toBe(true);
    const cache = new EpochCache();
    const first = await cache.epochsOf(run);
    expect(first.map((e) => e.epoch)).toEqual([0, 1, 2]);
    // A complete run's file never changes; the cache does not read it again (proved by removing it).
    const metrics = path.join(run.path, METRICS_FILE);
    const saved = await fs.readFile(metrics);
    await fs.rm(metrics);
    expect(await cache.epochsOf(run)).toBe(first);
    expect(cache.size).toBe(1);
    // An unfinished run is read each time.
    const unfinished = { ...run, complete: false };
    expect(await cache.epochsOf(unfinished)).toEqual([]);
    writeFileSync(metrics, saved);
    expect((await cache.epochsOf(unfinished)).length).toBe(3);
    expect(cache.size).toBe(1);
  }, 60_000);
});

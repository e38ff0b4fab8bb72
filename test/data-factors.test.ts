/**
 * Data factors (issue 20 item 4): compare["data.preprocess"], compare["data.trainSize"] and
 * compare["data.noise"] give variants their own data, and every run trains on its own:
 *  - standardized inputs have mean 0 and sd 1 per feature over the run's training rows, computed
 *    here in float64 from the raw generated points, and the statistics config.json records are
 *    those of the raw points at exactly those rows;
 *  - a train-size run trains on exactly that many rows: its step count is epochs x ceil(N / batch);
 *  - noise changes the points by the documented amount: x(noise) = x(0) + noise z, the same z;
 *  - runs with the same data and seed are bitwise identical on 1 and 2 workers;
 *  - bad values are refused with the field named.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPrepared, LR_RANGE_DEFAULTS } from '../src/engine/index.js';
import { makeSplits } from '../src/engine/data/split.js';
import { makeSynthetic } from '../src/engine/data/synthetic.js';
import { WorkerPool } from '../src/engine/parallel/pool.js';
import { designSignal } from '../src/services/app/design-signal.js';
import { dataMismatch } from '../src/services/experiments/cross-compare.js';
import { lrFind } from '../src/services/experiments/lr-find.js';
import { ExperimentData } from '../src/services/experiments/run-data.js';
import { startExperiment } from '../src/services/experiments/runner.js';
import { exportRun } from '../src/services/export-run.js';
import { inspectOnnx } from '../src/services/onnx/inspect.js';
import { expandExperiment } from '../src/services/experiments/spec/expand.js';
import { validateExperiment } from '../src/services/experiments/spec/validate.js';
import { ExperimentError } from '../src/services/experiments/spec/errors.js';
import { ExperimentStore } from '../src/services/store/experiment-store.js';
import { readMetrics } from '../src/services/store/metrics-reader.js';
import { loadExperiment } from '../src/services/store/reader.js';
import { unitsLearned } from '../src/services/units/units-learned.js';
import { spiralSpec } from './helpers/experiments.js';
import { EMBEDDED_DIR as embeddedDir, testServices, WORKER_PATH as workerPath } from './helpers/app-services.js';

const roots: string[] = [];
const tmp = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ablate-data-factors-'));
  roots.push(dir);
  return dir;
};

let pool1: WorkerPool;
let pool2: WorkerPool;
beforeAll(() => {
  if (!existsSync(workerPath)) throw new Error(`missing ${workerPath}: run npm run build:engine first`);
  pool1 = new WorkerPool({ workerPath, size: 1 });
  pool2 = new WorkerPool({ workerPath, size: 2 });
});
afterAll(async () => {
  await pool1?.shutdown();
  await pool2?.shutdown();
  for (const dir of roots) await fs.rm(dir, { recursive: true, force: true });
});

const DATA = { source: 'synthetic', kind: 'spiral', n: 300, classes: 3, noise: 0.05, seed: 1 } as const;

function errorOf(f: () => unknown): ExperimentError {
  try {
    f();
  } catch (e) {
    if (e instanceof ExperimentError) return e;
    throw e;
  }
  throw new Error('expected an ExperimentError');
}

async function train(raw: object, pool: WorkerPool) {
  const spec = validateExperiment(raw, 'data-factors.json');
  const root = tmp();
  const job = await startExperiment(spec, { pool, store: new ExperimentStore(root), embeddedDir });
  const summaries = await job.done;
  const loaded = await loadExperiment(job.dir);
  const runs = await Promise.all(
    loaded.runs.map(async (r) => ({
      id: r.runId,
      config: r.config!,
      summary: r.summary!,
      losses: (await readMetrics(r.path)).records.flatMap((m) => (m.kind === 'step' ? [m.loss] : [])),
    })),
  );
  return { job, summaries, runs, root };
}

/** Mean and population sd of feature j over `rows` of a row-major (n, d) matrix, in float64. */
function moments(x: Float32Array, d: number, rows: ArrayLike<number>, j: number): { mean: number; sd: number } {
  let sum = 0;
  for (let i = 0; i < rows.length; i++) sum += x[rows[i] * d + j];
  const mean = sum / rows.length;
  let ss = 0;
  for (let i = 0; i < rows.length; i++) ss += (x[rows[i] * d + j] - mean) ** 2;
  return { mean, sd: Math.sqrt(ss / rows.length) };
}

describe('compare["data.preprocess"] x compare["data.trainSize"]', () => {
  const raw = spiralSpec('data-factors', {
    data: DATA,
    train: { epochs: 2, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } },
    compare: { 'data.preprocess': ['none', 'standardize'], 'data.trainSize': [60, 200] },
    seeds: [1, 2],
  });
  let two: Awaited<ReturnType<typeof train>>;
  let one: Awaited<ReturnType<typeof train>>;
  beforeAll(async () => {
    two = await train(raw, pool2);
    one = await train(raw, pool1);
  }, 240_000);

  it('prepares one dataset per distinct data spec and records each run its own', () => {
    expect(two.job.data).toHaveLength(4);
    for (const r of two.runs) {
      expect(r.summary.status).toBe('completed');
      const v = r.config.variant.factors as Record<string, unknown>;
      expect(r.config.dataSpec).toMatchObject({ ...DATA, preprocess: v['data.preprocess'], trainSize: v['data.trainSize'] });
    }
  });

  it('is not drawn in the units view, which draws every variant over one data set', async () => {
    const u = await unitsLearned(await loadExperiment(two.job.dir), two.job.data[0].prepared, null);
    expect(u).toEqual({ kind: 'none', reason: expect.stringContaining('different data (data.preprocess, data.trainSize)') });
  });

  it('trains a train-size run on exactly that many rows (steps = epochs x ceil(N / batch))', () => {
    for (const r of two.runs) {
      const n = (r.config.variant.factors as Record<string, number>)['data.trainSize'];
      expect((r.config.data.splits as { train: number }).train).toBe(n);
      expect(r.summary.steps).toBe(2 * Math.ceil(n / 32));
      expect(r.losses).toHaveLength(2 * Math.ceil(n / 32));
    }
  });

  it('standardizes each variant on its own training rows: mean 0, sd 1 per feature', () => {
    const rawData = makeSynthetic({ ...DATA });
    for (const d of two.job.data) {
      const train = d.prepared.splits.train;
      expect(train.length).toBe(d.spec.trainSize);
      // The subset is drawn from the training split: never a validation or test row.
      const split = makeSplits(rawData.name, rawData.n, rawData.targets, { validation: 0.1, test: 0.1, seed: 0 });
      const full = new Set(split.train);
      expect([...train].every((i) => full.has(i))).toBe(true);
      expect([...d.prepared.splits.validation]).toEqual([...split.validation]);
      for (let j = 0; j < 2; j++) {
        if (d.spec.preprocess === 'standardize') {
          const m = moments(d.prepared.features, 2, train, j);
          expect(Math.abs(m.mean)).toBeLessThan(1e-6);
          expect(Math.abs(m.sd - 1)).toBeLessThan(1e-5);
          // The recorded statistics are the raw points' over exactly these rows.
          const r = moments(rawData.features, 2, train, j);
          const run = two.runs.find(
            (x) => x.config.dataSpec?.trainSize === d.spec.trainSize && x.config.dataSpec?.preprocess === 'standardize',
          )!;
          const stats = run.config.data.preprocess as { mean: number[]; std: number[]; rows: number };
          expect(stats.rows).toBe(d.spec.trainSize);
          expect(stats.mean[j]).toBeCloseTo(r.mean, 12);
          expect(stats.std[j]).toBeCloseTo(r.sd, 12);
        } else {
          const m = moments(d.prepared.features, 2, train, j);
          expect(m).toEqual(moments(rawData.features, 2, train, j));
        }
      }
    }
  });

  it('nests the train-size subsets: the smaller is a subset of the larger', () => {
    const bySize = new Map(two.job.data.map((d) => [d.spec.trainSize, new Set(d.prepared.splits.train)]));
    expect([...bySize.get(60)!].every((i) => bySize.get(200)!.has(i))).toBe(true);
  });

  it('gives preprocessing variants different inputs: same seed and rows, different losses', () => {
    const loss = (pre: string, n: number, seed: number) =>
      two.runs.find((r) => r.config.dataSpec?.preprocess === pre && r.config.dataSpec?.trainSize === n && r.config.seed === seed)!.losses;
    expect(loss('none', 200, 1)[0]).not.toBe(loss('standardize', 200, 1)[0]);
  });

  it('exports a run to ONNX with its own preprocessing (validated on its own rows)', async () => {
    const run = two.runs.find((r) => r.config.dataSpec?.preprocess === 'standardize' && r.config.dataSpec?.trainSize === 60)!;
    const result = await exportRun(path.join(two.job.dir, 'runs', run.id), { embeddedDir, outPath: path.join(tmp(), 'm.onnx') });
    const meta = inspectOnnx(new Uint8Array(await fs.readFile(result.path))).metadata;
    expect(JSON.parse(meta.input_preprocessing)).toEqual(run.config.data.preprocess);
    expect((run.config.data.preprocess as { kind: string }).kind).toBe('standardize');
    expect(result.report.passed).toBe(true);
  }, 120_000);

  it("draws a run's decision boundary over its own inputs (the app)", async () => {
    const services = testServices(two.root);
    try {
      const rawPoints = makeSynthetic({ ...DATA }).features;
      for (const pre of ['none', 'standardize']) {
        const run = two.runs.find((r) => r.config.dataSpec?.preprocess === pre && r.config.dataSpec?.trainSize === 60)!;
        const r = await services.invoke('decisionBoundary', [two.job.id, run.id, 20]);
        expect(r.ok).toBe(true);
        const x = (r as { value: { points: { x: number[] } } }).value.points.x;
        // The first point is row 0; standardized as x' = float32(float32(x - shift) / scale) with the run's own statistics.
        const stats = run.config.data.preprocess as { kind: string; shift?: number[]; scale?: number[] };
        const want = pre === 'none' ? rawPoints[0] : Math.fround(Math.fround(rawPoints[0] - stats.shift![0]) / stats.scale![0]);
        expect(x[0]).toBe(want);
      }
    } finally {
      await services.dispose();
    }
  }, 120_000);

  it('compares across experiments only when their runs used the same data specs', async () => {
    const [a, b] = await Promise.all([loadExperiment(two.job.dir), loadExperiment(one.job.dir)]);
    expect(dataMismatch([a, b])).toBeNull();
    const other = await train(
      spiralSpec('other', { data: DATA, train: { epochs: 1, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } }, seeds: [1] }),
      pool2,
    );
    expect(dataMismatch([a, await loadExperiment(other.job.dir)])).toMatch(
      /its runs use 1 data setting, .*'s 4, and they are not the same/,
    );
  }, 120_000);

  it('is bitwise identical on 1 and 2 workers', () => {
    expect(one.runs.map((r) => r.id)).toEqual(two.runs.map((r) => r.id));
    one.runs.forEach((r, i) => {
      expect(r.summary.weightsSha256).toBe(two.runs[i].summary.weightsSha256);
      expect(r.losses).toEqual(two.runs[i].losses);
    });
  });
});

describe('compare["data.noise"]', () => {
  it('moves every point by noise x the same standard normal draws', () => {
    const at = (noise: number) => makeSynthetic({ ...DATA, noise });
    const [x0, x1, x3] = [at(0), at(0.1), at(0.3)];
    expect([...(x1.targets.kind === 'class' ? x1.targets.labels : [])]).toEqual([
      ...(x0.targets.kind === 'class' ? x0.targets.labels : []),
    ]);
    for (let i = 0; i < x0.features.length; i++) {
      const z = (x1.features[i] - x0.features[i]) / 0.1;
      expect(x3.features[i] - x0.features[i]).toBeCloseTo(0.3 * z, 5);
    }
  });

  it('trains each noise variant on its own points', async () => {
    const { runs } = await train(
      spiralSpec('noise', {
        data: { ...DATA, preprocess: 'standardize' },
        train: { epochs: 1, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } },
        compare: { 'data.noise': [0, 0.3] },
        seeds: [1],
      }),
      pool2,
    );
    expect(runs).toHaveLength(2);
    const split = makeSplits('spiral', 300, makeSynthetic({ ...DATA }).targets, { validation: 0.1, test: 0.1, seed: 0 });
    for (const r of runs) {
      const noise = (r.config.variant.factors as Record<string, number>)['data.noise'];
      expect(r.config.dataSpec).toMatchObject({ noise });
      const points = makeSynthetic({ ...DATA, noise });
      const stats = r.config.data.preprocess as { mean: number[] };
      for (let j = 0; j < 2; j++) expect(stats.mean[j]).toBeCloseTo(moments(points.features, 2, split.train, j).mean, 12);
    }
    expect(runs[0].losses[0]).not.toBe(runs[1].losses[0]);
  }, 240_000);
});

describe('memory', () => {
  it('bounds all data specs of an experiment together by the per-dataset ceiling', async () => {
    const spec = validateExperiment(spiralSpec('mem', { data: DATA, compare: { 'data.preprocess': ['none', 'standardize'] } }), 'mem.json');
    const { runs } = expandExperiment(spec);
    // The spiral: 300 x 2 float32 features (2400 bytes) + 300 int32 labels (1200); standardize adds 2400.
    await new ExperimentData(spec.data, 'x', { embeddedDir, memoryLimitBytes: 6000 }).prepareFor(runs);
    await expect(new ExperimentData(spec.data, 'x', { embeddedDir, memoryLimitBytes: 5999 }).prepareFor(runs)).rejects.toThrow(
      /data specs so far\) would need 5\.9 KiB of memory, more than the limit of 5\.9 KiB per dataset; compare fewer data values/,
    );
  });
});

describe('the example of docs/experiments.md', () => {
  it('validates and expands: preprocess x regularizer, 4 variants of 5 seeds, each run with its own data spec', () => {
    const spec = validateExperiment(
      spiralSpec('bn-with-standardized-inputs', {
        data: { source: 'synthetic', kind: 'spiral', n: 2000, classes: 3 },
        compare: { 'data.preprocess': ['none', 'standardize'], regularizer: ['none', 'batchnorm'] },
        seeds: { count: 5 },
      }),
      'example.json',
    );
    const { variants, runs } = expandExperiment(spec);
    expect(variants.map((v) => v.id)).toEqual([
      'data.preprocess=none,regularizer=none',
      'data.preprocess=none,regularizer=batchnorm',
      'data.preprocess=standardize,regularizer=none',
      'data.preprocess=standardize,regularizer=batchnorm',
    ]);
    expect(runs).toHaveLength(20);
    expect(runs.map((r) => r.data?.preprocess)).toEqual([...Array(10).fill('none'), ...Array(10).fill('standardize')]);
    expect(runs.every((r) => r.data?.source === 'synthetic' && r.data.split.seed === 0)).toBe(true);
  });
});

describe('bad data factors', () => {
  const check = (compare: object, data: object = DATA) =>
    errorOf(() => validateExperiment(spiralSpec('bad', { data, compare }), 'bad.json')).message;

  it('names the field and what is allowed', () => {
    expect(check({ 'data.preprocess': ['none', 'zscore'] })).toContain(
      'compare["data.preprocess"][1]: must be one of "none", "scale01", "standardize", got "zscore"',
    );
    expect(check({ 'data.trainSize': [100, 0.5] })).toContain('compare["data.trainSize"][1]: must be a whole number, got 0.5');
    expect(check({ 'data.trainSize': [0] })).toContain('compare["data.trainSize"][0]: must be a whole number at least 1');
    expect(check({ 'data.noise': [-1] })).toContain('compare["data.noise"][0]: must be a number at least 0 and at most 100, got -1');
    expect(check({ 'data.noise': [0, 0] })).toContain('compare["data.noise"][1]: repeats compare["data.noise"][0]');
    expect(check({ 'data.split': [{}] })).toContain('compare["data.split"]: is not a data factor; the data factors are');
    expect(check({ 'data.noise': [0.1] }, { source: 'mnist' })).toContain(
      'compare["data.noise"]: in variant "data.noise=0.1": data.noise applies to synthetic data only; this experiment\'s data.source is "mnist"',
    );
  });

  it('refuses data factors in a search space', () => {
    const msg = errorOf(() =>
      validateExperiment(
        spiralSpec('bad', { compare: {}, search: { method: 'random', trials: 2, space: { 'data.noise': [0, 0.1] } } }),
        'bad.json',
      ),
    ).message;
    expect(msg).toContain('data factor');
  });

  it('refuses a train size larger than the training split when the data loads, naming data.trainSize', async () => {
    const spec = validateExperiment(spiralSpec('big', { data: DATA, compare: { 'data.trainSize': [100, 241] } }), 'big.json');
    expect(expandExperiment(spec).runs).toHaveLength(4);
    await expect(startExperiment(spec, { pool: pool2, store: new ExperimentStore(tmp()), embeddedDir })).rejects.toThrow(
      /data\.trainSize is 241, but the training split has only 240 rows/,
    );
  });
});

describe("the Design tab's signal at initialization with data factors", () => {
  it('measures each variant on its own data: the same numbers as a design without the factor', async () => {
    const base = { train: { epochs: 1, batchSize: 32, optimizer: { name: 'sgd', lr: 0.1 } }, seeds: [1] };
    const loadData = async (data: unknown) => (await loadPrepared(data, { embeddedDir })).prepared;
    const factored = await designSignal(
      validateExperiment(
        spiralSpec('signal-factors', { ...base, data: DATA, compare: { 'data.preprocess': ['none', 'standardize'] } }),
        'f.json',
      ),
      loadData,
    );
    for (const [k, preprocess] of (['none', 'standardize'] as const).entries()) {
      const alone = await designSignal(
        validateExperiment(spiralSpec('signal-alone', { ...base, data: { ...DATA, preprocess } }), 'a.json'),
        loadData,
      );
      expect(factored.variants[k].layers).toEqual(alone.variants[0].layers);
    }
    // And the two really differ: standardizing changes the first layer's input variance.
    expect(factored.variants[0].layers[0].preActivationVar).not.toBe(factored.variants[1].layers[0].preActivationVar);
  });
});

describe('the learning-rate range test with data factors', () => {
  it('tests each variant on its own data: the same curve as a design without the factor', async () => {
    const base = { train: { epochs: 1, batchSize: 32, optimizer: { name: 'sgd', lr: 0.1 } }, seeds: [1] };
    const o = { options: { ...LR_RANGE_DEFAULTS, steps: 30 }, baseDir: process.cwd(), embeddedDir, kernels: 'naive' as const };
    const factored = await lrFind(
      validateExperiment(spiralSpec('lr-factors', { ...base, data: DATA, compare: { 'data.trainSize': [60, 200] } }), 'f.json'),
      o,
    );
    for (const [k, trainSize] of [60, 200].entries()) {
      const alone = await lrFind(validateExperiment(spiralSpec('lr-alone', { ...base, data: { ...DATA, trainSize } }), 'a.json'), o);
      expect(factored.variants[k].result).toEqual(alone.variants[0].result);
    }
    expect(factored.trainRows).toBe(60);
  });
});

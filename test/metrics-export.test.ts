/**
 * The metrics export holds what it says (issue 13, item 5): every step, epoch, diagnostics,
 * dead-unit and event record of every run, in the layouts of docs/metrics-export.md, with epochs
 * numbered from 1 as the app numbers them (the defect: epochs only, numbered from 0). The CSV is
 * read back with papaparse, an independent parser, and compared with metrics.ndjson.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../src/engine/parallel/pool.js';
import { CSV_COLUMNS, exportMetrics } from '../src/services/app/metrics-export.js';
import { startExperiment } from '../src/services/experiments/runner.js';
import { validateExperiment } from '../src/services/experiments/spec/validate.js';
import type { MetricRecord, RunSummary } from '../src/services/experiments/types.js';
import { ExperimentStore } from '../src/services/store/experiment-store.js';
import { readMetrics } from '../src/services/store/metrics-reader.js';
import { loadExperiment } from '../src/services/store/reader.js';
import { spiralSpec } from './helpers/experiments.js';

const workerPath = fileURLToPath(new URL('../out/engine/worker.js', import.meta.url));
const embeddedDir = fileURLToPath(new URL('../resources/runtime/mnist', import.meta.url));

let dir: string;
let records: Map<string, MetricRecord[]>;
let plannedRun: string;

beforeAll(async () => {
  if (!existsSync(workerPath)) throw new Error(`missing ${workerPath}: run npm run build:engine first`);
  const pool = new WorkerPool({ workerPath, size: 2 });
  try {
    const spec = validateExperiment(
      spiralSpec('export', {
        train: { epochs: 3, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 }, earlyStopping: { patience: 5 } },
        diagnostics: { everySteps: 4 },
      }),
      'export.json',
    );
    const job = await startExperiment(spec, {
      pool,
      store: new ExperimentStore(mkdtempSync(path.join(tmpdir(), 'ablate-export-'))),
      embeddedDir,
    });
    await job.done;
    dir = job.dir;
  } finally {
    await pool.shutdown();
  }
  // One run loses its folder: it is planned again, and the export still lists it.
  const loaded = await loadExperiment(dir);
  plannedRun = loaded.runs[3].runId;
  rmSync(loaded.runs[3].path, { recursive: true });
  records = new Map();
  for (const r of loaded.runs.slice(0, 3)) records.set(r.runId, (await readMetrics(r.path)).records);
});
afterAll(() => dir && rmSync(path.dirname(dir), { recursive: true, force: true }));

const kinds = (rs: MetricRecord[], kind: MetricRecord['kind']) => rs.filter((r) => r.kind === kind);

describe('JSON export', () => {
  it('holds every record of every run by kind, epochs from 1, and lists the planned run', async () => {
    const { fileName, text } = await exportMetrics(await loadExperiment(dir), 'json');
    expect(fileName).toMatch(/-metrics\.json$/);
    const doc = JSON.parse(text);
    expect(doc).toMatchObject({ format: 'ablate-metrics', version: 1, epochsFrom: 1 });
    expect(doc.runs).toHaveLength(4);
    for (const run of doc.runs) {
      if (run.runId === plannedRun) {
        expect(run).toMatchObject({ state: 'planned', summary: null, steps: [], epochs: [], diagnostics: [] });
        continue;
      }
      const own = records.get(run.runId)!;
      expect(run.state).toBe('completed');
      expect(run.steps).toHaveLength(kinds(own, 'step').length);
      expect(run.epochs).toHaveLength(3);
      expect(run.diagnostics).toHaveLength(kinds(own, 'diag').length);
      expect(run.diagnostics.length).toBeGreaterThan(1);
      expect(run.dead).toHaveLength(kinds(own, 'dead').length);
      expect(run.epochs.map((e: { epoch: number }) => e.epoch)).toEqual([1, 2, 3]);
      expect(run.steps[0]).toEqual({ ...kinds(own, 'step')[0], kind: undefined, epoch: 1 });
      const s: RunSummary = run.summary;
      expect([s.weightsEpoch, s.final!.epoch]).toEqual([3, 3]);
    }
  });
});

describe('CSV export', () => {
  it('has one row per value in the documented columns, epochs from 1, matching metrics.ndjson', async () => {
    const { text } = await exportMetrics(await loadExperiment(dir), 'csv');
    const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual([...CSV_COLUMNS]);
    const rows = parsed.data;
    const [runId, own] = [...records.entries()][0];
    const mine = rows.filter((r) => r.run === runId);
    // Steps: 4 values each (loss, gradNorm, clipCoef, lr).
    const steps = kinds(own, 'step') as Array<Extract<MetricRecord, { kind: 'step' }>>;
    expect(mine.filter((r) => r.kind === 'step')).toHaveLength(4 * steps.length);
    const loss5 = mine.find((r) => r.kind === 'step' && r.step === '5' && r.metric === 'loss')!;
    expect(Number(loss5.value)).toBe(steps[4].loss);
    expect(Number(loss5.epoch)).toBe(steps[4].epoch + 1);
    // Epochs numbered 1..3, as the app shows them.
    expect([...new Set(mine.filter((r) => r.kind === 'epoch').map((r) => r.epoch))]).toEqual(['1', '2', '3']);
    const valLoss2 = mine.find((r) => r.kind === 'epoch' && r.epoch === '2' && r.metric === 'valLoss')!;
    const epoch1 = kinds(own, 'epoch')[1] as Extract<MetricRecord, { kind: 'epoch' }>;
    expect(Number(valLoss2.value)).toBe(epoch1.valLoss);
    // Diagnostics: per layer, with histogram bins.
    const diag = kinds(own, 'diag')[0] as Extract<MetricRecord, { kind: 'diag' }>;
    const bin = mine.find((r) => r.kind === 'diag' && r.step === String(diag.step) && r.layer === '0' && r.metric === 'histogram[7]')!;
    expect(Number(bin.value)).toBe(diag.layers[0].histogram!.counts[7]);
    const row = (metric: string) =>
      mine.find((r) => r.kind === 'diag' && r.step === String(diag.step) && r.layer === '1' && r.metric === metric)!;
    expect(Number(row('weightHistogram.hi').value)).toBe(diag.layers[1].weightHistogram.hi);
    expect(Number(row('gradHistogram[3]').value)).toBe(diag.layers[1].gradHistogram.counts[3]);
    expect(mine.some((r) => r.kind === 'dead' && r.metric === 'deadFraction')).toBe(true);
    expect(rows.every((r) => r.state !== 'planned')).toBe(true); // no records: no rows
    expect(Math.min(...rows.filter((r) => r.epoch !== '').map((r) => Number(r.epoch)))).toBe(1);
  });
});

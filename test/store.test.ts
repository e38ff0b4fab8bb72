/**
 * The experiment store (src/services/store, docs/store.md): round trips of every file, stable and
 * safe ids, the writer's ordering rules and lock, tolerant reading of truncated metrics and
 * damaged folders, weights size checks, and a writer process killed with SIGKILL at random
 * moments, after which every file must still read and every run with a summary must be complete.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { weightsSha256 } from '../src/engine/train/fingerprint.js';
import { weightsFingerprint } from '../src/services/store/weights.js';
import {
  canonicalJson,
  experimentId,
  ExperimentStore,
  listExperiments,
  loadExperiment,
  readMetrics,
  readMetricsFrom,
  readWeights,
  resolveInside,
  segmentProblem,
  sha256Hex,
  specHashOf,
  StoreError,
} from '../src/services/store/index.js';
import {
  bufferCountOf,
  failsOf,
  paramCountOf,
  recordOf,
  runConfigOf,
  runIdOf,
  stepsOf,
  summaryOf,
  testSpec,
  weightsOf,
} from './fixtures/store/plan.js';

const tmpRoots: string[] = [];
async function tmpStore(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ablate-store-'));
  tmpRoots.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of tmpRoots) await fs.rm(dir, { recursive: true, force: true });
});

/** Writes run i of plan.ts completely. */
async function writeRun(handle: Awaited<ReturnType<ExperimentStore['createOrOpen']>>, i: number): Promise<string> {
  const writer = await handle.runWriter(runIdOf(i));
  await writer.writeConfig(runConfigOf(i));
  for (let s = 0; s < stepsOf(i); s++) writer.append(recordOf(i, s));
  let sha: string | null = null;
  if (!failsOf(i)) sha = await writer.writeWeights(weightsOf(i).params, weightsOf(i).bnBuffers);
  await writer.writeSummary(summaryOf(i, sha));
  await writer.close();
  return writer.dir;
}

async function expectStoreError(p: Promise<unknown> | (() => unknown), ...fragments: (string | RegExp)[]): Promise<StoreError> {
  let caught: unknown;
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(StoreError);
  for (const f of fragments) expect((caught as Error).message).toMatch(f);
  return caught as StoreError;
}

describe('ids and hashes', () => {
  it('canonical JSON is independent of key order, and sha256Hex is SHA-256', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { y: 1, x: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"x":2,"y":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('experiment ids are a slug of the name plus 8 hex of the spec hash, stable across key order', () => {
    const hash = '3f2a9c01' + 'e'.repeat(56);
    expect(experimentId({ name: 'Why ReLU beat sigmoid?' }, hash)).toBe('why-relu-beat-sigmoid-3f2a9c01');
    expect(experimentId({ name: '  Ünïcödé / ../ CON  ' }, hash)).toBe('unicode-con-3f2a9c01');
    expect(experimentId({ name: '日本語' }, hash)).toBe('experiment-3f2a9c01');
    const long = experimentId({ name: 'a very long experiment name '.repeat(10) }, hash);
    expect(long.length).toBeLessThanOrEqual(48 + 9);
    expect(segmentProblem(long)).toBeNull();
    const spec = testSpec();
    const reordered = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(spec).reverse()))) as typeof spec;
    expect(Object.keys(reordered)[0]).toBe('seeds');
    expect(specHashOf(reordered)).toBe(specHashOf(spec));
    expect(experimentId(spec, specHashOf(spec))).toBe(experimentId(reordered, specHashOf(reordered)));
    expect(() => experimentId(spec, '../../etc')).toThrow(TypeError);
  });

  it('rejects hostile run ids and paths outside the store', async () => {
    const root = await tmpStore();
    const handle = await new ExperimentStore(root).createOrOpen(testSpec(), specHashOf(testSpec()), 'test');
    const hostile = [
      '',
      '.',
      '..',
      '../x',
      '..\\x',
      'a/b',
      'a\\b',
      '/etc',
      'C:evil',
      'a\u0000b',
      'tab\there',
      'new\nline',
      'CON',
      'nul.txt',
      'Com1',
      'LPT9.log',
      '.hidden',
      'dot.',
      'space ',
      'q?',
      'star*',
      'pipe|',
      'x'.repeat(129),
    ];
    for (const id of hostile) {
      expect(segmentProblem(id), JSON.stringify(id)).not.toBeNull();
      await expectStoreError(handle.runWriter(id), 'not a safe folder name');
      await expectStoreError(handle.resetRun(id), 'not a safe folder name');
    }
    for (const id of ['0-relu-s0', 'activation=relu,dropout-0.2-s1', 'π-run_1', 'console']) expect(segmentProblem(id), id).toBeNull();
    expect(resolveInside(root, '..')).toBeNull();
    expect(resolveInside(root, 'a', '..', '..', 'b')).toBeNull();
    expect(resolveInside(root, path.resolve('/elsewhere'))).toBeNull();
    expect(resolveInside(root, 'a', 'b')).toBe(path.join(root, 'a', 'b'));
    expect(() => new ExperimentStore(root).experimentDir('..')).toThrow(StoreError);
    await handle.close();
    expect((await fs.readdir(root)).sort()).toEqual([handle.id]); // nothing was created beside it
  });
});

describe('writer and reader round trip', () => {
  it('writes and reads back experiment.json, config, metrics, weights and summary', async () => {
    const root = await tmpStore();
    const spec = testSpec('Round trip');
    const hash = specHashOf(spec);
    const store = new ExperimentStore(root, { now: () => new Date('2024-05-06T07:08:09.000Z') });
    const handle = await store.createOrOpen(spec, hash, '0.1.0');
    expect(handle.resumed).toBe(false);
    expect(handle.id).toBe(`round-trip-${hash.slice(0, 8)}`);
    for (const i of [0, 1, 3]) await writeRun(handle, i);
    expect([...(await handle.completedRunIds())].sort()).toEqual([runIdOf(0), runIdOf(1)].sort()); // run 3 failed
    await handle.close();

    const loaded = await loadExperiment(handle.dir);
    expect(loaded.experiment).toEqual({
      id: handle.id,
      spec,
      engineVersion: '0.1.0',
      createdAt: '2024-05-06T07:08:09.000Z',
      specHash: hash,
    });
    expect(loaded.runs.map((r) => r.runId)).toEqual([runIdOf(0), runIdOf(1), runIdOf(3)].sort());
    for (const run of loaded.runs) {
      const i = run.config!.seed;
      expect(run.error).toBeUndefined();
      expect(run.config).toEqual(runConfigOf(i));
      expect(run.summary).toEqual(summaryOf(i, run.summary!.weightsSha256));
      expect(run.complete).toBe(!failsOf(i));
      expect(run.hasWeights).toBe(!failsOf(i));
      expect(run.hasOnnx).toBe(false);
      const metrics = await readMetrics(run.path);
      expect(metrics.truncatedLastLine).toBe(false);
      expect(metrics.records).toEqual(Array.from({ length: stepsOf(i) }, (_, s) => recordOf(i, s)));
      if (!failsOf(i)) {
        const w = await readWeights(run.path, paramCountOf(i), bufferCountOf(i), { expectedSha256: run.summary!.weightsSha256 });
        expect(w.params).toEqual(weightsOf(i).params);
        expect(w.bnBuffers).toEqual(weightsOf(i).bnBuffers);
        expect(w.paramsSha256).toBe(weightsSha256(weightsOf(i).params)); // the engine's fingerprint
      }
    }
    const listing = await listExperiments(root);
    expect(listing).toEqual([
      {
        id: handle.id,
        name: 'Round trip',
        createdAt: '2024-05-06T07:08:09.000Z',
        runCount: 3, // the test spec has no plan (it is not a valid experiment): run folders are counted
        planned: false,
        completedRuns: 2,
        damagedRuns: 0,
        statusSummary: { completed: 2, failed: 1 },
        path: handle.dir,
      },
    ]);
  });

  it('resumes the same spec in the same folder, keeps createdAt, and reruns only incomplete runs', async () => {
    const root = await tmpStore();
    const spec = testSpec('Resume');
    const store = new ExperimentStore(root);
    const first = await store.createOrOpen(spec, specHashOf(spec), '0.1.0');
    await writeRun(first, 0);
    await writeRun(first, 3); // failed: incomplete
    const w = await first.runWriter(runIdOf(1)); // interrupted: config and some metrics only
    await w.writeConfig(runConfigOf(1));
    w.append(recordOf(1, 0));
    await w.close();
    await first.close();

    const again = await store.createOrOpen(JSON.parse(JSON.stringify(spec)), specHashOf(spec), '0.2.0');
    expect(again.resumed).toBe(true);
    expect(again.dir).toBe(first.dir);
    expect(again.experiment.createdAt).toBe(first.experiment.createdAt);
    expect(again.experiment.engineVersion).toBe('0.1.0');
    expect([...(await again.completedRunIds())]).toEqual([runIdOf(0)]);
    await expectStoreError(again.runWriter(runIdOf(0)), 'complete', 'never overwritten');
    await expectStoreError(again.resetRun(runIdOf(0)), 'only removes incomplete runs');
    await expectStoreError(again.runWriter(runIdOf(1)), 'interrupted attempt', 'config.json, metrics.ndjson', 'resetRun');
    await again.resetRun(runIdOf(1));
    await again.resetRun(runIdOf(3));
    await again.resetRun('never-ran'); // no folder: a no-op
    expect((await fs.readdir(path.join(again.dir, 'runs'))).sort()).toEqual([runIdOf(0)]);
    await writeRun(again, 1);
    expect([...(await again.completedRunIds())].sort()).toEqual([runIdOf(0), runIdOf(1)].sort());
    await again.close();

    const other = await store.createOrOpen(testSpec('Resume'.padEnd(7, '!')), specHashOf(testSpec('Resume!')), '0.1.0');
    expect(other.dir).not.toBe(first.dir); // another spec, another folder
    await other.close();
  });

  it('enforces the write order and refuses a second writer', async () => {
    const root = await tmpStore();
    const spec = testSpec('Order');
    const store = new ExperimentStore(root);
    const handle = await store.createOrOpen(spec, specHashOf(spec), 'test');
    await expectStoreError(store.createOrOpen(spec, specHashOf(spec), 'test'), 'already open for writing by this process', '.writer.lock');
    const w = await handle.runWriter(runIdOf(0));
    await expectStoreError(handle.runWriter(runIdOf(0)), 'writer for this run is open');
    await expectStoreError(() => w.append(recordOf(0, 0)), 'config.json', 'writeConfig first');
    await expectStoreError(w.writeConfig({ ...runConfigOf(0), runId: 'other' }), 'for run "other"');
    await w.writeConfig(runConfigOf(0));
    await expectStoreError(w.writeConfig(runConfigOf(0)), 'written once');
    w.append(recordOf(0, 0));
    await expectStoreError(w.writeSummary(summaryOf(0, 'ab'.repeat(32))), 'no weights were written');
    const sha = await w.writeWeights(weightsOf(0).params, weightsOf(0).bnBuffers);
    await expectStoreError(w.writeSummary(summaryOf(0, 'ab'.repeat(32))), 'is not the SHA-256 of the weights written');
    await w.writeSummary(summaryOf(0, sha));
    await expectStoreError(() => w.append(recordOf(0, 1)), 'already has its summary');
    await w.close();
    await handle.close();
    await expectStoreError(handle.completedRunIds(), 'closed');
    const reopened = await store.createOrOpen(spec, specHashOf(spec), 'test'); // the lock was released
    await reopened.close();
  });

  it('writes non-finite numbers as null, and flushes metrics within the interval, before close', async () => {
    const root = await tmpStore();
    const spec = testSpec('Flush');
    const handle = await new ExperimentStore(root, { metrics: { flushIntervalMs: 300 } }).createOrOpen(spec, specHashOf(spec), 'test');
    const w = await handle.runWriter('r');
    await w.writeConfig({ ...runConfigOf(0), runId: 'r' });
    w.append({ kind: 'step', step: 0, epoch: 0, loss: NaN, gradNorm: Infinity, clipCoef: 1, lr: 0.1 });
    expect(await fs.readFile(path.join(w.dir, 'metrics.ndjson'), 'utf8')).toBe('');
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(await fs.readFile(path.join(w.dir, 'metrics.ndjson'), 'utf8')).toBe(
      '{"kind":"step","step":0,"epoch":0,"loss":null,"gradNorm":null,"clipCoef":1,"lr":0.1}\n',
    );
    await w.close();
    await handle.close();
  });
});

describe('reading damaged and partial files', () => {
  async function runDirWith(metrics: string | Buffer): Promise<string> {
    const dir = path.join(await tmpStore(), 'run');
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, 'metrics.ndjson'), metrics);
    return dir;
  }
  const line = (step: number): string =>
    JSON.stringify({ kind: 'step', step, epoch: 0, loss: 1, gradNorm: 1, clipCoef: 1, lr: 0.1 }) + '\n';

  it('tolerates a truncated or unparsable last line and reports it', async () => {
    const whole = line(0) + line(1);
    const cut = await readMetrics(await runDirWith(whole + line(2).slice(0, 17)));
    expect(cut).toEqual({ records: [JSON.parse(line(0)), JSON.parse(line(1))], truncatedLastLine: true });
    const garbage = await readMetrics(await runDirWith(whole + '\0\0\0\0\n'));
    expect(garbage.records).toHaveLength(2);
    expect(garbage.truncatedLastLine).toBe(true);
    const noNewline = await readMetrics(await runDirWith(whole + line(2).trimEnd()));
    expect(noNewline).toEqual({ records: [0, 1, 2].map((s) => JSON.parse(line(s))), truncatedLastLine: false });
    expect(await readMetrics(await runDirWith(whole))).toEqual({
      records: [JSON.parse(line(0)), JSON.parse(line(1))],
      truncatedLastLine: false,
    });
    expect(await readMetrics(await runDirWith(''))).toEqual({ records: [], truncatedLastLine: false });
    const dirWithout = path.join(await tmpStore(), 'r');
    await fs.mkdir(dirWithout);
    expect(await readMetrics(dirWithout)).toEqual({ records: [], truncatedLastLine: false }); // nothing written yet
    await expectStoreError(readMetrics(path.join(dirWithout, 'missing')), 'missing', 'no such file or folder');
  });

  it.runIf(process.platform !== 'win32')('refuses a metrics file that is a device or a pipe, without reading or waiting', async () => {
    const dir = path.join(await tmpStore(), 'run');
    await fs.mkdir(dir);
    await fs.symlink('/dev/zero', path.join(dir, 'metrics.ndjson'));
    await expectStoreError(readMetrics(dir), 'metrics.ndjson', 'is a character device (a link to /dev/zero), not a regular file');
    await fs.rm(path.join(dir, 'metrics.ndjson'));
    spawnSync('mkfifo', [path.join(dir, 'metrics.ndjson')]);
    await expectStoreError(readMetricsFrom(dir, 0), 'is a named pipe (FIFO), not a regular file');
  });

  it('reads a line spanning many 1 MiB chunks whole, and calls a line past 64 MiB damage', async () => {
    const wide = JSON.stringify({ kind: 'diagnostics', step: 1, epoch: 0, values: 'v'.repeat(3.5 * 2 ** 20) }) + '\n';
    const read = await readMetrics(await runDirWith(line(0) + wide + line(2)));
    expect(read.records.map((r) => r.kind)).toEqual(['step', 'diagnostics', 'step']);
    expect((read.records[1] as unknown as { values: string }).values).toHaveLength(3.5 * 2 ** 20);
    const endless = Buffer.alloc(65 * 2 ** 20, 0x78); // 65 MiB of "x", no line break
    await expectStoreError(
      readMetrics(await runDirWith(Buffer.concat([Buffer.from(line(0)), endless]))),
      'line 2 is damaged: longer than 67108864 bytes without a line break',
    );
  });

  it('reports a damaged line in the middle with the file and line number', async () => {
    const dir = await runDirWith(line(0) + line(1) + '{"kind":"step","ste\n' + line(3));
    const err = await expectStoreError(readMetrics(dir), 'line 3 is damaged', 'not valid JSON');
    expect(err.file).toBe(path.join(dir, 'metrics.ndjson'));
    expect(err.message).toContain(path.join(dir, 'metrics.ndjson'));
    await expectStoreError(readMetrics(await runDirWith(line(0) + '[1,2]\n' + line(2))), 'line 2', 'not a JSON object');
    await expectStoreError(readMetrics(await runDirWith(line(0) + '{"step":1}\n' + line(2).slice(0, 5))), 'line 2', 'no string "kind"');
  });

  it('tails a growing file incrementally, whole lines only', async () => {
    const dir = await runDirWith('');
    const file = path.join(dir, 'metrics.ndjson');
    let tail = await readMetricsFrom(dir, 0);
    expect(tail).toEqual({ records: [], nextOffset: 0, nextLine: 1, more: false, partialLine: false });
    await fs.appendFile(file, line(0) + line(1).slice(0, 10));
    tail = await readMetricsFrom(dir, tail.nextOffset, { line: tail.nextLine });
    expect(tail.records.map((r) => (r as { step: number }).step)).toEqual([0]);
    expect(tail).toMatchObject({ nextOffset: Buffer.byteLength(line(0)), nextLine: 2, partialLine: true });
    await fs.appendFile(file, line(1).slice(10) + line(2) + line(3));
    const steps: number[] = [];
    do {
      tail = await readMetricsFrom(dir, tail.nextOffset, { line: tail.nextLine, maxBytes: 1 });
      steps.push(...tail.records.map((r) => (r as { step: number }).step));
    } while (tail.more);
    expect(steps).toEqual([1, 2, 3]);
    expect(tail).toMatchObject({ nextOffset: (await fs.stat(file)).size, nextLine: 5, partialLine: false });
    await fs.appendFile(file, 'oops\n');
    await expectStoreError(
      readMetricsFrom(dir, tail.nextOffset, { line: tail.nextLine }),
      'line 5 is damaged',
      `byte offset ${tail.nextOffset}`,
    );
    await expectStoreError(readMetricsFrom(dir, 1 << 20), 'shorter than the offset');
  });

  it('lists a store with broken experiment folders without failing', async () => {
    const root = await tmpStore();
    const spec = testSpec('Good one');
    const good = await new ExperimentStore(root).createOrOpen(spec, specHashOf(spec), 'test');
    await writeRun(good, 0);
    const w = await good.runWriter(runIdOf(1));
    await w.writeConfig(runConfigOf(1));
    await w.close();
    await good.close();
    await fs.mkdir(path.join(root, 'broken', 'runs', 'r1'), { recursive: true });
    await fs.writeFile(path.join(root, 'broken', 'experiment.json'), '{"id": "broken", "spec": ');
    await fs.writeFile(path.join(root, 'broken', 'runs', 'r1', 'summary.json'), 'not json');
    await fs.mkdir(path.join(root, 'empty'));
    await fs.mkdir(path.join(root, 'wrong-shape'));
    await fs.writeFile(path.join(root, 'wrong-shape', 'experiment.json'), '{"id": 3}');
    await fs.mkdir(path.join(root, '.trash'));
    await fs.writeFile(path.join(root, 'stray-file.txt'), 'hello');

    const listing = await listExperiments(root);
    expect(listing.map((e) => e.id)).toEqual(['broken', 'empty', good.id, 'wrong-shape']);
    const [broken, empty, ok, shape] = listing;
    expect(broken.error).toContain(path.join(root, 'broken', 'experiment.json'));
    expect(broken.error).toContain('not valid JSON');
    expect(broken).toMatchObject({ name: null, runCount: 1, completedRuns: 0, statusSummary: { unreadable: 1 } });
    expect(empty.error).toMatch(/experiment\.json: is missing/);
    expect(ok).toMatchObject({ name: 'Good one', runCount: 2, completedRuns: 1, statusSummary: { completed: 1, incomplete: 1 } });
    expect(ok.error).toBeUndefined();
    expect(shape.error).toContain('field "id" should be a string');
    expect(await listExperiments(path.join(root, 'no-such-store'))).toEqual([]);

    await expectStoreError(loadExperiment(path.join(root, 'broken')), 'experiment.json', 'not valid JSON');
    await fs.writeFile(path.join(good.dir, 'runs', runIdOf(0), 'summary.json'), '{"runId": "x", "status": "weird"}');
    const loaded = await loadExperiment(good.dir);
    expect(loaded.runs[0].error).toMatch(/summary\.json: is not a run summary: status "weird"/);
    expect(loaded.runs[1]).toMatchObject({ runId: runIdOf(1), summary: null, complete: false, hasWeights: false });
  });

  it('checks the size and hash of weights.bin with a clear error', async () => {
    const root = await tmpStore();
    const handle = await new ExperimentStore(root).createOrOpen(testSpec(), specHashOf(testSpec()), 'test');
    const dir = await writeRun(handle, 1);
    await handle.close();
    const [p, b] = [paramCountOf(1), bufferCountOf(1)];
    await expect(readWeights(dir, p, b)).resolves.toMatchObject({ paramsSha256: weightsSha256(weightsOf(1).params) });
    const err = await expectStoreError(
      readWeights(dir, p + 1, b),
      `holds ${p + b} float32 values`,
      `${p + 1} parameters and ${b} batch-norm`,
    );
    expect(err.file).toBe(path.join(dir, 'weights.bin'));
    await expectStoreError(readWeights(dir, p, b, { expectedSha256: '0'.repeat(64) }), 'the file is damaged');
    await fs.appendFile(path.join(dir, 'weights.bin'), Buffer.from([1, 2]));
    await expectStoreError(readWeights(dir, p, b), 'not a whole number of float32 values');
    await expectStoreError(readWeights(path.join(root, 'nowhere'), p, b), 'weights.bin', 'no such file');
    await expect(readWeights(dir, -1, 0)).rejects.toThrow(RangeError);
  });

  it('the weights check hashes a file again whenever it changed, even within one timestamp tick', async () => {
    const root = await tmpStore();
    const handle = await new ExperimentStore(root).createOrOpen(testSpec(), specHashOf(testSpec()), 'test');
    const dir = await writeRun(handle, 1);
    await handle.close();
    const [p, b] = [paramCountOf(1), bufferCountOf(1)];
    const good = weightsSha256(weightsOf(1).params);
    const file = path.join(dir, 'weights.bin');
    const flipInPlace = async () => {
      const f = await fs.open(file, 'r+'); // same inode and size; the times may not move (coarse clock)
      const byte = Buffer.alloc(1);
      await f.read(byte, 0, 1, 8);
      byte[0] ^= 0x01;
      await f.write(byte, 0, 1, 8);
      await f.close();
    };
    expect(await weightsFingerprint(dir, p, b, 1 << 30)).toEqual({ sha256: good, problem: null });
    await flipInPlace();
    expect((await weightsFingerprint(dir, p, b, 1 << 30)).sha256).not.toBe(good);
    await flipInPlace();
    expect((await weightsFingerprint(dir, p, b, 1 << 30)).sha256).toBe(good);
    // Once settled (seen from an hour later), the cached hash still follows a change in place; the
    // pause lets the file clock tick (at most 10 ms on Linux), as it does between a user's edits.
    await new Promise((resolve) => setTimeout(resolve, 50));
    vi.useFakeTimers({ now: Date.now() + 3_600_000, toFake: ['Date'] });
    try {
      expect((await weightsFingerprint(dir, p, b, 1 << 30)).sha256).toBe(good);
      await flipInPlace();
      expect((await weightsFingerprint(dir, p, b, 1 << 30)).sha256).not.toBe(good);
    } finally {
      vi.useRealTimers();
    }
  });

  it('hides temp files and half-deleted runs from the reader; the next writer removes them', async () => {
    const root = await tmpStore();
    const spec = testSpec('Leftovers');
    const store = new ExperimentStore(root);
    const handle = await store.createOrOpen(spec, specHashOf(spec), 'test');
    const dir = await writeRun(handle, 0);
    await handle.close();
    await fs.writeFile(path.join(dir, '.summary.json.999-x-1.tmp'), '{"half');
    await fs.writeFile(path.join(handle.dir, '.experiment.json.999-x-2.tmp'), '');
    await fs.mkdir(path.join(handle.dir, 'runs', '.0-relu-s9.999-x-3.deleting'));
    const loaded = await loadExperiment(handle.dir);
    expect(loaded.runs.map((r) => r.runId)).toEqual([runIdOf(0)]);
    expect(loaded.runs[0].error).toBeUndefined();
    const again = await store.createOrOpen(spec, specHashOf(spec), 'test');
    expect(await hiddenLeftovers(root)).toEqual([path.join(handle.dir, '.writer.lock')]);
    await again.close();
    expect(await hiddenLeftovers(root)).toEqual([]);
  });
});

/** Every hidden (dot) name under `dir`, recursively. */
async function hiddenLeftovers(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.name.startsWith('.')) out.push(p);
    else if (e.isDirectory()) out.push(...(await hiddenLeftovers(p)));
  }
  return out.sort();
}

describe('a writer killed with SIGKILL at random moments', () => {
  const script = fileURLToPath(new URL('./fixtures/store/crash-writer.ts', import.meta.url));
  // Far more runs than the kill rounds get through, so most rounds are cut off mid-work.
  const TOTAL = 80;
  const runIndex = new Map(Array.from({ length: TOTAL }, (_, i) => [runIdOf(i), i]));

  /** Starts the writer; resolves when it printed "ready" (or exited), with its exit promise. */
  function startWriter(
    root: string,
  ): Promise<{ kill: () => void; exited: Promise<{ code: number | null; signal: string | null; out: string }> }> {
    const child = spawn(process.execPath, ['--import', 'tsx', script, root, String(TOTAL)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const exited = new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal, out })),
    );
    return new Promise((resolve) => {
      const onData = (d: Buffer): void => {
        out += d.toString();
        if (out.includes('ready\n')) resolve({ kill: () => child.kill('SIGKILL'), exited });
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      void exited.then(() => resolve({ kill: () => undefined, exited }));
    });
  }

  /** Everything the reader sees must be readable, and every run with a summary complete. */
  async function checkStore(root: string): Promise<{ summarized: number; interrupted: number }> {
    const listing = await listExperiments(root);
    expect(listing).toHaveLength(1);
    expect(listing[0].error).toBeUndefined();
    const { runs } = await loadExperiment(listing[0].path);
    let summarized = 0;
    let interrupted = 0;
    for (const run of runs) {
      const i = runIndex.get(run.runId);
      expect(i, `unexpected run folder ${run.runId}`).toBeDefined();
      expect(run.error, run.runId).toBeUndefined();
      const metrics = await readMetrics(run.path); // never throws: at most a truncated last line
      const expected = Array.from({ length: stepsOf(i!) }, (_, s) => recordOf(i!, s));
      expect(metrics.records).toEqual(expected.slice(0, metrics.records.length));
      if (run.summary === null) {
        interrupted++;
        if (run.config !== null) expect(run.config).toEqual(runConfigOf(i!));
        continue;
      }
      summarized++;
      expect(run.config).toEqual(runConfigOf(i!));
      expect(run.summary).toEqual(summaryOf(i!, run.summary.weightsSha256));
      expect(metrics).toEqual({ records: expected, truncatedLastLine: false });
      expect(run.hasWeights).toBe(!failsOf(i!));
      if (!failsOf(i!)) {
        const w = await readWeights(run.path, paramCountOf(i!), bufferCountOf(i!), { expectedSha256: run.summary.weightsSha256 });
        expect(w.params).toEqual(weightsOf(i!).params);
        expect(w.bnBuffers).toEqual(weightsOf(i!).bnBuffers);
      }
    }
    // Every visible file in the store parses (JSON) or is one of the documented files.
    for (const run of runs) {
      for (const name of await fs.readdir(run.path)) {
        if (name.startsWith('.')) continue;
        expect(['config.json', 'metrics.ndjson', 'weights.bin', 'weights.index.json', 'summary.json']).toContain(name);
        if (name.endsWith('.json')) JSON.parse(await fs.readFile(path.join(run.path, name), 'utf8'));
      }
    }
    return { summarized, interrupted };
  }

  it('leaves every file readable and every summarized run complete, and resumes to the end', async () => {
    const root = await tmpStore();
    const log: string[] = [];
    let interruptedSeen = 0;
    let kills = 0;
    // Kill 8 writers (fewer if one gets through all the runs first: a very fast disk).
    for (let round = 0; kills < 8 && round < 20; round++) {
      const writer = await startWriter(root);
      const delay = round === 0 ? 0 : Math.floor(Math.random() * 250);
      await new Promise((resolve) => setTimeout(resolve, delay));
      writer.kill();
      const { code, signal, out } = await writer.exited;
      const seen = await checkStore(root);
      const temps = (await hiddenLeftovers(root)).filter((p) => !p.endsWith('.writer.lock')).length;
      log.push(`kill after ${delay} ms: ${seen.summarized} summarized, ${seen.interrupted} interrupted, ${temps} temp files`);
      interruptedSeen += seen.interrupted;
      if (signal === 'SIGKILL') kills++;
      else {
        expect(code, `writer failed: ${out}`).toBe(0); // it finished before the kill
        break;
      }
    }
    expect(kills, log.join('\n')).toBeGreaterThanOrEqual(3);
    expect(interruptedSeen, `no kill landed inside a run:\n${log.join('\n')}`).toBeGreaterThan(0);

    const last = await startWriter(root);
    const { code, out } = await last.exited;
    expect(code, out).toBe(0);
    expect(out).toContain('done');
    const final = await checkStore(root);
    expect(final).toEqual({ summarized: TOTAL, interrupted: 0 });
    expect(await hiddenLeftovers(root)).toEqual([]); // temp files cleaned, lock released
  }, 300_000);
});

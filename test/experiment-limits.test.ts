/**
 * Hostile experiment files (issue 14): inputs that are cheap to write but were expensive to check
 * are refused by their cheap limits (lengths, counts, sizes) before any expensive check
 * (uniqueness, the grid's expansion) runs. Each case runs in a worker under a generous budget
 * (test/helpers/budget.ts): a regression shows as a budget failure, not a stalled suite.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetedWorker, bundleWorker } from './helpers/budget.js';
import { spiralSpec } from './helpers/experiments.js';
import type { ValidateInput, ValidateOutcome } from './helpers/validate-worker.js';

// A quiet machine answers each case below in well under a second.
const BUDGET = { timeoutMs: 60_000, heapMb: 768 };
let worker: BudgetedWorker<ValidateInput, ValidateOutcome>;

beforeAll(async () => {
  worker = new BudgetedWorker(await bundleWorker('test/helpers/validate-worker.ts'), BUDGET);
});
afterAll(() => worker.close());

// Seven-digit seeds, so 300,000 of them make a file of more than 2 MB as in the report.
const seeds = (n: number) => Array.from({ length: n }, (_, i) => 1_000_000 + i);

describe('a 300,000-seed list (a 2 MB file)', () => {
  const spec = spiralSpec('many seeds', { seeds: seeds(300_000) });

  it('is refused by its length when the app validates it', async () => {
    const r = await worker.call({ value: spec });
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/seeds: must list at most 10000 seeds, got 300000/);
  });

  it('is refused by its size when read as a file', async () => {
    const text = JSON.stringify(spec);
    expect(text.length).toBeGreaterThan(2_000_000);
    const r = await worker.call({ text });
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/is 2\.\d MB; an experiment file is at most 1 MB/);
  });
});

describe('cheap limits come first and say what to change', () => {
  const check = async (spec: unknown) => {
    const r = await worker.call({ value: spec });
    expect(r.ok).toBe(false);
    return r.message ?? '';
  };

  it('reports a list over its length limit once, not item by item', async () => {
    const layers = Array.from({ length: 50_000 }, () => 'not a layer');
    const message = await check({ ...spiralSpec('long'), model: { ...spiralSpec('x').model, hidden: layers } });
    expect(message).toMatch(/model\.hidden: must list at most 1000 items, got 50000/);
    expect(message).not.toMatch(/model\.hidden\[0\]/);
  });

  it('refuses a factor with more values than the grid may have variants, without reading them', async () => {
    const message = await check(spiralSpec('wide', { compare: { lr: Array.from({ length: 20_000 }, () => 'x') } }));
    expect(message).toMatch(/compare\.lr: lists 20000 values; a factor has at most 10000/);
    expect(message).not.toMatch(/compare\.lr\[0\]/);
  });

  it('refuses more than 64 factors', async () => {
    const compare = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`train.epochs${i}`, [1]]));
    expect(await check(spiralSpec('many factors', { compare }))).toMatch(/compare: has 65 factors; the limit is 64/);
  });

  it('refuses more values than a 1 MB file can hold, naming the longest list', async () => {
    const message = await check(spiralSpec('huge', { description: 'x', extra: Array.from({ length: 600_000 }, () => 0) }));
    expect(message).toMatch(/extra: the experiment holds more than 500000 values \(extra alone holds 600000\)/);
  });

  it('refuses nesting deeper than 64 levels', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 500; i++) deep = [deep];
    expect(await check(spiralSpec('deep', { compare: { 'train.clip': [deep] } }))).toMatch(/is nested more than 64 levels deep/);
  });

  it('bounds the hidden layers summed over all runs', async () => {
    const spec = spiralSpec('deep grid', { compare: { depth: [500, 600] }, seeds: { count: 1000 } });
    expect(await check(spec)).toMatch(/compare: makes runs that hold more than 1000000 hidden layers in all/);
  });

  it('refuses threadsPerRun above 64', async () => {
    expect(await check(spiralSpec('threads', { execution: { threadsPerRun: 65 } }))).toMatch(
      /execution\.threadsPerRun: must be a whole number at least 1 and at most 64, got 65/,
    );
    const ok = await worker.call({ value: spiralSpec('threads', { execution: { threadsPerRun: 64 } }) });
    expect(ok.ok).toBe(true);
  });
});

describe('a model too large for WebAssembly memory (4 GiB)', () => {
  const mnistLike = (hidden: { width: number; activation: string }[], train: Record<string, unknown> = {}) =>
    spiralSpec('big model', {
      data: { source: 'mnist' },
      model: { inputSize: 784, hidden, outputSize: 10, head: 'softmax', init: { weights: 'he_uniform', bias: 'zeros' } },
      train: { epochs: 1, batchSize: 32, optimizer: { name: 'adam', lr: 0.001 }, ...train },
      compare: undefined,
    });

  it('two hidden layers of 40,000 units: refused at validation, naming the layer and the bytes', async () => {
    const r = await worker.call({
      value: mnistLike([
        { width: 40_000, activation: 'relu' },
        { width: 40_000, activation: 'relu' },
      ]),
    });
    expect(r.ok).toBe(false);
    // 784*40000 + 40000 + 40000*40000 + 40000 + 40000*10 + 10 parameters (each tensor padded to 16 floats).
    expect(r.message).toMatch(/model\.hidden\[1\]\.width: the model has 1,631,8\d\d,\d\d\d parameters, 6\.5 GB before gradients/);
    expect(r.message).toMatch(/the largest layer is model\.hidden\[1\] \(40,000 × 40,000 weights, 6\.4 GB\)/);
  });

  it('parameters that fit but not with gradients and Adam moments: the layout decides', async () => {
    // 20,000 x 20,000 weights = 1.6 GB, held four times (weights, gradients, two Adam moments).
    const r = await worker.call({
      value: mnistLike([
        { width: 20_000, activation: 'relu' },
        { width: 20_000, activation: 'relu' },
      ]),
    });
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/model\.hidden\[1\]\.width: a run of this model needs 6\.\d GB of memory with a batch of 32 rows/);
    // With plain SGD (no optimizer state) the same model fits: 2 x 1.7 GB.
    const sgd = await worker.call({
      value: mnistLike(
        [
          { width: 20_000, activation: 'relu' },
          { width: 20_000, activation: 'relu' },
        ],
        {
          optimizer: { name: 'sgd', lr: 0.01 },
        },
      ),
    });
    expect(sgd.ok, sgd.message).toBe(true);
  });

  it('a batch whose activations do not fit names the batch size', async () => {
    const r = await worker.call({ value: mnistLike([{ width: 4096, activation: 'relu' }], { batchSize: 1_048_576 }) });
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/train\.batchSize: a run of this model needs \d+\.\d GB .*use a smaller batch/);
  });
});

describe('experiment files', () => {
  it('refuses a file over 1 MB before reading it, and things that are not files', async () => {
    const { readExperimentFile } = await import('../src/services/experiments/spec/file.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'ablate-limits-'));
    const big = path.join(dir, 'big.json');
    writeFileSync(big, JSON.stringify(spiralSpec('big', { seeds: seeds(300_000) })));
    await expect(readExperimentFile(big)).rejects.toThrow(/big\.json: the file is 2\.\d MB; an experiment file is at most 1 MB/);
    await expect(readExperimentFile('/dev/zero')).rejects.toThrow(/\/dev\/zero is not a regular file/);
    await expect(readExperimentFile(dir)).rejects.toThrow(/is not a regular file/);
    const ok = path.join(dir, 'ok.json');
    writeFileSync(ok, '{"a": 1}');
    expect(await readExperimentFile(ok)).toBe('{"a": 1}');
  });

  it('the CLI exits 2 with the size message for a 2 MB file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ablate-limits-'));
    const file = path.join(dir, 'many-seeds.json');
    writeFileSync(file, JSON.stringify(spiralSpec('many seeds', { seeds: seeds(300_000) })));
    const r = spawnSync(process.execPath, [path.join(import.meta.dirname, '..', 'bin', 'ablate.js'), 'run', file, '--out', dir], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/many-seeds\.json: the file is 2\.\d MB; an experiment file is at most 1 MB/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

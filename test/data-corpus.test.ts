/**
 * Bad input corpus (test/fixtures/data/corpus.ts): every broken file is rejected with exactly one
 * DataError whose message names the file and says what is wrong (with line and column where it
 * applies); nothing escapes as a raw or untyped error. Then the hostile files
 * (test/fixtures/data/hostile.ts, generated here): headers claiming gigabytes, gzip bombs, devices,
 * pipes and sockets, endless CSV lines: each fails at once, before any large allocation, and the
 * memory ceiling is configurable.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCsvText } from '../src/engine/data/csv/text-stream.js';
import { loadDataset } from '../src/engine/data/index.js';
import { defaultDatasetMemoryLimit } from '../src/engine/data/limits.js';
import { DataError } from '../src/engine/errors.js';
import { writeCorpus } from './fixtures/data/corpus.js';
import { writeHostileData } from './fixtures/data/hostile.js';

const dir = writeCorpus();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ctx = { embeddedDir: dir, baseDir: dir };

async function rejection(spec: Record<string, unknown>): Promise<DataError> {
  try {
    await loadDataset(spec, ctx);
  } catch (err) {
    expect(err, `expected a DataError, got ${String(err)}`).toBeInstanceOf(DataError);
    return err as DataError;
  }
  throw new Error(`${JSON.stringify(spec)} loaded, but it should have been rejected`);
}

const idx = (images: string, labels = 'small-labels.idx1') => ({ source: 'idx', images, labels });
const csv = (file: string, extra: Record<string, unknown> = {}) => ({ source: 'csv', path: file, ...extra });

describe('broken IDX files are rejected with a DataError naming the file', () => {
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['truncated gzip', idx('truncated-images.idx3.gz', 'labels-200.idx1'), 'truncated-images.idx3.gz', /gzip data is truncated or corrupt/],
    [
      'wrong magic (4 dimensions)',
      idx('wrong-magic.idx3'),
      'wrong-magic.idx3',
      /wrong IDX magic number 0x00000804, expected 0x00000803 for images: it has 4 dimensions/,
    ],
    ['float element type', idx('float-images.idx3'), 'float-images.idx3', /type 0x0d \(float\); only unsigned bytes/],
    ['not an IDX file at all', idx('not-idx.idx3'), 'not-idx.idx3', /it is not an IDX file/],
    [
      'labels given as images',
      idx('small-labels.idx1', 'small-labels.idx1'),
      'small-labels.idx1',
      /it is an IDX labels file; are images and labels swapped/,
    ],
    [
      'images given as labels',
      idx('small-images.idx3', 'small-images.idx3'),
      'small-images.idx3',
      /it is an IDX images file; are images and labels swapped/,
    ],
    ['image/label count mismatch', idx('small-images.idx3', 'two-labels.idx1'), 'two-labels.idx1', /holds 3 images but .* holds 2 labels/],
    [
      'wrong dimensions (data shorter than the header says)',
      idx('wrong-dims.idx3'),
      'wrong-dims.idx3',
      /truncated: the header announces 3 images of 5x5 \(75 bytes of pixels\) but only 48 bytes follow/,
    ],
    ['trailing bytes after the images', idx('extra-bytes.idx3'), 'extra-bytes.idx3', /unexpected bytes after 3 images of 4x4/],
    ['header cut short', idx('short-header.idx3'), 'short-header.idx3', /IDX header is truncated \(10 of 16 bytes\)/],
    ['zero images', idx('zero-images.idx3'), 'zero-images.idx3', /holds 0 images/],
    ['0-byte file', idx('empty.idx3'), 'empty.idx3', /the file is empty \(0 bytes\)/],
    [
      'a single class',
      idx('small-images.idx3', 'one-class-labels.idx1'),
      'one-class-labels.idx1',
      /every label is 1; classification needs at least 2 classes/,
    ],
    ['missing file', idx('nope.idx3'), 'nope.idx3', /file not found/],
  ];
  for (const [what, spec, file, pattern] of cases) {
    it(what, async () => {
      const err = await rejection(spec);
      expect(err.message).toContain(path.join(dir, file));
      expect(err.message).toMatch(pattern);
    });
  }
});

describe('broken CSV files are rejected with a DataError naming the file, line and column', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['0-byte file', csv('zero.csv'), /the file is empty \(0 bytes\)/],
    ['only blank lines', csv('blank.csv'), /no rows \(only blank lines\)/],
    ['a header and no rows', csv('header-only.csv'), /no data rows after the header/],
    ['ragged rows', csv('ragged.csv'), /line 3 has 2 fields but line 1 has 3/],
    [
      'text in a numeric column',
      csv('text-in-numeric.csv'),
      /line 4, column 2 \("b"\): "oops" is not a number, but the column is numeric \(3 of 4 values/,
    ],
    [
      'a target column that does not exist',
      csv('iris-mini.csv', { target: 'label' }),
      /target column "label" does not exist; the columns are "sepal_length", "sepal_width", "species"/,
    ],
    ['a target index out of range', csv('iris-mini.csv', { target: 3 }), /target column index 3 is out of range; the file has 3 columns/],
    ['a single class', csv('single-class.csv'), /has a single class \("cat"\)/],
    ['an empty cell (missing: error)', csv('missing.csv'), /line 3, column 2 \("b"\): missing or non-finite value \(an empty cell\)/],
    ['NaN and Infinity (missing: error)', csv('missing.csv', { target: 'y', missing: 'error' }), /missing: "drop"/],
    ['a binary file named .csv', csv('binary.csv'), /cannot read as CSV: it contains a NUL byte at offset 8/],
    ['not UTF-8', csv('latin1.csv'), /not valid UTF-8/],
    ['UTF-16 text', csv('utf16.csv'), /UTF-16 text; save it as UTF-8/],
    ['an unclosed quote', csv('unclosed-quote.csv'), /line 3: quoted field unterminated/],
    ['a truncated gzip', csv('truncated.csv.gz'), /gzip data is truncated or corrupt/],
    ['only the target column', csv('only-target.csv'), /only one column/],
    [
      'a text column with categorical: "error"',
      csv('categorical.csv', { categorical: 'error' }),
      /column 1 \("color"\) holds text \(e\.g\. "red" on line 2\); set categorical: "onehot"/,
    ],
    [
      'a text target forced to regression',
      csv('iris-mini.csv', { task: 'regression' }),
      /holds text \(e\.g\. "setosa" on line 2\); regression needs numbers/,
    ],
    ['a missing file', csv('nope.csv'), /file not found/],
    ['a folder', csv('.'), /is a folder/],
  ];
  for (const [what, spec, pattern] of cases) {
    it(what, async () => {
      const err = await rejection(spec);
      expect(err.message).toContain(path.resolve(dir, spec.path as string));
      expect(err.message).toMatch(pattern);
    });
  }
});

describe('bad specs are ConfigErrors, not crashes', () => {
  it('an unknown source names the allowed ones', async () => {
    await expect(loadDataset({ source: 'parquet' }, ctx)).rejects.toThrow(
      /data\.source: must be one of "mnist", "synthetic", "idx", "csv", got "parquet"/,
    );
  });
});

describe('hostile files fail at once, in bounded memory, with a DataError naming the file (issue 14.2, 14.3)', async () => {
  const hostileDir = mkdtempSync(path.join(os.tmpdir(), 'ablate-hostile-data-'));
  afterAll(() => rmSync(hostileDir, { recursive: true, force: true }));
  const files = await writeHostileData(hostileDir, 'ci');
  const hctx = { embeddedDir: hostileDir, baseDir: hostileDir };
  for (const f of files) {
    it(
      f.why,
      async () => {
        const err = await loadDataset(f.spec, hctx).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err, `${f.name} loaded`).toBeInstanceOf(DataError);
        expect((err as Error).message).toContain(path.join(hostileDir, f.name));
        expect((err as Error).message).toMatch(f.expect);
      },
      120_000,
    );
  }

  it.runIf(process.platform !== 'win32')('a named pipe and a socket are refused by name, without waiting for a writer', async () => {
    const fifo = path.join(hostileDir, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    await expect(loadDataset(csv(fifo), hctx)).rejects.toThrow(/pipe\.csv: is a named pipe \(FIFO\), not a regular file/);
    const sock = path.join(hostileDir, 'socket.idx1');
    const server = net.createServer().listen(sock);
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      await expect(loadDataset(idx('ok-images.idx3', sock), hctx)).rejects.toThrow(/socket\.idx1: is a socket, not a regular file/);
    } finally {
      server.close();
    }
  });

  it('a dataset past the memory ceiling names the ceiling and how to raise it (LoadContext and ABLATE_DATASET_MEMORY)', async () => {
    const big = path.join(hostileDir, 'rows.csv');
    writeFileSync(big, 'a,b,y\n' + Array.from({ length: 20_000 }, (_, i) => `${i},${i * 2},${i % 2}`).join('\n') + '\n');
    await expect(loadDataset(csv(big), { ...hctx, memoryLimitBytes: 100_000 })).rejects.toThrow(
      /rows\.csv: more than \d+ rows of 3 columns \(float32\) would need .* of memory, more than the limit of 97\.7 KiB per dataset \(set ABLATE_DATASET_MEMORY/,
    );
    await expect(loadDataset(csv(big), { ...hctx, memoryLimitBytes: 10_000_000 })).resolves.toMatchObject({ n: 20_000 });
    expect(defaultDatasetMemoryLimit({ ABLATE_DATASET_MEMORY: '2GiB' })).toBe(2 * 1024 ** 3);
    expect(defaultDatasetMemoryLimit({ ABLATE_DATASET_MEMORY: '500 MB' })).toBe(500e6);
    expect(defaultDatasetMemoryLimit({})).toBe(Math.min(8 * 1024 ** 3, Math.floor(os.totalmem() / 2)));
    expect(() => defaultDatasetMemoryLimit({ ABLATE_DATASET_MEMORY: 'lots' })).toThrow(/ABLATE_DATASET_MEMORY="lots" is not a size/);
  });
});

describe('the CSV text stream hands papaparse whole lines only (no rescans of a growing partial line)', () => {
  async function pieces(file: string): Promise<string[]> {
    const out: string[] = [];
    let failure: unknown;
    const opened = await openCsvText(file, (e) => (failure = e));
    for await (const piece of opened.stream) out.push(piece as string);
    if (failure) throw failure;
    return out;
  }

  for (const [eol, name] of [
    ['\n', 'LF'],
    ['\r\n', 'CRLF'],
    ['\r', 'CR'],
  ] as const) {
    it(`${name}: a 7 MiB line and 50,000 short ones arrive whole, in order, each piece ending a line`, async () => {
      const file = path.join(dir, `long-ok-${name}.csv`);
      const text =
        'a,b' + eol + '1,' + '7'.repeat(7 << 20) + eol + Array.from({ length: 50_000 }, (_, i) => `${i},${i}`).join(eol) + eol + 'x,y';
      writeFileSync(file, text);
      const got = await pieces(file);
      expect(got.join('')).toBe(text);
      for (const p of got.slice(0, -1)) expect(p.endsWith(eol.at(-1)!)).toBe(true);
      expect(got.at(-1)).toBe('x,y'); // the last line has no break: it comes at the end, whole
    });
  }
});

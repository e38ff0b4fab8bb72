/**
 * CSV import: header detection, target choice, task inference and override, sorted label order,
 * missing values, one-hot categories, BOM/CRLF/quotes/gzip, files larger than one parse piece, and
 * the number parser against Number().
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseNumber } from '../src/engine/data/csv/number.js';
import { loadDataset, type Dataset } from '../src/engine/data/index.js';
import { DataError } from '../src/engine/errors.js';
import { RandomStream } from '../src/engine/rng/stream.js';
import { writeCorpus } from './fixtures/data/corpus.js';

const dir = writeCorpus();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const load = (file: string, extra: Record<string, unknown> = {}): Promise<Dataset> =>
  loadDataset({ source: 'csv', path: file, ...extra }, { embeddedDir: '', baseDir: dir });
const rows = (ds: Dataset): number[][] =>
  Array.from({ length: ds.n }, (_, i) => Array.from(ds.features.subarray(i * ds.d, (i + 1) * ds.d)));
const classes = (ds: Dataset): { names: string[]; labels: number[] } => {
  if (ds.targets.kind !== 'class') throw new Error(`expected classes, got ${ds.provenance}`);
  return { names: ds.targets.classNames, labels: Array.from(ds.targets.labels) };
};
const values = (ds: Dataset): number[] => {
  if (ds.targets.kind !== 'vector') throw new Error(`expected regression, got ${ds.provenance}`);
  return Array.from(ds.targets.values);
};

describe('CSV files', () => {
  it('iris-like: header detected, text target -> classes in sorted order', async () => {
    const ds = await load('iris-mini.csv', { target: 'species' });
    expect([ds.name, ds.n, ds.d, ds.featureNames, ds.source]).toEqual(['iris-mini.csv', 6, 2, ['sepal_length', 'sepal_width'], 'csv']);
    expect(rows(ds)[0]).toEqual([Math.fround(5.1), Math.fround(3.5)]);
    expect(classes(ds)).toEqual({ names: ['setosa', 'versicolor', 'virginica'], labels: [0, 1, 2, 0, 1, 2] });
    expect(ds.features.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(ds.targets.kind === 'class' && ds.targets.labels.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(ds.provenance).toMatch(/header detected; target "species" as classification \(auto: the target holds text\)/);
  });

  it('UTF-8 BOM and CRLF line ends: clean names and labels', async () => {
    const ds = await load('bom-crlf.csv');
    expect(ds.featureNames).toEqual(['x', 'y']);
    expect(classes(ds)).toEqual({ names: ['a', 'b'], labels: [1, 0, 1] });
    expect(rows(ds)).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
  });

  it('no header: detected from numbers on row 1; columns are named column1..; target by index', async () => {
    const ds = await load('no-header.csv');
    expect(ds.featureNames).toEqual(['column1', 'column2']);
    expect(ds.n).toBe(4);
    expect(classes(ds).labels).toEqual([0, 1, 0, 1]);
    const first = await load('no-header.csv', { target: 0, task: 'regression' });
    expect(values(first)).toEqual([1.5, 2.5, 3.5, 4.5]);
    expect(first.featureNames).toEqual(['column2', 'column3']);
    const negative = await load('no-header.csv', { target: -2, header: false });
    expect(classes(negative)).toEqual({ names: ['2', '3', '4', '5'], labels: [0, 1, 2, 3] }); // 4 distinct whole numbers
    expect(negative.featureNames).toEqual(['column1', 'column3']);
  });

  it('header: true forces row 1 to be names, header: false forces it to be data', async () => {
    const forced = await load('no-header.csv', { header: true });
    expect(forced.featureNames).toEqual(['1.5', '2']);
    expect(forced.n).toBe(3);
    const err = await load('iris-mini.csv', { header: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toMatch(/line 1, column 1 \("column1"\): "sepal_length" is not a number/);
  });

  it('a pandas-style file: an empty header cell over the index column is named column1', async () => {
    const file = path.join(dir, 'pandas.csv');
    writeFileSync(file, ',height,kind\n0,1.5,a\n1,2.5,b\n2,3.5,a\n');
    const ds = await load(file);
    expect(ds.featureNames).toEqual(['column1', 'height']);
    expect(rows(ds)[2]).toEqual([2, 3.5]);
  });

  it('task auto: few distinct whole numbers -> classification (numeric order), fractions -> regression; both overridable', async () => {
    const grades = await load('integer-target.csv');
    expect(classes(grades)).toEqual({ names: ['1', '2', '3', '10'], labels: [2, 0, 3, 1, 3] });
    expect(values(await load('integer-target.csv', { task: 'regression' }))).toEqual([3, 1, 10, 2, 10]);
    const price = await load('regression.csv');
    expect(values(price)).toEqual([10.5, 11.25, 12, 13.75]);
    expect(price.provenance).toMatch(/as regression \(auto: the target holds fractional numbers\)/);
    expect(classes(await load('regression.csv', { task: 'classification' })).names).toEqual(['10.5', '11.25', '12', '13.75']);
  });

  it('more than 20 distinct whole numbers -> regression', async () => {
    const file = path.join(dir, 'many-ints.csv');
    writeFileSync(file, 'x,y\n' + Array.from({ length: 30 }, (_, i) => `${i},${i * 3}`).join('\n'));
    const ds = await load(file);
    expect(ds.targets.kind).toBe('vector');
    expect(ds.provenance).toMatch(/more than 20 distinct numbers/);
  });

  it('detects ; as the delimiter; quoted fields keep commas', async () => {
    const semi = await load('semicolon.csv');
    expect([semi.featureNames, rows(semi)[2]]).toEqual([
      ['a', 'b'],
      [5, 6],
    ]);
    const quoted = await load('quoted.csv');
    expect(quoted.featureNames).toEqual(['size, in cm', 'color=blue', 'color=dark red']);
    expect(rows(quoted)).toEqual([
      [1.5, 0, 1],
      [2.5, 1, 0],
      [3.5, 0, 1],
    ]);
    expect(classes(quoted)).toEqual({ names: ['no', 'yes'], labels: [1, 0, 0] });
  });

  it('one-hot encodes text feature columns, categories sorted', async () => {
    const ds = await load('categorical.csv');
    expect(ds.featureNames).toEqual(['color=blue', 'color=green', 'color=red', 'size']);
    expect(rows(ds)).toEqual([
      [0, 0, 1, 1],
      [1, 0, 0, 2],
      [0, 0, 1, 3],
      [0, 1, 0, 4],
    ]);
    expect(ds.provenance).toMatch(/one-hot: color \(3\)/);
  });

  it('missing: "drop" drops rows with empty, NaN, Infinity or text-in-numeric cells', async () => {
    const ds = await load('missing.csv', { missing: 'drop' });
    expect(rows(ds)).toEqual([
      [1, 2],
      [11, 12],
      [13, 14],
    ]);
    expect(classes(ds).labels).toEqual([0, 0, 1]);
    expect(ds.provenance).toMatch(/7 data rows, 4 dropped for missing or non-numeric values/);
    const text = await load('text-in-numeric.csv', { missing: 'drop' });
    expect(rows(text)).toEqual([
      [1, 2],
      [3, 4],
      [7, 8],
    ]);
  });

  it('reads gzip-compressed CSV (by magic bytes)', async () => {
    const ds = await load('gzipped.csv.gz');
    expect([ds.n, rows(ds), classes(ds).labels]).toEqual([
      2,
      [
        [1, 2],
        [3, 4],
      ],
      [0, 1],
    ]);
  });
});

describe('CSV files larger than one parse piece (64 KiB)', () => {
  it('streams 40,000 rows exactly, and reports a bad cell deep in the file with its line', async () => {
    const rng = new RandomStream(11);
    const lines = ['a,b,c,label'];
    const expected: number[][] = [];
    for (let i = 0; i < 40000; i++) {
      const r = [rng.uniform(-100, 100).toFixed(4), rng.uniform(0, 1).toExponential(3), String(rng.int(1000))];
      expected.push(r.map((s) => Math.fround(Number(s))));
      lines.push(`${r.join(',')},${['cat', 'dog', 'émeu'][i % 3]}`);
    }
    const file = path.join(dir, 'big.csv');
    writeFileSync(file, lines.join('\r\n') + '\r\n');
    const ds = await load(file);
    expect(ds.n).toBe(40000);
    expect(rows(ds)).toEqual(expected);
    expect(classes(ds).names).toEqual(['cat', 'dog', 'émeu']); // multi-byte UTF-8 across piece boundaries
    lines[31234] = lines[31234].replace(/^[^,]*/, 'n/a?');
    writeFileSync(file, lines.join('\n'));
    await expect(load(file)).rejects.toThrow(/line 31235, column 1 \("a"\): "n\/a\?" is not a number/);
  });
});

describe('parseNumber', () => {
  it('equals Number() on plain decimals, fast path and slow path', () => {
    const rng = new RandomStream(2);
    for (let i = 0; i < 20000; i++) {
      const digits = 1 + rng.int(17);
      const s = (rng.nextFloat() < 0.5 ? '-' : '') + (rng.nextFloat() * 10 ** rng.int(8)).toFixed(Math.max(0, digits - 8));
      expect(parseNumber(s)).toBe(Number(s));
    }
    for (const s of ['0', '-0', '+2', '.5', '5.', '1e5', '1E-3', ' 3 ', '123456789012345678', '3.4e38'])
      expect(parseNumber(s)).toBe(Number(s));
  });

  it('rejects what is not a finite float32 number', () => {
    for (const s of ['', ' ', '-', '.', 'abc', '0x10', '1_000', 'NaN', 'Infinity', '-inf', '1e39', '1,5', '1.2.3', '--1']) {
      expect(parseNumber(s), s).toBeNaN();
    }
  });
});

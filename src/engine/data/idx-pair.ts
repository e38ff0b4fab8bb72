/**
 * Loads an IDX images/labels pair (raw or gzip, detected by the magic bytes 1f 8b, not the name)
 * into a Dataset: images streamed into float32 `byte / 255` (features in [0, 1], `valueRange`
 * says so), labels as class indices; counts must match. Node only; main thread or worker.
 */
import path from 'node:path';
import { DataError } from '../errors.js';
import { sharedInt32, type Dataset } from './dataset.js';
import { streamIdxImages, streamIdxLabels } from './idx-stream.js';
import { defaultDatasetMemoryLimit } from './limits.js';

export interface IdxPairOptions {
  /** Dataset name; default: the images file name without .gz. */
  name?: string;
  classNames?: string[];
  /** Extra words for provenance (e.g. where an embedded file came from). */
  origin?: string;
  /** The dataset memory ceiling (limits.ts); default defaultDatasetMemoryLimit(). */
  memoryLimitBytes?: number;
}

/** Loads and checks an images/labels pair: the labels first (small), then the images, streamed. */
export async function loadIdxPair(imagesFile: string, labelsFile: string, opts: IdxPairOptions = {}): Promise<Dataset> {
  // Labels first: they are small, and a bad labels file should not cost a 200 MB images read;
  // the images' header is then checked against the label count before their body is read.
  const limits = { memoryLimitBytes: opts.memoryLimitBytes ?? defaultDatasetMemoryLimit() };
  const lab = await streamIdxLabels(labelsFile, limits);
  const labels = lab.labels;
  const images = await streamIdxImages(imagesFile, limits, { n: labels.length, file: labelsFile });
  let maxLabel = 0;
  const present = new Set<number>();
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] > maxLabel) maxLabel = labels[i];
    present.add(labels[i]);
  }
  if (present.size < 2) throw new DataError(`${labelsFile}: every label is ${labels[0]}; classification needs at least 2 classes`);
  const classNames = opts.classNames ?? Array.from({ length: maxLabel + 1 }, (_, k) => String(k));
  if (maxLabel >= classNames.length) {
    const at = labels.findIndex((v) => v >= classNames.length);
    throw new DataError(
      `${labelsFile}: label ${labels[at]} at index ${at} has no class name (classNames lists ${classNames.length} names)`,
    );
  }

  const d = images.rows * images.cols;
  const targets = sharedInt32(images.n);
  targets.set(labels);

  const base = path.basename(imagesFile).replace(/\.gz$/i, '');
  const featureNames = Array.from({ length: d }, (_, k) => `px${Math.floor(k / images.cols)}_${k % images.cols}`);
  return {
    name: opts.name ?? base,
    n: images.n,
    d,
    features: images.features,
    featureNames,
    targets: { kind: 'class', labels: targets, classNames },
    provenance:
      `${opts.origin ? opts.origin + '; ' : ''}IDX images ${imagesFile}${images.gzipped ? ' (gzip)' : ''} and labels ` +
      `${labelsFile}${lab.gzipped ? ' (gzip)' : ''}: ${images.n} images of ${images.rows}x${images.cols}, pixels = byte / 255`,
    imageShape: [images.rows, images.cols],
    valueRange: [0, 1],
    source: 'idx',
  };
}

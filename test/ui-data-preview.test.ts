/**
 * The data preview's image thumbnails and short paths (src/services/app/previews.ts,
 * display-paths.ts), on a hand-made 2x2 image set whose bytes are known.
 */
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { shortenPaths } from '../src/services/app/display-paths.js';
import { dataPreview } from '../src/services/app/previews.js';
import type { PreparedData } from '../src/engine/index.js';

function imageSet(): PreparedData {
  // Four 2x2 images, classes a, a, b, a; pixel values are byte / 255.
  const bytes = [
    [0, 255, 128, 1],
    [2, 3, 4, 5],
    [255, 0, 0, 255],
    [9, 9, 9, 9],
  ];
  const features = new Float32Array(bytes.flat().map((b) => b / 255));
  return {
    dataset: {
      name: 'tiny',
      n: 4,
      d: 4,
      features,
      featureNames: ['px0_0', 'px0_1', 'px1_0', 'px1_1'],
      targets: { kind: 'class', labels: new Int32Array([0, 0, 1, 0]), classNames: ['a', 'b'] },
      provenance: 'IDX images /home/u/data/x.idx',
      imageShape: [2, 2],
      valueRange: [0, 1],
    },
    features,
    splits: { train: new Int32Array([0, 1]), validation: new Int32Array([2]), test: new Int32Array([3]) },
  } as unknown as PreparedData;
}

describe('data preview images', () => {
  it('gives the bytes of the first image of each class first, then the next rows', () => {
    const images = dataPreview(imageSet()).images!;
    expect(images.height).toBe(2);
    expect(images.width).toBe(2);
    expect(images.samples.map((s) => s.label)).toEqual(['a', 'b', 'a', 'a']);
    expect(images.samples[0].pixels).toEqual([0, 255, 128, 1]);
    expect(images.samples[1].pixels).toEqual([255, 0, 0, 255]);
    expect(images.samples[2].pixels).toEqual([2, 3, 4, 5]);
  });

  it('has no images for data that is not images', () => {
    const p = imageSet();
    delete (p.dataset as { imageShape?: unknown }).imageShape;
    expect(dataPreview(p).images).toBeNull();
  });
});

describe('short paths', () => {
  const home = os.homedir();
  const store = path.join(home, 'ablate-runs');
  const folders = [
    { dir: '/opt/Ablate/resources/mnist', as: '<built-in>' },
    { dir: store, as: '<store>' },
    { dir: home, as: '~' },
  ];
  it('names the most specific folder a path lies in', () => {
    expect(shortenPaths(`IDX images ${path.join(home, 'data', 'x.idx')} and ${path.join(store, 'e', 'f.csv')}`, folders)).toBe(
      'IDX images ~/data/x.idx and <store>/e/f.csv',
    );
    expect(shortenPaths('embedded: /opt/Ablate/resources/mnist/t10k.gz', folders)).toBe('embedded: <built-in>/t10k.gz');
  });

  it('leaves other paths, and a folder that merely starts the same, alone', () => {
    expect(shortenPaths('/etc/data.csv', folders)).toBe('/etc/data.csv');
    expect(shortenPaths(`${home}2/x.csv`, folders)).toBe(`${home}2/x.csv`);
  });

  it('passes the preview text through it', () => {
    expect(dataPreview(imageSet(), (t) => t.replace('/home/u', '~')).provenance).toBe('IDX images ~/data/x.idx');
  });
});

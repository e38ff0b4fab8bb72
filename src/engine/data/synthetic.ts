/**
 * Synthetic datasets, a pure function of (kind, n, noise, classes, seed): every number comes from
 * stream(seed, Purpose.synthetic, kindIndex), drawn row by row in a fixed order, so the same spec
 * gives the same bytes on every machine and thread. No files, no Node APIs: any thread may call it.
 *
 * Classification (2-D, row i belongs to class i mod K, so classes are balanced and interleaved;
 * `noise` is the standard deviation of Gaussian noise added to each coordinate):
 *   circles    K concentric rings, class k on radius (k + 1) / K
 *   xor        2 classes only: points uniform in the four quadrants of [-1, 1]^2, class 0 where
 *              x * y > 0 (quadrants I and III), class 1 elsewhere
 *   gaussians  K blobs centred on the unit circle at angles 2 pi k / K; `noise` is their spread
 *   spiral     K arms: t uniform in [0, 1), radius t, angle 2 pi k / K + 2.5 pi t (1.25 turns)
 * Regression (target y, one column; `noise` is the std of Gaussian noise added to y):
 *   sine       x uniform in [-pi, pi], y = sin(x)
 *   plane      x1, x2 uniform in [-1, 1], y = 0.5 x1 - 0.3 x2 + 0.2
 *   friedman1  x1..x10 uniform in [0, 1], y = 10 sin(pi x1 x2) + 20 (x3 - 0.5)^2 + 10 x4 + 5 x5
 *              (Friedman 1991; x6..x10 are irrelevant on purpose)
 */
import type { Checker } from '../config/check.js';
import { defaultOf, rangeOf } from '../config/vocabulary/index.js';
import { Purpose } from '../rng/hash.js';
import { stream, type RandomStream } from '../rng/stream.js';
import { sharedFloat32, sharedInt32, type Dataset } from './dataset.js';
import type { DataSourceDef } from './source.js';
import {
  SYNTHETIC_CLASSIFICATION_KINDS,
  SYNTHETIC_KINDS,
  type ResolvedSyntheticSpec,
  type SyntheticKind,
  type SyntheticSpec,
} from './spec.js';

// Ranges and defaults are facts of the config vocabulary (src/engine/config/vocabulary/data.ts).
export const SYNTHETIC_MAX_ROWS = rangeOf('data.n').max!;
export const SYNTHETIC_MAX_CLASSES = rangeOf('data.classes').max!;
export const SYNTHETIC_DEFAULT_NOISE = defaultOf('data.noise') as number;
const DEFAULT_CLASSES = defaultOf('data.classes') as number;
const DEFAULT_SEED = defaultOf('data.seed') as number;

export interface SyntheticParams {
  kind: SyntheticKind;
  n: number;
  noise: number;
  /** Classification kinds only; default 2. */
  classes?: number;
  seed: number;
}

export function isClassificationKind(kind: SyntheticKind): boolean {
  return (SYNTHETIC_CLASSIFICATION_KINDS as readonly string[]).includes(kind);
}

export function makeSynthetic(p: SyntheticParams): Dataset {
  const rng = stream(p.seed, Purpose.synthetic, SYNTHETIC_KINDS.indexOf(p.kind) + 1);
  const provenance = `synthetic ${p.kind}: n=${p.n}, noise=${p.noise}${isClassificationKind(p.kind) ? `, classes=${p.classes ?? DEFAULT_CLASSES}` : ''}, seed=${p.seed}`;
  const base = { name: p.kind, n: p.n, provenance, source: 'synthetic' };
  if (isClassificationKind(p.kind)) {
    const k = p.classes ?? DEFAULT_CLASSES;
    const x = sharedFloat32(p.n * 2);
    const labels = sharedInt32(p.n);
    for (let i = 0; i < p.n; i++) {
      const c = i % k;
      labels[i] = c;
      const [a, b] = classPoint(p.kind, c, k, rng);
      x[2 * i] = a + p.noise * rng.normal();
      x[2 * i + 1] = b + p.noise * rng.normal();
    }
    const classNames = Array.from({ length: k }, (_, j) => String(j));
    return { ...base, d: 2, features: x, featureNames: ['x1', 'x2'], targets: { kind: 'class', labels, classNames } };
  }
  const d = p.kind === 'sine' ? 1 : p.kind === 'plane' ? 2 : 10;
  const x = sharedFloat32(p.n * d);
  const y = sharedFloat32(p.n);
  const row = new Float64Array(d);
  for (let i = 0; i < p.n; i++) {
    const f = regressionRow(p.kind, row, rng);
    for (let j = 0; j < d; j++) x[i * d + j] = row[j];
    y[i] = f + p.noise * rng.normal();
  }
  const featureNames = Array.from({ length: d }, (_, j) => `x${j + 1}`);
  return { ...base, d, features: x, featureNames, targets: { kind: 'vector', values: y, width: 1, names: ['y'] } };
}

/** The noise-free point of class c (of k) for a classification kind. */
function classPoint(kind: SyntheticKind, c: number, k: number, rng: RandomStream): [number, number] {
  switch (kind) {
    case 'circles': {
      const angle = rng.uniform(0, 2 * Math.PI);
      const r = (c + 1) / k;
      return [r * Math.cos(angle), r * Math.sin(angle)];
    }
    case 'xor': {
      const sx = rng.nextFloat() < 0.5 ? -1 : 1;
      const sy = c === 0 ? sx : -sx;
      return [sx * rng.nextFloat(), sy * rng.nextFloat()];
    }
    case 'gaussians': {
      const angle = (2 * Math.PI * c) / k;
      return [Math.cos(angle), Math.sin(angle)];
    }
    case 'spiral': {
      const t = rng.nextFloat();
      const angle = (2 * Math.PI * c) / k + 2.5 * Math.PI * t;
      return [t * Math.cos(angle), t * Math.sin(angle)];
    }
    default:
      throw new Error(`classPoint: ${kind} is not a classification kind`);
  }
}

/** Fills `x` with one row's inputs and returns the noise-free target. */
function regressionRow(kind: SyntheticKind, x: Float64Array, rng: RandomStream): number {
  switch (kind) {
    case 'sine':
      x[0] = rng.uniform(-Math.PI, Math.PI);
      return Math.sin(x[0]);
    case 'plane':
      x[0] = rng.uniform(-1, 1);
      x[1] = rng.uniform(-1, 1);
      return 0.5 * x[0] - 0.3 * x[1] + 0.2;
    case 'friedman1':
      for (let j = 0; j < 10; j++) x[j] = rng.nextFloat();
      return 10 * Math.sin(Math.PI * x[0] * x[1]) + 20 * (x[2] - 0.5) ** 2 + 10 * x[3] + 5 * x[4];
    default:
      throw new Error(`regressionRow: ${kind} is not a regression kind`);
  }
}

export const syntheticSource: DataSourceDef<SyntheticSpec, ResolvedSyntheticSpec> = {
  name: 'synthetic',
  fields: ['kind', 'n', 'noise', 'classes', 'seed'],
  fileFields: [],
  defaultPreprocess: 'none',
  check(c: Checker, p: string, spec: Record<string, unknown>) {
    const kindOk = c.field(`${p}.kind`, spec.kind, 'data.kind');
    c.field(`${p}.n`, spec.n, 'data.n');
    c.field(`${p}.noise`, spec.noise, 'data.noise');
    c.field(`${p}.seed`, spec.seed, 'data.seed');
    if (!kindOk || spec.classes === undefined) return;
    const kind = spec.kind as SyntheticKind;
    if (!isClassificationKind(kind)) {
      c.fail(
        `${p}.classes`,
        `only classification kinds (${SYNTHETIC_CLASSIFICATION_KINDS.join(', ')}) take classes; ${kind} is a regression set`,
      );
    } else if (kind === 'xor') {
      if (spec.classes !== 2) c.fail(`${p}.classes`, `xor has exactly 2 classes, got ${JSON.stringify(spec.classes)}`);
    } else if (c.field(`${p}.classes`, spec.classes, 'data.classes')) {
      if (typeof spec.n === 'number' && spec.n < (spec.classes as number))
        c.fail(`${p}.n`, `must be at least the number of classes (${spec.classes}), got ${spec.n}`);
    }
  },
  resolve: (spec) => ({
    ...spec,
    noise: spec.noise ?? SYNTHETIC_DEFAULT_NOISE,
    seed: spec.seed ?? DEFAULT_SEED,
    ...(isClassificationKind(spec.kind) ? { classes: spec.classes ?? DEFAULT_CLASSES } : {}),
  }),
  load: async (spec) => makeSynthetic(spec),
};

/**
 * Feature preprocessing fitted on the training rows only, applied to every row:
 *   x' = float32(float32(x - shift[j]) / scale[j])
 * with shift and scale stored as float32-exact numbers, so ONNX's float32 Sub then Div reproduce
 * the engine's values bit for bit. The statistics are plain JSON (PreprocessStats) and travel with
 * an exported model.
 *  - scale01: shift = min, scale = max - min per feature over the training rows; when the dataset
 *    declares a valueRange (images: bytes / 255 in [0, 1]) that range is used for every feature
 *    instead ("fittedOn": "format"), i.e. no per-pixel stretching. Not clipped: validation and
 *    test rows may fall outside [0, 1].
 *  - standardize: shift = mean, scale = population std (divide by n, like scikit-learn's
 *    StandardScaler), computed in float64 over the training rows.
 *  - constant features (max == min, or std <= 1e-6 * |mean| or 0) get scale 1: only shifted.
 * Pure; any thread (writes only the new shared matrix it allocates).
 */
import { sharedFloat32, type Dataset } from './dataset.js';
import type { Preprocess } from './spec.js';

export type PreprocessStats =
  | { kind: 'none' }
  | {
      kind: 'scale01';
      fittedOn: 'train' | 'format';
      /** Training rows the statistics were computed from (0 when taken from the format). */
      rows: number;
      min: number[];
      max: number[];
      shift: number[];
      scale: number[];
    }
  | { kind: 'standardize'; fittedOn: 'train'; rows: number; mean: number[]; std: number[]; shift: number[]; scale: number[] };

export function fitPreprocess(ds: Dataset, train: Int32Array, kind: Preprocess): PreprocessStats {
  const d = ds.d;
  const x = ds.features;
  if (kind === 'none') return { kind };
  if (kind === 'scale01') {
    let min: number[];
    let max: number[];
    if (ds.valueRange) {
      min = new Array<number>(d).fill(ds.valueRange[0]);
      max = new Array<number>(d).fill(ds.valueRange[1]);
    } else {
      min = new Array<number>(d).fill(Infinity);
      max = new Array<number>(d).fill(-Infinity);
      for (let i = 0; i < train.length; i++) {
        const off = train[i] * d;
        for (let j = 0; j < d; j++) {
          const v = x[off + j];
          if (v < min[j]) min[j] = v;
          if (v > max[j]) max[j] = v;
        }
      }
    }
    const shift = min.map((v) => Math.fround(v));
    const scale = min.map((lo, j) => (max[j] > lo ? Math.fround(max[j] - lo) : 1));
    return { kind, fittedOn: ds.valueRange ? 'format' : 'train', rows: ds.valueRange ? 0 : train.length, min, max, shift, scale };
  }
  const mean = new Float64Array(d);
  for (let i = 0; i < train.length; i++) {
    const off = train[i] * d;
    for (let j = 0; j < d; j++) mean[j] += x[off + j];
  }
  for (let j = 0; j < d; j++) mean[j] /= train.length;
  const sq = new Float64Array(d);
  for (let i = 0; i < train.length; i++) {
    const off = train[i] * d;
    for (let j = 0; j < d; j++) {
      const e = x[off + j] - mean[j];
      sq[j] += e * e;
    }
  }
  const std = Array.from(sq, (s) => Math.sqrt(s / train.length));
  const meanList = Array.from(mean);
  const scale = std.map((s, j) => (s === 0 || s <= 1e-6 * Math.abs(meanList[j]) ? 1 : Math.fround(s)));
  return { kind, fittedOn: 'train', rows: train.length, mean: meanList, std, shift: meanList.map((m) => Math.fround(m)), scale };
}

/** A new shared (n, d) matrix with the preprocessing applied to every row; `none` returns the input. */
export function applyPreprocess(ds: Dataset, stats: PreprocessStats): Float32Array {
  if (stats.kind === 'none') return ds.features;
  const d = ds.d;
  const x = ds.features;
  const out = sharedFloat32(x.length);
  const shift = Float64Array.from(stats.shift);
  const scale = Float64Array.from(stats.scale);
  for (let i = 0; i < x.length; i += d) {
    for (let j = 0; j < d; j++) out[i + j] = Math.fround(x[i + j] - shift[j]) / scale[j];
  }
  return out;
}

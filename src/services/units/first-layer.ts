/**
 * The first hidden layer's incoming weights of a trained model, one image per unit (the
 * weight of input pixel (r, c) at row r, column c of the data's image shape), sorted by norm,
 * with the units that are dead on the validation split (activation exactly 0 for every row, the
 * diagnostics' definition) marked. Pure over a model and prepared data; main thread.
 */
import { type PredictableModel, Predictor, type PreparedData } from '../../engine/index.js';
import type { UnitImage } from '../../shared/types/units.js';

/** [height, width] when the data's rows are images the first layer reads whole; else null. */
export function imageShapeOf(p: PreparedData): [number, number] | null {
  const s = p.dataset.imageShape;
  return s && s[0] * s[1] === p.dataset.d ? s : null;
}

export function firstLayerUnits(
  model: PredictableModel,
  p: PreparedData,
): { units: UnitImage[]; maxAbs: number; deadCount: number | null } {
  const first = model.plan.hidden[0];
  if (!first) throw new Error('the model has no hidden layer: there are no units to draw');
  const { weight } = first.linear;
  const inDim = first.linear.inDim;
  const w = model.params.subarray(weight.offset, weight.offset + weight.size);
  const dead = deadUnits(model, p);
  let maxAbs = 0;
  const units: UnitImage[] = Array.from({ length: first.width }, (_, j) => {
    const row = w.subarray(j * inDim, (j + 1) * inDim);
    let sq = 0;
    for (const v of row) {
      sq += v * v;
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
    return { unit: j, norm: Math.sqrt(sq), dead: dead ? dead[j] : null, weights: Array.from(row) };
  });
  units.sort((a, b) => b.norm - a.norm || a.unit - b.unit);
  return { units, maxAbs, deadCount: dead ? dead.filter(Boolean).length : null };
}

/** Per first-layer unit: activation exactly 0 on every validation row (null without a validation split). */
export function deadUnits(model: PredictableModel, p: PreparedData): boolean[] | null {
  const rows = p.splits.validation;
  if (rows.length === 0) return null;
  const d = p.dataset.d;
  const width = model.plan.hidden[0].width;
  const dead = new Array<boolean>(width).fill(true);
  const predictor = new Predictor(model);
  const x = new Float32Array(rows.length * d);
  rows.forEach((r, k) => x.set(p.features.subarray(r * d, (r + 1) * d), k * d));
  const a = predictor.hiddenActivations(x, rows.length, 0);
  for (let k = 0; k < rows.length; k++) for (let j = 0; j < width; j++) if (a[k * width + j] !== 0) dead[j] = false;
  return dead;
}

/**
 * For 2-D data: a grid over the data's bounding box (10% margin; the decision boundary view
 * draws on it too), each hidden unit's activation over that grid (the Playground's per-neuron view),
 * each model's predicted class per grid point, and where a set of models disagrees: per grid
 * point, the fraction of models whose class differs from the most common class there (a tie
 * between classes gives the same fraction whichever is taken). Pure; main thread.
 */
import { type PredictableModel, Predictor, type PreparedData } from '../../engine/index.js';
import type { UnitResponseLayer } from '../../shared/types/units.js';

export interface PlaneGrid {
  xs: number[];
  ys: number[];
  /** (res * res, 2) points, row j (y) major: point (i, j) at 2 * (j * res + i). */
  points: Float32Array;
}

export function planeGrid(p: PreparedData, resolution: number): PlaneGrid {
  const ds = p.dataset;
  if (ds.d !== 2) throw new Error(`a map over the input plane needs 2-D data; ${ds.name} has ${ds.d} features`);
  const res = Math.max(2, Math.round(resolution));
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < ds.n; i++) {
    x0 = Math.min(x0, p.features[2 * i]);
    x1 = Math.max(x1, p.features[2 * i]);
    y0 = Math.min(y0, p.features[2 * i + 1]);
    y1 = Math.max(y1, p.features[2 * i + 1]);
  }
  const mx = 0.1 * (x1 - x0 || 1);
  const my = 0.1 * (y1 - y0 || 1);
  const xs = Array.from({ length: res }, (_, i) => x0 - mx + ((x1 - x0 + 2 * mx) * i) / (res - 1));
  const ys = Array.from({ length: res }, (_, j) => y0 - my + ((y1 - y0 + 2 * my) * j) / (res - 1));
  const points = new Float32Array(res * res * 2);
  ys.forEach((y, j) => xs.forEach((x, i) => points.set([x, y], 2 * (j * res + i))));
  return { xs, ys, points };
}

/** Every hidden layer's units over the grid: [unit][j][i] activation outputs. */
export function unitResponses(model: PredictableModel, grid: PlaneGrid): UnitResponseLayer[] {
  const res = grid.xs.length;
  const predictor = new Predictor(model);
  return model.plan.hidden.map((h, layer) => {
    const a = predictor.hiddenActivations(grid.points, res * res, layer);
    let maxAbs = 0;
    const units = Array.from({ length: h.width }, (_, u) =>
      Array.from({ length: res }, (_, j) =>
        Array.from({ length: res }, (_, i) => {
          const v = a[(j * res + i) * h.width + u];
          maxAbs = Math.max(maxAbs, Math.abs(v));
          return v;
        }),
      ),
    );
    return { layer, activation: h.activation, units, maxAbs };
  });
}

/** The predicted class (argmax; a sigmoid head's single output: > 0.5) per grid point, [j][i]. */
export function gridClasses(model: PredictableModel, grid: PlaneGrid): number[][] {
  const res = grid.xs.length;
  const o = model.plan.outputSize;
  const z = new Predictor(model).predict(grid.points, res * res, true);
  return Array.from({ length: res }, (_, j) =>
    Array.from({ length: res }, (_, i) => {
      const k = j * res + i;
      if (o === 1) return z[k] > 0.5 ? 1 : 0;
      let best = 0;
      for (let c = 1; c < o; c++) if (z[k * o + c] > z[k * o + best]) best = c;
      return best;
    }),
  );
}

/** Per grid point, the fraction of the maps whose class differs from the most common one there. */
export function disagreement(maps: number[][][]): number[][] {
  if (maps.length === 0) throw new Error('disagreement needs at least one class map');
  const rows = maps[0].length;
  return Array.from({ length: rows }, (_, j) =>
    Array.from({ length: maps[0][j].length }, (_, i) => {
      const counts = new Map<number, number>();
      let top = 0;
      for (const m of maps) {
        const c = m[j][i];
        const n = (counts.get(c) ?? 0) + 1;
        counts.set(c, n);
        top = Math.max(top, n);
      }
      return (maps.length - top) / maps.length;
    }),
  );
}

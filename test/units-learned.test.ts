/**
 * "What the units learned" (src/services/units/) on hand-built networks whose answers are known
 * in closed form: first-layer unit images are the weight rows laid out in the image shape,
 * sorted by norm, with a unit whose bias keeps it below zero on every validation row marked dead;
 * response maps are the units' formulas evaluated on the grid; the predicted class map follows
 * the sign of a logit difference; the disagreement map on constructed class maps; and the
 * sentence about which epoch's weights a run stored.
 */
import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../src/engine/config/validate.js';
import { prepare, type Dataset } from '../src/engine/data/index.js';
import { sharedFloat32 } from '../src/engine/data/dataset.js';
import { planModel, tensorView } from '../src/engine/model/plan.js';
import type { PredictableModel } from '../src/engine/inference/predictor.js';
import { firstLayerUnits, imageShapeOf } from '../src/services/units/first-layer.js';
import { disagreement, gridClasses, planeGrid, unitResponses } from '../src/services/units/plane.js';
import { storedWeights } from '../src/services/units/units-learned.js';
import type { RunSummary } from '../src/services/experiments/types.js';

function dataset(rows: number[][], imageShape?: [number, number]): Dataset {
  const d = rows[0].length;
  const features = sharedFloat32(rows.length * d);
  rows.forEach((r, i) => features.set(r, i * d));
  return {
    name: 'hand',
    n: rows.length,
    d,
    features,
    featureNames: rows[0].map((_, j) => `f${j}`),
    targets: { kind: 'class', labels: Int32Array.from(rows, (_, i) => i % 2), classNames: ['a', 'b'] },
    provenance: 'hand-made',
    imageShape,
  };
}

/** A model with the given hidden layers and hand-set weights ([out][in] rows) and biases. */
function model(
  d: number,
  hidden: Array<{ activation: string; w: number[][]; b: number[] }>,
  out: { w: number[][]; b: number[] },
): PredictableModel {
  const config = validateRunConfig({
    seed: 1,
    model: {
      inputSize: d,
      hidden: hidden.map((h) => ({ width: h.w.length, activation: h.activation })),
      outputSize: out.w.length,
      head: 'softmax',
      init: { weights: 'zeros', bias: 'zeros' },
    },
    train: { epochs: 1, batchSize: 4, optimizer: { name: 'sgd', lr: 0.1 } },
  });
  const plan = planModel(config.model);
  const params = new Float32Array(plan.paramCount);
  const set = (lin: (typeof plan.hidden)[number]['linear'], w: number[][], b: number[]) => {
    tensorView(params, lin.weight).set(w.flat());
    tensorView(params, lin.bias).set(b);
  };
  hidden.forEach((h, l) => set(plan.hidden[l].linear, h.w, h.b));
  set(plan.output, out.w, out.b);
  return { config, plan, params, bnBuffers: new Float32Array(plan.bufferCount) };
}

describe('first-layer units as images', () => {
  // Pixels in [0, 1]; some row has x0 > x5, so unit 0 (x0 - x5) is alive; unit 2 (3 x0 - 100) never is.
  const rows = Array.from({ length: 20 }, (_, i) => Array.from({ length: 6 }, (_, j) => ((i * 7 + j * 3) % 10) / 10));
  const p = prepare(dataset(rows, [2, 3]), { validation: 0.5, test: 0, seed: 1 });
  const m = model(
    6,
    [
      {
        activation: 'relu',
        w: [
          [1, 0, 0, 0, 0, -1],
          [0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
          [3, 0, 0, 0, 0, 0],
        ],
        b: [0, 0, -100],
      },
    ],
    {
      w: [
        [1, 1, 1],
        [-1, -1, -1],
      ],
      b: [0, 0],
    },
  );

  it('lays each unit out in the image shape, sorted by norm, and marks the unit that is 0 on every validation row', () => {
    expect(imageShapeOf(p)).toEqual([2, 3]);
    const { units, maxAbs, deadCount } = firstLayerUnits(m, p);
    expect(units.map((u) => u.unit)).toEqual([2, 0, 1]);
    expect(units.map((u) => u.norm)).toEqual([3, Math.SQRT2, Math.sqrt(1.5)].map((v) => expect.closeTo(v, 6)));
    expect(units[1].weights).toEqual([1, 0, 0, 0, 0, -1]);
    expect(maxAbs).toBe(3);
    expect(units.map((u) => u.dead)).toEqual([true, false, false]);
    expect(deadCount).toBe(1);
  });

  it('says dead is unknown without a validation split, and that non-image rows have no image shape', () => {
    const noVal = prepare(dataset(rows, [2, 3]), { validation: 0, test: 0, seed: 1 });
    expect(firstLayerUnits(m, noVal).units.every((u) => u.dead === null)).toBe(true);
    expect(imageShapeOf(prepare(dataset(rows), { validation: 0.5, test: 0, seed: 1 }))).toBeNull();
    expect(imageShapeOf(prepare(dataset(rows, [2, 2]), { validation: 0.5, test: 0, seed: 1 }))).toBeNull();
  });
});

describe('units over the input plane', () => {
  const rows = [
    [-1, -2],
    [1, 2],
    [0, 0],
    [0.5, -1],
  ];
  const p = prepare(dataset(rows), { validation: 0, test: 0, seed: 1 });
  const m = model(
    2,
    [
      {
        activation: 'identity',
        w: [
          [2, -1],
          [1, 0],
        ],
        b: [0.5, 0],
      },
      { activation: 'relu', w: [[0, 1]], b: [-0.25] },
    ],
    { w: [[1], [-1]], b: [0, 0.2] },
  );

  it('spans the data with a 10% margin and evaluates each unit formula at every grid point', () => {
    const g = planeGrid(p, 9);
    expect(g.xs[0]).toBeCloseTo(-1.2, 6);
    expect(g.xs[8]).toBeCloseTo(1.2, 6);
    expect(g.ys[0]).toBeCloseTo(-2.4, 6);
    expect(g.ys[8]).toBeCloseTo(2.4, 6);
    const [first, second] = unitResponses(m, g);
    g.ys.forEach((y, j) =>
      g.xs.forEach((x, i) => {
        expect(first.units[0][j][i]).toBeCloseTo(2 * x - y + 0.5, 5);
        expect(first.units[1][j][i]).toBeCloseTo(x, 5);
        expect(second.units[0][j][i]).toBeCloseTo(Math.max(0, x - 0.25), 5);
      }),
    );
    expect(first.maxAbs).toBeCloseTo(2 * 1.2 + 2.4 + 0.5, 5);
    expect(second.activation).toBe('relu');
  });

  it('predicts class 0 exactly where the logit difference 2 relu(x - 0.25) - 0.2 is positive', () => {
    const g = planeGrid(p, 9);
    const classes = gridClasses(m, g);
    g.ys.forEach((_, j) => g.xs.forEach((x, i) => expect(classes[j][i]).toBe(x > 0.35 ? 0 : 1)));
  });
});

describe('where runs disagree', () => {
  it('is the fraction of maps off the most common class at each point', () => {
    const maps = [[[0, 0, 0, 0, 2]], [[0, 0, 1, 1, 2]], [[0, 1, 2, 1, 0]], [[0, 1, 2, 0, 1]]];
    // Point 0: all agree. Point 1: 2-2 tie. Point 2: 0,1,2,2 -> majority 2 (2 of 4). Point 3: 0,1,1,0 tie. Point 4: 2,2,0,1.
    expect(disagreement(maps)).toEqual([[0, 0.5, 0.5, 0.5, 0.5]]);
    expect(disagreement([[[1, 2]], [[1, 2]], [[1, 0]]])).toEqual([[0, 1 / 3]]);
    expect(disagreement([[[3]]])).toEqual([[0]]);
    expect(() => disagreement([])).toThrow(/at least one/);
  });
});

describe('which weights a run stored', () => {
  const epoch = (e: number) => ({ epoch: e }) as RunSummary['final'];
  const summary = (over: Partial<RunSummary>) =>
    ({ status: 'completed', restoredBestWeights: false, bestEpoch: 3, final: epoch(9), best: epoch(3), ...over }) as RunSummary;

  it('says plainly when only one of the best and final epochs is kept, and when they are the same', () => {
    expect(storedWeights(summary({})).text).toBe(
      "Only the final epoch's weights (epoch 10) are stored; the best epoch's (epoch 4) are not kept (one set per run).",
    );
    expect(storedWeights(summary({ status: 'early_stopped', restoredBestWeights: true, final: epoch(6) })).text).toBe(
      "Only the best epoch's weights (epoch 4, restored) are stored; the final epoch's (epoch 7) are not kept.",
    );
    expect(storedWeights(summary({ bestEpoch: 9, best: epoch(9) })).text).toBe(
      'The best epoch is the final one (epoch 10): these weights are both.',
    );
  });
});

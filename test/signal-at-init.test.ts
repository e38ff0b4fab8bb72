/**
 * Signal propagation at initialization (src/engine/inference/signal.ts) against independent
 * references: a float64 forward and backward pass written out here from the initial weights
 * (softmax cross-entropy, tanh and identity layers), closed forms in expectation for deep linear
 * networks with Glorot and He initialization, zero initialization (exactly zero gradients
 * below the output layer), and PyTorch on small MLPs with batch norm (pre and post), residual layers
 * and softmax, sigmoid and linear heads (test/fixtures/pytorch-signal-reference.json, recorded by
 * scripts/record-pytorch-signal.py).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../src/engine/config/validate.js';
import { initializeModel } from '../src/engine/init/initializers.js';
import { planModel, tensorView } from '../src/engine/model/plan.js';
import { firstBatchRows, signalAtInit } from '../src/engine/inference/signal.js';
import { stream } from '../src/engine/rng/stream.js';
import type { TrainingData } from '../src/engine/train/setup.js';

function gaussianData(n: number, d: number, classes: number, seed: number): TrainingData {
  const rng = stream(seed, 77);
  const x = new Float32Array(n * d);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  const y = Int32Array.from({ length: n }, (_, i) => i % classes);
  return {
    features: x,
    d,
    labels: y,
    values: null,
    width: 1,
    train: Int32Array.from({ length: n }, (_, i) => i),
    validation: new Int32Array(0),
    test: new Int32Array(0),
  };
}

function config(
  d: number,
  hidden: Array<{ width: number; activation: string }>,
  classes: number,
  weights: string,
  batchSize: number,
  seed = 5,
) {
  return validateRunConfig({
    seed,
    model: { inputSize: d, hidden, outputSize: classes, head: 'softmax', init: { weights, bias: 'zeros' } },
    train: { epochs: 1, batchSize, optimizer: { name: 'sgd', lr: 0.1 } },
  });
}

const variance = (x: number[]) => {
  const m = x.reduce((s, v) => s + v, 0) / x.length;
  return x.reduce((s, v) => s + (v - m) * (v - m), 0) / x.length;
};

describe('signal at initialization', () => {
  it('matches a float64 forward and backward pass written out from the initial weights', () => {
    const d = 5;
    const hidden = [
      { width: 7, activation: 'tanh' },
      { width: 4, activation: 'identity' },
    ];
    const cfg = config(d, hidden, 3, 'glorot_uniform', 16);
    const data = gaussianData(40, d, 3, 1);
    const got = signalAtInit(cfg, data, data.train);
    const rows = Array.from(firstBatchRows(cfg, data.train));
    expect(got.rows).toBe(16);
    expect(new Set(rows).size).toBe(16);

    const plan = planModel(cfg.model);
    const params = new Float32Array(plan.paramCount);
    initializeModel(plan, cfg.model.init, cfg.seed, params, new Float32Array(plan.bufferCount));
    const lins = [...plan.hidden.map((h) => h.linear), plan.output].map((l) => ({
      w: tensorView(params, l.weight),
      b: tensorView(params, l.bias),
      inDim: l.inDim,
      outDim: l.outDim,
    }));
    const acts = ['tanh', 'identity', 'identity'];
    const B = rows.length;
    // Forward: z[l] (B x out), a[l].
    const zs: number[][][] = [];
    const as: number[][][] = [];
    let input = rows.map((r) => Array.from(data.features.subarray(r * d, (r + 1) * d), Number));
    lins.forEach((lin, l) => {
      const z = input.map((x) =>
        Array.from({ length: lin.outDim }, (_, j) => lin.b[j] + x.reduce((s, v, i) => s + lin.w[j * lin.inDim + i] * v, 0)),
      );
      const a = z.map((row) => row.map((v) => (acts[l] === 'tanh' ? Math.tanh(v) : v)));
      zs.push(z);
      as.push(a);
      input = a;
    });
    // Softmax cross-entropy, batch mean: dL/dlogits = (p - onehot) / B.
    const logits = zs[2];
    let loss = 0;
    let dz = logits.map((row, r) => {
      const m = Math.max(...row);
      const e = row.map((v) => Math.exp(v - m));
      const s = e.reduce((t, v) => t + v, 0);
      const y = data.labels![rows[r]];
      loss += -Math.log(e[y] / s);
      return e.map((v, c) => (v / s - (c === y ? 1 : 0)) / B);
    });
    const grads: number[][][] = [];
    grads[2] = dz;
    for (let l = 2; l > 0; l--) {
      const lin = lins[l];
      const below = dz.map((g) => Array.from({ length: lin.inDim }, (_, i) => g.reduce((s, v, j) => s + v * lin.w[j * lin.inDim + i], 0)));
      dz = below.map((row, r) => row.map((v, i) => (acts[l - 1] === 'tanh' ? v * (1 - Math.tanh(zs[l - 1][r][i]) ** 2) : v)));
      grads[l - 1] = dz;
    }
    expect(got.loss).toBeCloseTo(loss / B, 5);
    got.layers.forEach((L, l) => {
      expect(L.layer).toBe(l);
      expect(L.preActivationVar).toBeCloseTo(variance(zs[l].flat()), 5);
      expect(L.gradVar / variance(grads[l].flat())).toBeCloseTo(1, 4);
      if (l < 2) expect(L.activationVar!).toBeCloseTo(variance(as[l].flat()), 5);
      else expect(L.activationVar).toBeNull();
    });
    expect(got.layers.map((l) => l.name)).toEqual(['hidden.0', 'hidden.1', 'output']);
  });

  // A deep linear network of equal widths n on unit-variance inputs: in expectation over the
  // weights, Var(z_l) = n Var(W) Var(z_{l-1}) forward and Var(dz_{l-1}) = n Var(W) Var(dz_l)
  // backward. Glorot: Var(W) = 2/(n+n) = 1/n, ratio 1. He (relu gain, sqrt 2): Var(W) = 2/n, ratio 2.
  it.each([
    ['glorot_normal', 1],
    ['he_normal', 2],
    ['glorot_uniform', 1],
    ['he_uniform', 2],
  ] as const)('deep linear network with %s: each layer scales both variances by %d in expectation', (weights, ratio) => {
    const n = 192;
    const hidden = Array.from({ length: 4 }, () => ({ width: n, activation: 'identity' }));
    const cfg = config(n, hidden, 10, weights, 256, 11);
    const data = gaussianData(256, n, 10, 3);
    const s = signalAtInit(cfg, data, data.train);
    expect(s.layers[0].preActivationVar).toBeGreaterThan(0.85 * ratio);
    expect(s.layers[0].preActivationVar).toBeLessThan(1.15 * ratio);
    for (let l = 1; l < 4; l++) {
      const forward = s.layers[l].preActivationVar / s.layers[l - 1].preActivationVar;
      const backward = s.layers[l - 1].gradVar / s.layers[l].gradVar;
      expect(forward).toBeGreaterThan(0.85 * ratio);
      expect(forward).toBeLessThan(1.15 * ratio);
      expect(backward).toBeGreaterThan(0.85 * ratio);
      expect(backward).toBeLessThan(1.15 * ratio);
    }
  });

  it('zero initialization: the hidden layers get exactly zero signal and zero gradient', () => {
    const cfg = config(
      6,
      [
        { width: 8, activation: 'relu' },
        { width: 8, activation: 'tanh' },
      ],
      3,
      'zeros',
      32,
    );
    const data = gaussianData(64, 6, 3, 2);
    const s = signalAtInit(cfg, data, data.train);
    for (const l of s.layers.slice(0, 2)) {
      expect(l.preActivationVar).toBe(0);
      expect(l.activationVar).toBe(0);
      expect(l.gradVar).toBe(0);
    }
    // Zero logits: softmax is uniform, dL/dlogits = (1/3 - onehot)/32, its variance over the batch known exactly.
    const g = Array.from({ length: 32 }, (_, r) =>
      [0, 1, 2].map((c) => (1 / 3 - (c === data.labels![firstBatchRows(cfg, data.train)[r]] ? 1 : 0)) / 32),
    ).flat();
    expect(s.layers[2].gradVar / variance(g)).toBeCloseTo(1, 6); // float32 buffers
    expect(s.loss).toBeCloseTo(Math.log(3), 6);
  });

  it('says which rows it used: the first training batch of the run (partial when the split is smaller)', () => {
    const cfg = config(3, [{ width: 4, activation: 'relu' }], 2, 'he_uniform', 64);
    const data = gaussianData(20, 3, 2, 4);
    expect(signalAtInit(cfg, data, data.train).rows).toBe(20);
    expect(() => signalAtInit(cfg, data, new Int32Array(0))).toThrow(/training split has no rows/);
  });
});

interface TorchSignal {
  rows: number;
  models: Array<{
    spec: { name: string; inputSize: number; outputSize: number; head: string; hidden: unknown[] };
    x: number[][];
    y: number[] | number[][];
    params: Record<string, number[]>;
    loss: number;
    layers: Array<{ preActivationVar: number; activationVar: number | null; gradVar: number }>;
  }>;
}

const torchRef: TorchSignal = JSON.parse(readFileSync(new URL('./fixtures/pytorch-signal-reference.json', import.meta.url), 'utf8'));

describe('signal at initialization against PyTorch', () => {
  it.each(torchRef.models.map((m) => [m.spec.name, m] as const))('%s: every variance and the loss', (_name, m) => {
    const { name: _n, ...spec } = m.spec;
    const cfg = validateRunConfig({
      seed: 1,
      model: { ...spec, init: { weights: 'glorot_uniform', bias: 'zeros' } },
      train: { epochs: 1, batchSize: torchRef.rows, optimizer: { name: 'sgd', lr: 0.1 } },
    });
    const regression = spec.head === 'linear';
    const data: TrainingData = {
      features: Float32Array.from(m.x.flat()),
      d: spec.inputSize,
      labels: regression ? null : Int32Array.from((m.y as number[] | number[][]).flat()),
      values: regression ? Float32Array.from((m.y as number[][]).flat()) : null,
      width: regression ? spec.outputSize : 1,
      train: Int32Array.from({ length: torchRef.rows }, (_, i) => i),
      validation: new Int32Array(0),
      test: new Int32Array(0),
    };
    const plan = planModel(cfg.model);
    const params = new Float32Array(plan.paramCount);
    expect(plan.params.map((p) => p.name).sort()).toEqual(Object.keys(m.params).sort());
    for (const p of plan.params) params.set(m.params[p.name], p.offset);
    // The whole train split is one batch: its order (the epoch-0 shuffle) changes no variance.
    const s = signalAtInit(cfg, data, data.train, { params });
    expect(s.rows).toBe(torchRef.rows);
    expect(s.loss).toBeCloseTo(m.loss, 5);
    expect(s.layers).toHaveLength(m.layers.length);
    const close = (ours: number, torch: number) => expect(Math.abs(ours - torch)).toBeLessThanOrEqual(1e-4 * Math.abs(torch) + 1e-12);
    s.layers.forEach((l, i) => {
      const t = m.layers[i];
      close(l.preActivationVar, t.preActivationVar);
      close(l.gradVar, t.gradVar);
      if (t.activationVar === null) expect(l.activationVar).toBeNull();
      else close(l.activationVar!, t.activationVar);
    });
  });
});

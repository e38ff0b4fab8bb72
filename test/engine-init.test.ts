/**
 * Initializers: bounds and standard deviations of each scheme on large tensors, the gains of
 * semantics.md, batch-norm parameters and buffers, and seeded reproducibility.
 */
import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../src/engine/config/validate.js';
import { fillFromDistribution, initializeModel, type InitSpec } from '../src/engine/init/initializers.js';
import { planModel } from '../src/engine/model/plan.js';
import { stream } from '../src/engine/rng/stream.js';

function stats(a: Float32Array): { min: number; max: number; mean: number; std: number } {
  let min = Infinity;
  let max = -Infinity;
  let s = 0;
  for (const v of a) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    s += v;
  }
  const mean = s / a.length;
  let q = 0;
  for (const v of a) q += (v - mean) ** 2;
  return { min, max, mean, std: Math.sqrt(q / a.length) };
}

const fanIn = 400;
const fanOut = 200;
const N = 200_000;
const sample = (spec: Partial<InitSpec> & { name: InitSpec['name'] }) => {
  const a = new Float32Array(N);
  fillFromDistribution(a, { fanIn, fanOut, gain: 1, ...spec }, stream(1, 2));
  return stats(a);
};

describe('initializer distributions', () => {
  const uniform: Array<[InitSpec['name'], number, number]> = [
    ['glorot_uniform', 5 / 3, (5 / 3) * Math.sqrt(6 / (fanIn + fanOut))],
    ['he_uniform', Math.SQRT2, Math.SQRT2 * Math.sqrt(3 / fanIn)],
    ['lecun_uniform', 1, Math.sqrt(3 / fanIn)],
    ['torch_default', 1, 1 / Math.sqrt(fanIn)],
  ];
  for (const [name, gain, bound] of uniform) {
    it(`${name} is U(-${bound.toFixed(4)}, ${bound.toFixed(4)})`, () => {
      const s = sample({ name, gain });
      expect(s.max).toBeLessThanOrEqual(bound);
      expect(s.min).toBeGreaterThanOrEqual(-bound);
      expect(s.max).toBeGreaterThan(bound * 0.999);
      // std of U(-a, a) is a / sqrt(3); 200k samples give ~0.3% relative error, allow 1.5%.
      expect(Math.abs(s.std / (bound / Math.sqrt(3)) - 1)).toBeLessThan(0.015);
      expect(Math.abs(s.mean)).toBeLessThan(bound * 0.01);
    });
  }
  const normal: Array<[InitSpec['name'], number, number]> = [
    ['glorot_normal', Math.SQRT2, Math.SQRT2 * Math.sqrt(2 / (fanIn + fanOut))],
    ['he_normal', Math.SQRT2, Math.SQRT2 / Math.sqrt(fanIn)],
    ['lecun_normal', 1, 1 / Math.sqrt(fanIn)],
  ];
  for (const [name, gain, std] of normal) {
    it(`${name} is N(0, ${std.toFixed(4)})`, () => {
      const s = sample({ name, gain });
      expect(Math.abs(s.std / std - 1)).toBeLessThan(0.015);
      expect(Math.abs(s.mean)).toBeLessThan(std * 0.01);
    });
  }
  it('normal(sigma) uses the user sigma and zeros is all zeros', () => {
    expect(Math.abs(sample({ name: 'normal', sigma: 2.5 }).std / 2.5 - 1)).toBeLessThan(0.015);
    const z = sample({ name: 'zeros' });
    expect([z.min, z.max]).toEqual([0, 0]);
  });
});

describe('initializeModel', () => {
  const cfg = validateRunConfig({
    seed: 9,
    model: {
      inputSize: 300,
      hidden: [
        { width: 200, activation: 'tanh', batchNorm: 'pre' },
        { width: 100, activation: 'leaky_relu', alpha: 0.2 },
      ],
      outputSize: 10,
      head: 'softmax',
      init: { weights: 'glorot_uniform', bias: 'torch_default' },
    },
    train: { epochs: 1, batchSize: 8, optimizer: { name: 'sgd', lr: 0.1 } },
  });
  const plan = planModel(cfg.model);
  const init = () => {
    const params = new Float32Array(plan.paramCount);
    const buffers = new Float32Array(plan.bufferCount);
    initializeModel(plan, cfg.model.init, cfg.seed, params, buffers);
    return { params, buffers };
  };

  it('uses each layer activation gain for Glorot and torch bias bounds, BN gamma 1, beta 0, running 0/1', () => {
    const { params, buffers } = init();
    const view = (name: string) => {
      const p = plan.params.find((q) => q.name === name)!;
      return params.subarray(p.offset, p.offset + p.size);
    };
    expect(stats(view('hidden.0.linear.weight')).max).toBeLessThanOrEqual((5 / 3) * Math.sqrt(6 / 500));
    expect(stats(view('hidden.0.linear.weight')).max).toBeGreaterThan((5 / 3) * Math.sqrt(6 / 500) * 0.99);
    const leakyGain = Math.sqrt(2 / (1 + 0.04));
    expect(stats(view('hidden.1.linear.weight')).max).toBeGreaterThan(leakyGain * Math.sqrt(6 / 300) * 0.99);
    expect(stats(view('output.weight')).max).toBeLessThanOrEqual(Math.sqrt(6 / 110));
    expect(stats(view('hidden.1.linear.bias')).max).toBeLessThanOrEqual(1 / Math.sqrt(200));
    expect(Array.from(view('hidden.0.bn.gamma')).every((v) => v === 1)).toBe(true);
    expect(Array.from(view('hidden.0.bn.beta')).every((v) => v === 0)).toBe(true);
    const rm = plan.buffers.find((b) => b.kind === 'running_mean')!;
    const rv = plan.buffers.find((b) => b.kind === 'running_var')!;
    expect(Array.from(buffers.subarray(rm.offset, rm.offset + rm.size)).every((v) => v === 0)).toBe(true);
    expect(Array.from(buffers.subarray(rv.offset, rv.offset + rv.size)).every((v) => v === 1)).toBe(true);
  });

  it('is a pure function of the seed', () => {
    expect(init().params).toEqual(init().params);
  });
});

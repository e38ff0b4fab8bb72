/**
 * The orthogonal and constant initializers: torch.nn.init.orthogonal_ recorded by
 * scripts/record-pytorch-reference.py (its N(0, 1) draws and its result, so the QR and sign
 * convention are checked apart from the random numbers), the closed-form properties on a whole
 * model (W W^T = gain^2 I for wide weights, W^T W = gain^2 I for tall ones, with the gain of the
 * layer's activation), seeding, the constant's value, and the config and compare errors.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../src/engine/config/validate.js';
import { initializeModel } from '../src/engine/init/initializers.js';
import { orthogonalFromNormals } from '../src/engine/init/orthogonal.js';
import { planModel } from '../src/engine/model/plan.js';
import { factorFor } from '../src/services/experiments/spec/factors.js';

const ref = JSON.parse(readFileSync(new URL('./fixtures/pytorch-reference.json', import.meta.url), 'utf8'));

interface Recorded {
  rows: number;
  cols: number;
  gain: number;
  normals: number[];
  weight: number[];
}

/** max |(M M^T or M^T M) - gain^2 I| over the smaller Gram matrix of m (rows, cols). */
function gramError(m: Float32Array, rows: number, cols: number, gain: number): number {
  const wide = rows <= cols;
  const k = wide ? rows : cols;
  const at = (i: number, j: number) => (wide ? m[i * cols + j] : m[j * cols + i]);
  const len = wide ? cols : rows;
  let worst = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let dot = 0;
      for (let t = 0; t < len; t++) dot += at(i, t) * at(j, t);
      worst = Math.max(worst, Math.abs(dot - (i === j ? gain * gain : 0)));
    }
  }
  return worst;
}

describe('orthogonal initializer against torch.nn.init.orthogonal_', () => {
  for (const r of ref.orthogonal as Recorded[]) {
    it(`(${r.rows}, ${r.cols}) with gain ${r.gain.toFixed(3)} from the same normals`, () => {
      const out = new Float32Array(r.rows * r.cols);
      orthogonalFromNormals(r.normals, r.rows, r.cols, r.gain, out);
      for (let i = 0; i < out.length; i++) {
        expect(Math.abs(out[i] - r.weight[i]), `element ${i}: ${out[i]} vs ${r.weight[i]}`).toBeLessThanOrEqual(1e-5 * r.gain);
      }
    });
  }
});

describe('orthogonal and constant on a whole model', () => {
  const config = (weights: string, extra: Record<string, number> = {}, seed = 4) =>
    validateRunConfig({
      seed,
      model: {
        inputSize: 30,
        hidden: [
          { width: 50, activation: 'tanh' },
          { width: 20, activation: 'relu' },
        ],
        outputSize: 3,
        head: 'softmax',
        init: { weights, bias: 'torch_default', ...extra },
      },
      train: { epochs: 1, batchSize: 8, optimizer: { name: 'sgd', lr: 0.1 } },
    });
  const weightsOf = (cfg: ReturnType<typeof config>) => {
    const plan = planModel(cfg.model);
    const params = new Float32Array(plan.paramCount);
    initializeModel(plan, cfg.model.init, cfg.seed, params, new Float32Array(plan.bufferCount));
    const view = (name: string) => {
      const p = plan.params.find((q) => q.name === name)!;
      return params.subarray(p.offset, p.offset + p.size);
    };
    return { params, view };
  };

  it('gives orthonormal rows or columns scaled by the activation gain (tanh 5/3, relu sqrt 2, output 1)', () => {
    const { view } = weightsOf(config('orthogonal'));
    // (50, 30) tall, (20, 50) wide, (3, 20) wide.
    expect(gramError(view('hidden.0.linear.weight'), 50, 30, 5 / 3)).toBeLessThan(1e-5);
    expect(gramError(view('hidden.1.linear.weight'), 20, 50, Math.SQRT2)).toBeLessThan(1e-5);
    expect(gramError(view('output.weight'), 3, 20, 1)).toBeLessThan(1e-5);
    // Biases keep their own initializer: torch's U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
    const bias = view('hidden.0.linear.bias');
    expect(Math.max(...bias.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(30));
    expect(new Set(bias).size).toBeGreaterThan(40);
  });

  it('is a pure function of the seed', () => {
    expect(weightsOf(config('orthogonal')).params).toEqual(weightsOf(config('orthogonal')).params);
    expect(weightsOf(config('orthogonal', {}, 5)).view('hidden.0.linear.weight')).not.toEqual(
      weightsOf(config('orthogonal')).view('hidden.0.linear.weight'),
    );
  });

  it('constant sets every weight to its value and leaves the biases to model.init.bias', () => {
    const { view } = weightsOf(config('constant', { value: -0.125 }));
    for (const name of ['hidden.0.linear.weight', 'hidden.1.linear.weight', 'output.weight'])
      expect(view(name).every((v) => v === -0.125)).toBe(true);
    expect(new Set(view('hidden.0.linear.bias')).size).toBeGreaterThan(40);
  });

  it('constant needs its value, named in the error', () => {
    expect(() => config('constant')).toThrow(/model\.init\.value: must be a finite number, got nothing/);
    expect(() => config('constant', { value: 2e6 })).toThrow(/model\.init\.value: must be .*1000000/);
  });

  it('the compare init factor takes constant-<value>, negative values included', () => {
    const factor = factorFor('init');
    if (typeof factor === 'string') throw new Error(factor);
    const level = factor.level('constant--0.5');
    if (typeof level === 'string') throw new Error(level);
    const c = structuredClone(config('glorot_uniform', { sigma: 0.1 })) as never as Parameters<typeof level.apply>[0];
    level.apply(c);
    expect(c.model.init).toEqual({ weights: 'constant', bias: 'torch_default', value: -0.5 });
    expect(factor.level('constant')).toMatch(/constant-<value>/);
    expect(factor.level('orthogonal')).not.toBeTypeOf('string');
  });
});

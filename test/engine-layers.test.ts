/**
 * Layer semantics in isolation: activation derivatives against float64 central differences
 * (tolerance 1e-6 absolute + relative, away from kinks) and their conventions at 0; dropout's
 * keep rate and scaling statistics and its determinism per (seed, step, layer, row).
 */
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS } from '../src/engine/config/types.js';
import { ACTIVATION_FUNCTIONS, sigmoid } from '../src/engine/math/activations.js';
import { dropoutMask, dropoutRate } from '../src/engine/layers/dropout.js';
import { erf } from '../src/engine/math/erf.js';

describe('activation derivatives', () => {
  for (const name of ACTIVATIONS) {
    it(`${name}: derivative equals central differences`, () => {
      const f = ACTIVATION_FUNCTIONS[name];
      const alpha = name === 'leaky_relu' ? 0.05 : name === 'elu' ? 1.3 : 0;
      const h = 1e-5;
      for (let x = -6; x <= 6; x += 0.0371) {
        if (Math.abs(x) < 2 * h) continue;
        const numeric = (f.forward(x + h, alpha) - f.forward(x - h, alpha)) / (2 * h);
        const analytic = f.derivative(x, f.forward(x, alpha), alpha);
        expect(Math.abs(analytic - numeric), `${name}'(${x})`).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(numeric)));
      }
    });
  }

  it('uses PyTorch conventions at 0 and in the tails', () => {
    const A = ACTIVATION_FUNCTIONS;
    expect(A.relu.derivative(0, 0, 0)).toBe(0);
    expect(A.leaky_relu.derivative(0, 0, 0.01)).toBe(0.01);
    expect(A.elu.derivative(0, 0, 1)).toBe(1);
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(800)).toBe(1);
    expect(A.softplus.forward(30, 0)).toBe(30);
    expect(A.tanh.derivative(50, Math.tanh(50), 0)).toBe(0);
  });

  it('erf matches reference values to 1e-15', () => {
    const cases: Array<[number, number]> = [
      [0.1, 0.1124629160182849],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
      [3.9, 0.9999999652077514],
      [-1.5, -0.9661051464753108],
    ];
    for (const [x, v] of cases) expect(Math.abs(erf(x) - v)).toBeLessThan(1e-15);
  });
});

describe('dropout', () => {
  it('keeps each element with probability 1-p and scales survivors by 1/(1-p)', () => {
    const rows = 200;
    const width = 500;
    const p = 0.3;
    const mask = new Float32Array(rows * width);
    dropoutMask(42, 7, 1, dropoutRate(p), mask, 0, rows, width);
    let kept = 0;
    for (const m of mask) {
      if (m !== 0) {
        kept++;
        expect(m).toBe(Math.fround(1 / 0.7));
      }
    }
    const rate = kept / mask.length;
    // 100,000 Bernoulli(0.7) draws: standard error 0.00145; allow 5 sigma.
    expect(Math.abs(rate - 0.7)).toBeLessThan(0.0073);
    // Inverted dropout keeps the expected activation: mean of the mask is 1.
    const mean = mask.reduce((a, b) => a + b, 0) / mask.length;
    expect(Math.abs(mean - 1)).toBeLessThan(0.011);
  });

  it('gives each row its own stream: rows do not depend on how a batch was split', () => {
    const whole = new Float32Array(10 * 64);
    dropoutMask(1, 3, 0, dropoutRate(0.5), whole, 0, 10, 64);
    const part = new Float32Array(4 * 64);
    dropoutMask(1, 3, 0, dropoutRate(0.5), part, 6, 4, 64);
    expect(part).toEqual(whole.subarray(6 * 64));
    const otherStep = new Float32Array(10 * 64);
    dropoutMask(1, 4, 0, dropoutRate(0.5), otherStep, 0, 10, 64);
    expect(otherStep).not.toEqual(whole);
  });
});

describe('key mixing', () => {
  it('extendKey continues mixKey: the dropout keys per row are unchanged by precomputing the prefix', async () => {
    const { extendKey, mixKey } = await import('../src/engine/rng/hash.js');
    for (const row of [0, 1, 17, 4095, 0xffffffff]) expect(extendKey(mixKey(7, 3, 11, 2), row)).toBe(mixKey(7, 3, 11, 2, row));
  });

  it('MIX_KEY_START is where mixKey starts: the dropout prefix, extended by hand, is mixKey of its parts', async () => {
    const { extendKey, mixKey, MIX_KEY_START } = await import('../src/engine/rng/hash.js');
    for (const seed of [0, 1, 7, 2 ** 31, 0xffffffff])
      expect(extendKey(extendKey(extendKey(extendKey(MIX_KEY_START, seed), 3), 11), 2)).toBe(mixKey(seed, 3, 11, 2));
  });
});

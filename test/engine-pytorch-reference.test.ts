/**
 * The engine against values recorded from PyTorch 1.13 (Debian python3-torch) by
 * scripts/record-pytorch-reference.py: optimizer trajectories (SGD, Adam/AdamW, RMSprop, Adagrad), BatchNorm1d train/eval outputs and
 * running statistics, activations, losses and their gradients, global-norm clipping, init gains.
 * Tolerance: float32 agreement, |ours - torch| <= 2e-6 * max(1, |torch|) unless stated.
 * The kernel-level checks (optimizers, batch norm, activations) run on every kernel set.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTIVATION_FUNCTIONS } from '../src/engine/math/activations.js';
import { initGain } from '../src/engine/init/gain.js';
import { batchNormFinishStats, batchNormPrepareEval, type BatchNormViews } from '../src/engine/layers/batchnorm.js';
import { bceWithLogits } from '../src/engine/losses/bce.js';
import { softmaxCrossEntropy } from '../src/engine/losses/cross-entropy.js';
import { clipCoefficient, ClipNorms, maxGradNorm } from '../src/engine/optim/clipping.js';
import type { AdagradArgs, AdamArgs, Kernels, RmspropArgs, SgdArgs } from '../src/engine/kernels/types.js';
import { setAdagradStep } from '../src/engine/optim/adagrad.js';
import { activationCode } from '../src/engine/math/activations.js';
import { stagedKernels, testKernelSetNames } from './helpers/kernel-sets.js';
import { setAdamStep } from '../src/engine/optim/adam.js';

const ref = JSON.parse(readFileSync(new URL('./fixtures/pytorch-reference.json', import.meta.url), 'utf8'));

function expectClose(actual: ArrayLike<number>, expected: number[], tol = 2e-6): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i] - expected[i]), `index ${i}: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(
      tol * Math.max(1, Math.abs(expected[i])),
    );
  }
}

const grads = (t: number) => new Float32Array([0.1 * t, -0.2, 0.3 / t, 0.05]);
const sgd = (o: Partial<SgdArgs>): SgdArgs => ({
  lr: 0.1,
  momentum: 0,
  dampening: 0,
  nesterov: false,
  weightDecay: 0,
  first: true,
  gradScale: 1,
  clipValue: Infinity,
  ...o,
});
const adam = ({ step = 1, ...o }: Partial<AdamArgs> & { step?: number }): AdamArgs =>
  setAdamStep(
    {
      lr: 0.01,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
      weightDecay: 0,
      decoupled: false,
      stepSize: 0,
      bc2Sqrt: 0,
      decay: 1,
      gradScale: 1,
      clipValue: Infinity,
      ...o,
    },
    step,
  );

const rmsprop = (o: Partial<RmspropArgs>): RmspropArgs => ({
  lr: 0.01,
  alpha: 0.99,
  eps: 1e-8,
  weightDecay: 0,
  momentum: 0,
  centered: false,
  gradScale: 1,
  clipValue: Infinity,
  ...o,
});
const adagrad = ({ step = 1, ...o }: Partial<AdagradArgs> & { step?: number }) =>
  setAdagradStep({ lr: 0.1, lrDecay: 0, clr: 0, eps: 1e-10, weightDecay: 0, gradScale: 1, clipValue: Infinity, ...o }, step);

type Step = (p: Float32Array, g: Float32Array, s0: Float32Array, s1: Float32Array, t: number, s2: Float32Array) => void;

describe.each(testKernelSetNames())('optimizers follow the PyTorch formulas (%s kernels)', (set) => {
  const k: Kernels = stagedKernels(set);
  const cases: Array<[string, Step, number?]> = [
    ['sgd_plain', (p, g, s0, _s1, t) => k.sgdStep(p, g, s0, 4, sgd({ first: t === 1 }))],
    [
      'sgd_momentum_dampening_wd',
      (p, g, s0, _s1, t) => k.sgdStep(p, g, s0, 4, sgd({ momentum: 0.9, dampening: 0.1, weightDecay: 0.01, first: t === 1 })),
    ],
    [
      'sgd_nesterov_wd',
      (p, g, s0, _s1, t) => k.sgdStep(p, g, s0, 4, sgd({ momentum: 0.9, nesterov: true, weightDecay: 0.01, first: t === 1 })),
    ],
    ['adam_coupled_wd', (p, g, s0, s1, t) => k.adamStep(p, g, s0, s1, 4, adam({ weightDecay: 0.1, step: t }))],
    ['adamw', (p, g, s0, s1, t) => k.adamStep(p, g, s0, s1, 4, adam({ weightDecay: 0.1, decoupled: true, step: t }))],
    // Unused RMSprop tensors get the gradient, as train/optimizer.ts passes them.
    ['rmsprop_plain', (p, g, s0) => k.rmspropStep(p, g, s0, g, g, 4, rmsprop({}))],
    ['rmsprop_momentum_wd', (p, g, s0, s1) => k.rmspropStep(p, g, s0, g, s1, 4, rmsprop({ alpha: 0.9, momentum: 0.5, weightDecay: 0.1 }))],
    ['rmsprop_centered', (p, g, s0, s1) => k.rmspropStep(p, g, s0, s1, g, 4, rmsprop({ centered: true }))],
    [
      'rmsprop_centered_momentum',
      (p, g, s0, s1, _t, s2) => k.rmspropStep(p, g, s0, s1, s2, 4, rmsprop({ alpha: 0.8, momentum: 0.9, centered: true })),
    ],
    ['adagrad_plain', (p, g, s0, _s1, t) => k.adagradStep(p, g, s0, 4, adagrad({ step: t }))],
    ['adagrad_decay_wd_init', (p, g, s0, _s1, t) => k.adagradStep(p, g, s0, 4, adagrad({ lrDecay: 0.5, weightDecay: 0.1, step: t })), 0.2],
  ];
  for (const [name, step, initial = 0] of cases) {
    it(`${name} matches torch.optim over three steps`, () => {
      const p = new Float32Array([0.5, -1.0, 2.0, 0.0]);
      const s0 = new Float32Array(4).fill(initial);
      const s1 = new Float32Array(4);
      const s2 = new Float32Array(4);
      for (let t = 1; t <= 3; t++) {
        step(p, grads(t), s0, s1, t, s2);
        expectClose(p, ref[name][t - 1], 3e-6);
      }
    });
  }

  it('applies the clip coefficient and value clamp to the gradient, not to the arena', () => {
    const p = new Float32Array([1, 1]);
    const g = new Float32Array([10, -0.5]);
    k.sgdStep(p, g, g, 2, sgd({ lr: 1, gradScale: 0.5, clipValue: 2 }));
    expect(Array.from(p)).toEqual([1 - 2, 1 + 0.25]);
    expect(Array.from(g)).toEqual([10, -0.5]);
  });
});

describe('global-norm clipping equals clip_grad_norm_', () => {
  it('scales by max_norm / (total + 1e-6)', () => {
    const total = Math.hypot(3, 4, 12);
    expect(total).toBe(ref.clip.total);
    const coefficient = (maxNorm: number) => {
      const norms = new Float64Array(3).fill(NaN);
      norms[ClipNorms.total] = total;
      norms[ClipNorms.maxNorm] = maxGradNorm({ kind: 'norm', maxNorm });
      clipCoefficient(norms);
      return norms[ClipNorms.coef];
    };
    const coef = coefficient(1);
    expectClose([3 * coef, 4 * coef, 12 * coef].map(Math.fround), [...ref.clip.g1, ...ref.clip.g2]);
    expect(coefficient(20)).toBe(1);
  });
});

describe.each(testKernelSetNames())('BatchNorm1d (%s kernels)', (set) => {
  const k: Kernels = stagedKernels(set);
  const x = new Float32Array([1, 2, -1, 0.5, -2, 3, 2, 0, 0, -1, 1, 1]);
  const make = (): BatchNormViews => ({
    width: 3,
    gamma: new Float32Array([1.5, 0.5, -1]),
    beta: new Float32Array([0.1, -0.2, 0.3]),
    dGamma: new Float32Array(3),
    dBeta: new Float32Array(3),
    runningMean: new Float32Array(3),
    runningVar: new Float32Array([1, 1, 1]),
    mean: new Float32Array(3),
    variance: new Float32Array(3),
    rstd: new Float32Array(3),
    evalRstd: new Float32Array(3),
  });

  it('normalizes with the biased batch variance and updates running stats with the unbiased one', () => {
    const v = make();
    k.bnStats(x, v.mean, v.variance, 4, 3, 0, 3);
    batchNormFinishStats(v, 4, 0, 3);
    const xhat = new Float32Array(12);
    const y = new Float32Array(12);
    k.bnApply(x, v.mean, v.rstd, v.gamma, v.beta, xhat, y, 4, 3);
    expectClose(y, ref.bn_train_out.flat(), 3e-6);
    expectClose(v.runningMean, ref.bn_running_mean);
    expectClose(v.runningVar, ref.bn_running_var);
  });

  it('uses the running statistics in eval mode', () => {
    const v = make();
    k.bnStats(x, v.mean, v.variance, 4, 3, 0, 3);
    batchNormFinishStats(v, 4, 0, 3);
    batchNormPrepareEval(v);
    const y = new Float32Array(12);
    k.bnApply(x, v.runningMean, v.evalRstd, v.gamma, v.beta, new Float32Array(12), y, 4, 3);
    expectClose(y, ref.bn_eval_out.flat(), 3e-6);
  });
});

describe('activations', () => {
  const z = [-3, -0.5, 0, 0.7, 2.5];
  const table: Array<[string, keyof typeof ACTIVATION_FUNCTIONS, number]> = [
    ['gelu', 'gelu', 0],
    ['gelu_tanh', 'gelu_tanh', 0],
    ['selu', 'selu', 0],
    ['elu_0.7', 'elu', 0.7],
    ['softplus', 'softplus', 0],
    ['leaky_0.1', 'leaky_relu', 0.1],
    ['silu', 'silu', 0],
    ['mish', 'mish', 0],
  ];
  for (const [key, name, alpha] of table) {
    it(`${key} equals torch.nn.functional`, () => {
      expectClose(
        z.map((v) => ACTIVATION_FUNCTIONS[name].forward(v, alpha)),
        ref.act[key],
        2e-6,
      );
    });
    it.each(testKernelSetNames())(`${key} equals torch.nn.functional through the %s kernels`, (set) => {
      const out = new Float32Array(z.length);
      stagedKernels(set).activationForward({ code: activationCode(name), alpha }, Float32Array.from(z), out, z.length);
      expectClose(out, ref.act[key], 2e-6);
    });
  }
  for (const name of ['silu', 'mish'] as const) {
    it.each(testKernelSetNames())(`${name}'s derivative equals torch autograd, tails included, through the %s kernels`, (set) => {
      const z = Float32Array.from(ref.act_grad.z as number[]);
      const y = new Float32Array(z.length);
      const dz = new Float32Array(z.length);
      const k = stagedKernels(set);
      k.activationForward({ code: activationCode(name), alpha: 0 }, z, y, z.length);
      k.activationBackward({ code: activationCode(name), alpha: 0 }, z, y, new Float32Array(z.length).fill(1), dz, z.length);
      expectClose(dz, ref.act_grad[name], 2e-6);
      expectClose(
        Array.from(z, (v) => ACTIVATION_FUNCTIONS[name].derivative(v, 0, 0)),
        ref.act_grad[name],
        2e-6,
      );
    });
  }
  it('init gains equal torch.nn.init.calculate_gain', () => {
    expect(initGain('tanh', 0)).toBeCloseTo(ref.gain.tanh, 12);
    expect(initGain('relu', 0)).toBeCloseTo(ref.gain.relu, 12);
    expect(initGain('leaky_relu', 0.2)).toBeCloseTo(ref.gain['leaky_relu:0.2'], 12);
    expect(initGain('selu', 0)).toBe(ref.gain.selu);
    expect(initGain('sigmoid', 0)).toBe(ref.gain.sigmoid);
  });
});

describe('losses', () => {
  it('softmax cross-entropy: mean loss and fused gradient, stable at logit 1000', () => {
    const logits = new Float32Array([1, 2, 3, 1000, 0, -5]);
    const d = new Float32Array(6);
    const rowLoss = new Float64Array(2);
    const rowCorrect = new Float64Array(2);
    softmaxCrossEntropy(logits, new Int32Array([2, 1]), d, rowLoss, rowCorrect, 2, 3, 2);
    expect((rowLoss[0] + rowLoss[1]) / 2).toBeCloseTo(ref.ce.loss, 4);
    expectClose(d, ref.ce.grad.flat());
    expect(Array.from(rowCorrect)).toEqual([1, 0]);
  });

  it('binary cross-entropy with logits: stable form at +-100', () => {
    const z = new Float32Array([0, 100, -100, 1.5]);
    const d = new Float32Array(4);
    const rowLoss = new Float64Array(4);
    const rowCorrect = new Float64Array(4);
    bceWithLogits(z, new Float32Array([1, 0, 0, 1]), d, rowLoss, rowCorrect, 4, 1, 4);
    expect(rowLoss.reduce((a, b) => a + b) / 4).toBeCloseTo(ref.bce.loss, 4);
    expectClose(d, ref.bce.grad.flat());
    expect(Array.from(rowCorrect)).toEqual([0, 0, 1, 1]);
  });
});

/**
 * Finite-difference gradient checks of whole networks through the real step program: every
 * activation, every head/loss, batch norm before and after the activation, dropout (mask fixed),
 * residual blocks and penalty terms. Tolerance: |analytic - numeric| <= 2e-2 * max(|a|, |n|) + 2e-4
 * with Richardson-extrapolated central differences (steps 1e-2 and 5e-3) on a float32 network
 * (see helpers/gradcheck.ts). Every check runs on every kernel set.
 */
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, type HiddenLayerConfig } from '../src/engine/config/types.js';
import { stream } from '../src/engine/rng/stream.js';
import type { TrainingData } from '../src/engine/train/setup.js';
import { gradCheck } from './helpers/gradcheck.js';
import { testKernelSetNames } from './helpers/kernel-sets.js';

function randomData(rows: number, d: number, target: 'class' | 'binary' | 'vector', outputs: number, seed = 7): TrainingData {
  const rng = stream(seed, 1);
  const x = new Float32Array(rows * d).map(() => rng.normal());
  const labels = target === 'vector' ? null : Int32Array.from({ length: rows }, (_, i) => (target === 'binary' ? i % 2 : i % outputs));
  const values = target === 'vector' ? new Float32Array(rows * outputs).map(() => rng.normal()) : null;
  const all = Int32Array.from({ length: rows }, (_, i) => i);
  return {
    features: x,
    d,
    labels,
    values,
    width: target === 'vector' ? outputs : 1,
    train: all,
    validation: new Int32Array(0),
    test: new Int32Array(0),
  };
}

function config(hidden: HiddenLayerConfig[], head: 'softmax' | 'sigmoid' | 'linear', outputs: number, extra: Record<string, unknown> = {}) {
  return {
    seed: 11,
    model: { inputSize: 5, hidden, outputSize: outputs, head, init: { weights: 'glorot_uniform', bias: 'torch_default' } },
    train: { epochs: 1, batchSize: 16, optimizer: { name: 'sgd', lr: 0.1 }, ...extra },
  };
}

function expectPasses(result: ReturnType<typeof gradCheck>, minChecked: number): void {
  expect(result.failures, result.failures.join('\n')).toEqual([]);
  expect(result.checked).toBeGreaterThanOrEqual(minChecked);
}

describe.each(testKernelSetNames())('finite-difference gradients of whole networks (%s kernels)', (kernels) => {
  for (const activation of ACTIVATIONS) {
    it(`matches for a two-hidden-layer ${activation} network with softmax cross-entropy`, () => {
      const alpha = activation === 'leaky_relu' ? 0.1 : activation === 'elu' ? 0.7 : undefined;
      const hidden = [
        { width: 7, activation, alpha },
        { width: 6, activation, alpha },
      ];
      // Piecewise-linear activations lose some entries to kinks and dead units; 40 still checked.
      expectPasses(gradCheck(config(hidden, 'softmax', 3), randomData(16, 5, 'class', 3), { kernels }), 40);
    });
  }

  it('matches for binary cross-entropy with logits (sigmoid head)', () => {
    expectPasses(gradCheck(config([{ width: 6, activation: 'tanh' }], 'sigmoid', 1), randomData(16, 5, 'binary', 1), { kernels }), 20);
  });

  it('matches for mean squared error (linear head, 3 outputs)', () => {
    expectPasses(gradCheck(config([{ width: 6, activation: 'gelu' }], 'linear', 3), randomData(16, 5, 'vector', 3), { kernels }), 30);
  });

  it('matches with batch norm before the activation (batch statistics in the graph)', () => {
    const hidden = [
      { width: 6, activation: 'tanh' as const, batchNorm: 'pre' as const },
      { width: 5, activation: 'sigmoid' as const },
    ];
    expectPasses(gradCheck(config(hidden, 'softmax', 3), randomData(16, 5, 'class', 3), { kernels }), 50);
  });

  it('matches with residual projections across widths (P trained, with the penalty terms)', () => {
    const hidden = [
      { width: 7, activation: 'tanh' as const, residual: true },
      { width: 4, activation: 'mish' as const, residual: true, batchNorm: 'pre' as const },
      { width: 6, activation: 'silu' as const, residual: true, dropout: 0.25 },
    ];
    const cfg = config(hidden, 'softmax', 3, { penalties: { l1: 1e-3, l2: 1e-2 } });
    expectPasses(gradCheck(cfg, randomData(16, 5, 'class', 3), { kernels }), 60);
  });

  it('matches with batch norm after the activation', () => {
    const hidden = [
      { width: 6, activation: 'elu' as const, batchNorm: 'post' as const },
      { width: 5, activation: 'softplus' as const, batchNorm: 'post' as const },
    ];
    expectPasses(gradCheck(config(hidden, 'softmax', 3), randomData(16, 5, 'class', 3), { kernels }), 50);
  });

  it('matches with dropout (the mask held fixed)', () => {
    const hidden = [
      { width: 8, activation: 'tanh' as const, dropout: 0.3 },
      { width: 8, activation: 'gelu' as const, dropout: 0.5 },
    ];
    expectPasses(gradCheck(config(hidden, 'softmax', 3), randomData(16, 5, 'class', 3), { kernels }), 50);
  });

  it('matches with residual blocks, batch norm and dropout together', () => {
    const hidden = [
      { width: 6, activation: 'tanh' as const },
      { width: 6, activation: 'selu' as const, residual: true, batchNorm: 'pre' as const },
      { width: 6, activation: 'sigmoid' as const, residual: true, dropout: 0.25 },
    ];
    expectPasses(gradCheck(config(hidden, 'softmax', 3), randomData(16, 5, 'class', 3), { kernels }), 60);
  });

  it('includes the gradients of the L1 and L2 penalty terms', () => {
    const hidden = [{ width: 6, activation: 'tanh' as const }];
    const result = gradCheck(config(hidden, 'softmax', 3, { penalties: { l1: 0.01, l2: 0.05 } }), randomData(16, 5, 'class', 3), {
      kernels,
    });
    expectPasses(result, 30);
  });

  it('detects a wrong gradient (the checker itself can fail)', () => {
    const data = randomData(16, 5, 'class', 3);
    const cfg = config([{ width: 6, activation: 'tanh' }], 'softmax', 3);
    expect(gradCheck(cfg, data, { kernels }).failures).toEqual([]);
    // A gradient 5% too large in one tensor must be caught.
    const corrupted = gradCheck(cfg, data, { kernels, corrupt: (g) => g.subarray(0, 30).forEach((v, i, a) => (a[i] = v * 1.05)) });
    expect(corrupted.failures.length).toBeGreaterThan(0);
    expect(corrupted.failures.every((f) => f.startsWith('hidden.0.linear.weight'))).toBe(true);
  });
});

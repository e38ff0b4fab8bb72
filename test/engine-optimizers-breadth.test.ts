/**
 * RMSprop and Adagrad through the whole trainer (the kernels themselves are checked against
 * torch.optim in engine-pytorch-reference and engine-pytorch-mlp): they learn the spiral, Adagrad's
 * initial accumulator reaches the epoch loop (a huge one freezes the weights: the first step moves
 * each weight by at most lr * |g| / sqrt(value)), and their fields are validated with the field's
 * path and range.
 */
import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../src/engine/config/validate.js';
import { initializeModel } from '../src/engine/init/initializers.js';
import { kernelFactory } from '../src/engine/kernels/select.js';
import { planModel } from '../src/engine/model/plan.js';
import { trainInProcess } from '../src/engine/train/trainer.js';
import { testKernelSetNames } from './helpers/kernel-sets.js';
import { classData, spiral } from './helpers/toy-data.js';

const spiralData = () => {
  const { x, y } = spiral(150, 3, 1);
  return classData(x, y, 2, 1, 0.2, 0.1);
};

function config(optimizer: Record<string, unknown>, epochs = 40) {
  return validateRunConfig({
    seed: 3,
    model: {
      inputSize: 2,
      hidden: [
        { width: 48, activation: 'silu' },
        { width: 48, activation: 'mish' },
      ],
      outputSize: 3,
      head: 'softmax',
      init: { weights: 'he_uniform', bias: 'zeros' },
    },
    train: { epochs, batchSize: 32, optimizer },
  });
}

describe.each(testKernelSetNames())('RMSprop and Adagrad train (%s kernels)', (set) => {
  it.each([
    ['rmsprop', { name: 'rmsprop', lr: 0.003 }],
    ['rmsprop, centered with momentum', { name: 'rmsprop', lr: 0.002, momentum: 0.5, centered: true }],
    ['adagrad', { name: 'adagrad', lr: 0.05 }],
  ])('%s learns a 3-arm spiral to at least 0.9 validation accuracy', (_label, optimizer) => {
    const { outcome } = trainInProcess(config(optimizer), spiralData(), { kernels: kernelFactory(set) });
    expect(outcome.status).toBe('completed');
    expect(outcome.epochs.at(-1)!.valAccuracy).toBeGreaterThanOrEqual(0.9);
  });
});

describe('Adagrad initial accumulator', () => {
  it('is set before the first step: 1e12 keeps every weight within 1e-4 of its initial value', () => {
    const cfg = config({ name: 'adagrad', lr: 0.05, initialAccumulatorValue: 1e12 }, 2);
    const plan = planModel(cfg.model);
    const initial = new Float32Array(plan.paramCount);
    initializeModel(plan, cfg.model.init, cfg.seed, initial, new Float32Array(plan.bufferCount));
    const { model } = trainInProcess(cfg, spiralData(), { kernels: kernelFactory('naive') });
    let moved = 0;
    for (let i = 0; i < initial.length; i++) moved = Math.max(moved, Math.abs(model.params[i] - initial[i]));
    expect(moved).toBeLessThan(1e-4);
    const free = trainInProcess(config({ name: 'adagrad', lr: 0.05 }, 2), spiralData(), { kernels: kernelFactory('naive') });
    let freeMoved = 0;
    for (let i = 0; i < initial.length; i++) freeMoved = Math.max(freeMoved, Math.abs(free.model.params[i] - initial[i]));
    expect(freeMoved).toBeGreaterThan(0.01);
  });
});

describe('validation', () => {
  it.each([
    [{ name: 'rmsprop', lr: 0.01, alpha: 1.5 }, /train\.optimizer\.alpha: must be .*at most 1, got 1\.5/],
    [{ name: 'rmsprop', lr: 0.01, momentum: 1 }, /train\.optimizer\.momentum: must be .*below 1, got 1/],
    [{ name: 'rmsprop', lr: 0.01, centered: 'yes' }, /train\.optimizer\.centered: must be true or false/],
    [{ name: 'adagrad', lr: 0.01, lrDecay: -1 }, /train\.optimizer\.lrDecay: must be .*at least 0, got -1/],
    [{ name: 'adagrad', lr: 0.01, eps: 0 }, /train\.optimizer\.eps: must be .*above 0, got 0/],
  ])('%j is rejected naming the field', (optimizer, message) => {
    expect(() => config(optimizer)).toThrow(message);
  });

  it("fills PyTorch's defaults", () => {
    expect(config({ name: 'rmsprop', lr: 0.01 }).train.optimizer).toMatchObject({
      alpha: 0.99,
      eps: 1e-8,
      momentum: 0,
      centered: false,
      weightDecay: 0,
    });
    expect(config({ name: 'adagrad', lr: 0.01 }).train.optimizer).toMatchObject({
      eps: 1e-10,
      lrDecay: 0,
      initialAccumulatorValue: 0,
      weightDecay: 0,
    });
  });
});

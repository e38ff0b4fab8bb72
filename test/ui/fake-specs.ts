/** Test-only experiment specs for the fake Api: the three examples and a 2-D spiral study. */
import type { ExperimentSpec } from '../../src/shared/api.js';

const mnist = { source: 'mnist', split: { validation: 0.1, test: 0.1 }, preprocess: 'scale01' } as const;

export function reluVsSigmoid(): ExperimentSpec {
  return {
    version: 1,
    name: 'Why ReLU beat sigmoid',
    description: 'Vanishing gradients in a deep network: five hidden layers of 128 units, four activations.',
    data: { ...mnist },
    model: {
      inputSize: 784,
      hidden: Array.from({ length: 5 }, () => ({ width: 128, activation: 'sigmoid' as const })),
      outputSize: 10,
      head: 'softmax',
      init: { weights: 'glorot_uniform', bias: 'zeros' },
    },
    train: { epochs: 20, batchSize: 64, optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9 } },
    compare: { activation: ['sigmoid', 'tanh', 'relu', 'elu'] },
    seeds: { count: 3 },
  };
}

export function tamingOverfitting(): ExperimentSpec {
  return {
    version: 1,
    name: 'Taming overfitting',
    description: 'A wide 2×512 network on 8,000 digits: no regularization, L2, dropout, batch norm and early stopping.',
    data: { ...mnist },
    model: {
      inputSize: 784,
      hidden: [
        { width: 512, activation: 'relu' },
        { width: 512, activation: 'relu' },
      ],
      outputSize: 10,
      head: 'softmax',
      init: { weights: 'he_normal', bias: 'zeros' },
    },
    train: { epochs: 30, batchSize: 64, optimizer: { name: 'adam', lr: 0.001 } },
    compare: { regularizer: ['none', 'l2-1e-4', 'dropout-0.5', 'batchnorm', 'early-stopping'] },
    seeds: { count: 2 },
  };
}

export function initMatters(): ExperimentSpec {
  return {
    version: 1,
    name: 'Initialization matters',
    description: 'Glorot against a too-small and a too-large normal init in a 4-layer tanh network.',
    data: { ...mnist },
    model: {
      inputSize: 784,
      hidden: Array.from({ length: 4 }, () => ({ width: 256, activation: 'tanh' as const })),
      outputSize: 10,
      head: 'softmax',
      init: { weights: 'glorot_uniform', bias: 'zeros' },
    },
    train: { epochs: 15, batchSize: 128, optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9 } },
    compare: { init: ['glorot_uniform', 'normal-0.01', 'normal-1'] },
    seeds: { count: 3 },
  };
}

export function spiralStudy(): ExperimentSpec {
  return {
    version: 1,
    name: 'Spirals: activation × width',
    description: 'Three interleaved spirals; how width and activation shape the decision regions.',
    data: { source: 'synthetic', kind: 'spiral', n: 1500, noise: 0.08, classes: 3, split: { validation: 0.2, test: 0.1 } },
    model: {
      inputSize: 2,
      hidden: [
        { width: 32, activation: 'relu' },
        { width: 32, activation: 'relu' },
      ],
      outputSize: 3,
      head: 'softmax',
      init: { weights: 'he_uniform', bias: 'zeros' },
    },
    train: { epochs: 40, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } },
    compare: { activation: ['tanh', 'relu'], width: [8, 32, 128] },
    seeds: { count: 3 },
  };
}

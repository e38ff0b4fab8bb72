/**
 * A small experiment file for tests that train through the runner or the CLI: a 3-class spiral,
 * one hidden layer, relu vs tanh over 2 seeds (4 runs of a few milliseconds each). `extra`
 * replaces top-level members (train, compare, seeds...). Unvalidated, as a user would write it.
 */
export function spiralSpec(name: string, extra: Record<string, unknown> = {}) {
  return {
    version: 1,
    name,
    data: { source: 'synthetic', kind: 'spiral', n: 300, classes: 3, noise: 0.05, seed: 1 },
    model: {
      inputSize: 2,
      hidden: [{ width: 16, activation: 'relu' }],
      outputSize: 3,
      head: 'softmax',
      init: { weights: 'he_uniform', bias: 'zeros' },
    },
    train: { epochs: 8, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } },
    compare: { activation: ['relu', 'tanh'] },
    seeds: [1, 2],
    ...extra,
  };
}

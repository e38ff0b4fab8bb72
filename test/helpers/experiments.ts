/** The spiral's small network: 2 inputs, one hidden ReLU layer of 16, 3 softmax outputs, He init (clone it to change it). */
export const SPIRAL_MODEL_16 = {
  inputSize: 2,
  hidden: [{ width: 16, activation: 'relu' }],
  outputSize: 3,
  head: 'softmax',
  init: { weights: 'he_uniform', bias: 'zeros' },
};

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
    model: structuredClone(SPIRAL_MODEL_16),
    train: { epochs: 8, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } },
    compare: { activation: ['relu', 'tanh'] },
    seeds: [1, 2],
    ...extra,
  };
}

/**
 * The planted halving search on the spiral: 8 Sobol trials of the learning rate over [1e-5, 1]
 * (4 at startup, then batches of 4) for 3 epochs at seed 1, halving at 1 epoch with eta 3 on the
 * final validation loss; 2 of trials 5-8 are pruned (test/search-halving-cli.test.ts).
 */
export function halvingSearchSpec(name: string) {
  return spiralSpec(name, {
    compare: undefined,
    seeds: [1],
    train: { epochs: 3, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } },
    search: {
      method: 'sobol',
      trials: 8,
      startup: 4,
      batch: 4,
      seed: 2,
      space: { lr: { log: [1e-5, 1] } },
      halving: { minEpochs: 1, eta: 3 },
      objective: { metric: 'final.valLoss', goal: 'min' },
    },
  });
}

/**
 * Issue 13's first symptom: a spiral (600 rows, 3 classes) with a 2-32-32-3 ReLU network trained
 * by plain SGD at `lr` for 20 epochs, relu vs sigmoid over 3 seeds. At lr 500 every run diverges.
 */
export function issueSpiral(name: string, lr: number) {
  return {
    ...spiralSpec(name),
    data: { source: 'synthetic', kind: 'spiral', n: 600, classes: 3, noise: 0.1, seed: 1 },
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
    train: { epochs: 20, batchSize: 32, optimizer: { name: 'sgd', lr } },
    compare: { activation: ['relu', 'sigmoid'] },
    seeds: { count: 3 },
  };
}

/** Two hidden ReLU layers of 64 for the spiral: runs long enough for a kill or a cancel to land in one. */
export const SPIRAL_MODEL_64X2 = {
  inputSize: 2,
  hidden: [
    { width: 64, activation: 'relu' },
    { width: 64, activation: 'relu' },
  ],
  outputSize: 3,
  head: 'softmax',
  init: { weights: 'he_uniform', bias: 'zeros' },
};

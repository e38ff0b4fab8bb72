/**
 * How a step is cut into units (run/work-plan.ts, issue 17's barrier wait), against hand
 * computations: row chunks of 16 to 32 rows, at most `chunks` of them unless that would make them
 * longer than 32 rows; feature blocks keep following `chunks` (they fix the gradient norm's
 * summation order). That results never depend on the cut is tested by the pool's determinism
 * tests (1-4 workers) and the PyTorch references.
 */
import { describe, expect, it } from 'vitest';
import { availableKernelSets, kernelFactory, trainInProcess, validateRunConfig } from '../src/engine/index.js';
import { planModel } from '../src/engine/model/plan.js';
import { chunkLength, chunkStart, planWork } from '../src/engine/run/work-plan.js';

// The reference MLP of the bench: 784-512-512-10.
const plan = planModel({
  inputSize: 784,
  hidden: [
    { width: 512, activation: 'relu' },
    { width: 512, activation: 'relu' },
  ],
  outputSize: 10,
  head: 'softmax',
  init: { weights: 'glorot_uniform', bias: 'zeros' },
});

describe('row chunks', () => {
  it('keeps `chunks` chunks of at least 16 rows at small batches', () => {
    // 32 rows: 8 chunks would have 4 rows; 32 / 16 = 2 chunks of 16.
    expect(planWork(plan, 32, 8)).toMatchObject({ chunks: 2, rowsPerChunk: 16 });
    // 128 rows: 8 chunks of 16.
    expect(planWork(plan, 128, 8)).toMatchObject({ chunks: 8, rowsPerChunk: 16 });
    // 256 rows: 8 chunks of 32 (the most rows a chunk gets).
    expect(planWork(plan, 256, 8)).toMatchObject({ chunks: 8, rowsPerChunk: 32 });
  });

  it('gives large batches more chunks than asked rather than chunks of over 32 rows', () => {
    // 512 rows: 8 chunks would have 64 rows; 512 / 32 = 16 chunks of 32.
    expect(planWork(plan, 512, 8)).toMatchObject({ chunks: 16, rowsPerChunk: 32 });
    // 500 rows: ceil(500 / 32) = 16 chunks of ceil(500 / 16) = 32 rows, the last one 20.
    const w = planWork(plan, 500, 8);
    expect(w).toMatchObject({ chunks: 16, rowsPerChunk: 32 });
    expect(chunkStart(w, 15, 500)).toBe(480);
    expect(chunkLength(w, 15, 500)).toBe(20);
    // More chunks asked than needed: still at least 16 rows each (512 / 16 = 32 chunks at most).
    expect(planWork(plan, 512, 64)).toMatchObject({ chunks: 32, rowsPerChunk: 16 });
  });

  it('leaves the feature blocks of the weight gradients to `chunks`', () => {
    // 512 output features in 8 blocks of 64 at any batch size; the 10 outputs in one block (at least 16).
    for (const batch of [32, 512]) {
      const w = planWork(plan, batch, 8);
      expect(w.weightBlocks.map((b) => b.length)).toEqual([8, 8, 1]);
      expect(w.weightBlocks[0][1]).toMatchObject({ f0: 64, f1: 128 });
      expect(w.sumSqSlots).toBe(17);
    }
  });
});

describe('the cut never changes a result', () => {
  // 300 random rows of 20 features in 4 classes; batch 96 with batch norm and dropout, so every
  // row-indexed and feature-blocked phase runs.
  const n = 300;
  const features = new Float32Array(n * 20).map((_, i) => Math.sin(i * 12.9898) * 2);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 4);
  const data = {
    features,
    d: 20,
    labels,
    values: null,
    width: 1,
    train: Int32Array.from({ length: 240 }, (_, i) => i),
    validation: Int32Array.from({ length: 60 }, (_, i) => 240 + i),
    test: new Int32Array(0),
  };
  const config = (chunks: number) =>
    validateRunConfig({
      seed: 3,
      model: {
        inputSize: 20,
        hidden: [
          { width: 48, activation: 'relu', batchNorm: 'pre', dropout: 0.1 },
          { width: 24, activation: 'tanh' },
        ],
        outputSize: 4,
        head: 'softmax',
        init: { weights: 'he_uniform', bias: 'zeros' },
      },
      train: { epochs: 2, batchSize: 96, chunks, optimizer: { name: 'adam', lr: 0.01 } },
    });

  for (const kernels of availableKernelSets()) {
    it(`gives the same bits with 3 chunks of 32 rows (chunks 1) as with 6 of 16 (${kernels})`, () => {
      // chunks 1 at batch 96: one chunk would have 96 rows, so 3 of 32; chunks 6: 6 of 16.
      expect(planWork(planModel(config(1).model), 96, 1).chunks).toBe(3);
      const a = trainInProcess(config(1), data, { kernels: kernelFactory(kernels) });
      const b = trainInProcess(config(6), data, { kernels: kernelFactory(kernels) });
      expect(a.outcome.status).toBe('completed');
      expect(a.model.weightsSha256).toBe(b.model.weightsSha256);
      expect(a.outcome.epochs.map((e) => e.valLoss)).toEqual(b.outcome.epochs.map((e) => e.valLoss));
    });
  }
});

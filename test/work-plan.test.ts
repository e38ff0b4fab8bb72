/**
 * How a step is cut into units (run/work-plan.ts, issue 17), against hand computations: two row
 * chunks per thread of a team (one for a lone thread), of 16 to 64 rows in multiples of 16, more
 * chunks when they would be longer; feature blocks follow `chunks` alone (they fix the gradient
 * norm's summation order). That results never depend on the cut is tested below, by the pool's
 * determinism tests (1-4 workers) and by the PyTorch references.
 */
import { describe, expect, it } from 'vitest';
import { availableKernelSets, kernelFactory, trainInProcess, validateRunConfig } from '../src/engine/index.js';
import { planModel } from '../src/engine/model/plan.js';
import { chunkLength, chunkStart, planWork } from '../src/engine/run/work-plan.js';
import type { KernelSetName } from '../src/engine/kernels/types.js';
import { createRunMemory } from '../src/engine/memory/wasm-memory.js';
import { SoloTeam } from '../src/engine/run/team.js';
import { snapshotWeights } from '../src/engine/train/fingerprint.js';
import { trainLoop } from '../src/engine/train/loop.js';
import { createRunContext, runMemoryBytes, runShape } from '../src/engine/train/setup.js';

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
  it('gives each thread of a team two chunks of 16 to 64 rows, in multiples of 16, and a lone thread one', () => {
    // 128 rows: 2 chunks of 64 for one thread (64 is the most); 4 of 32 for two; 6 parts of
    // 22 rows for three, rounded up to 32, so 4 of 32; 8 of 16 for four.
    expect(planWork(plan, 128, 8, 1)).toMatchObject({ chunks: 2, rowsPerChunk: 64 });
    expect(planWork(plan, 128, 8, 2)).toMatchObject({ chunks: 4, rowsPerChunk: 32 });
    expect(planWork(plan, 128, 8, 3)).toMatchObject({ chunks: 4, rowsPerChunk: 32 });
    expect(planWork(plan, 128, 8, 4)).toMatchObject({ chunks: 8, rowsPerChunk: 16 });
    // 96 rows on three threads: 6 parts of 16.
    expect(planWork(plan, 96, 8, 3)).toMatchObject({ chunks: 6, rowsPerChunk: 16 });
    // 80 rows on two: 4 parts of 20 rows, rounded up to 32, so 3 chunks, the last one 16.
    const w = planWork(plan, 80, 8, 2);
    expect(w).toMatchObject({ chunks: 3, rowsPerChunk: 32 });
    expect(chunkLength(w, 2, 80)).toBe(16);
    // 32 rows: one chunk for one thread, 2 of 16 for two or more (16 is the least).
    expect(planWork(plan, 32, 8, 1)).toMatchObject({ chunks: 1, rowsPerChunk: 32 });
    expect(planWork(plan, 32, 8, 2)).toMatchObject({ chunks: 2, rowsPerChunk: 16 });
    expect(planWork(plan, 32, 8, 4)).toMatchObject({ chunks: 2, rowsPerChunk: 16 });
    // A batch under 16 rows is one chunk.
    expect(planWork(plan, 8, 8, 2)).toMatchObject({ chunks: 1, rowsPerChunk: 8 });
  });

  it('gives large batches more chunks than threads rather than chunks of over 64 rows', () => {
    expect(planWork(plan, 512, 8, 2)).toMatchObject({ chunks: 8, rowsPerChunk: 64 });
    // 500 rows: 8 chunks of 64, the last one 500 - 7 x 64 = 52.
    const w = planWork(plan, 500, 8, 2);
    expect(w).toMatchObject({ chunks: 8, rowsPerChunk: 64 });
    expect(chunkStart(w, 7, 500)).toBe(448);
    expect(chunkLength(w, 7, 500)).toBe(52);
  });

  it('cuts the rows into at most `chunks` parts', () => {
    // chunks 1: one part for the whole team, so 128 rows are 2 chunks of 64 (64 at most).
    expect(planWork(plan, 128, 1, 4)).toMatchObject({ chunks: 2, rowsPerChunk: 64 });
    expect(planWork(plan, 64, 1, 4)).toMatchObject({ chunks: 1, rowsPerChunk: 64 });
  });

  it('leaves the feature blocks of the weight gradients to `chunks`, whatever the team size', () => {
    // 512 output features in 8 blocks of 64 at any batch size; the 10 outputs in one block (at least 16).
    for (const batch of [32, 512]) {
      for (const team of [1, 2, 4]) {
        const w = planWork(plan, batch, 8, team);
        expect(w.weightBlocks.map((b) => b.length)).toEqual([8, 8, 1]);
        expect(w.weightBlocks[0][1]).toMatchObject({ f0: 64, f1: 128 });
        expect(w.sumSqSlots).toBe(17);
      }
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

  /** Trains in this thread as a team of `teamSize` would cut the rows (a SoloTeam runs every unit). */
  function trainCutFor(teamSize: number, kernels: KernelSetName) {
    const cfg = config(8);
    const shape = runShape(cfg, teamSize, false);
    const memory = createRunMemory(runMemoryBytes(shape), true);
    const ctx = createRunContext(cfg, shape, memory.buffer, () => new SoloTeam(), kernelFactory(kernels)(memory), data);
    const outcome = trainLoop(ctx);
    return { outcome, model: snapshotWeights(ctx.mem.params, ctx.mem.bnBuffers), chunks: shape.work.chunks };
  }

  for (const kernels of availableKernelSets()) {
    it(`gives the same bits with 6 chunks of 16 rows, 3 of 32 and 2 of 64 and 32 (${kernels})`, () => {
      // 96 rows: 6 chunks of 16 as a team of three would cut them, 3 of 32 as two, 64 + 32 alone.
      const runs = [3, 2, 1].map((team) => trainCutFor(team, kernels));
      expect(runs.map((r) => r.chunks)).toEqual([6, 3, 2]);
      for (const r of runs) {
        expect(r.outcome.status).toBe('completed');
        expect(r.model.weightsSha256).toBe(runs[2].model.weightsSha256);
        expect(r.outcome.epochs.map((e) => e.valLoss)).toEqual(runs[2].outcome.epochs.map((e) => e.valLoss));
      }
      // And the in-process trainer cuts as a team of one.
      expect(trainInProcess(config(8), data, { kernels: kernelFactory(kernels) }).model.weightsSha256).toBe(runs[2].model.weightsSha256);
    });
  }
});

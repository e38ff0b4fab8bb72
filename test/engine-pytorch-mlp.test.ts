/**
 * Whole MLPs against PyTorch 1.13, end to end: llm.c's test_gpt2.c for Ablate. For small networks
 * covering the layer mixes (batch norm before and after the activation, residual blocks, dropout
 * off, every activation family) and every head (softmax cross-entropy, BCE with logits, MSE),
 * scripts/record-pytorch-reference.py recorded, from the same initial parameters and batch: the
 * training-mode logits, the loss, every parameter's gradient, and the losses of 10 full-batch SGD
 * (momentum 0.9), 10 Adam, 10 RMSprop (centered, momentum 0.5) and 10 Adagrad (lr decay, initial
 * accumulator) steps (test/fixtures/pytorch-mlp-reference.json). The engine runs the
 * same through its real step program with each kernel set it has (availableKernelSets(), so a new
 * set is checked as soon as it is selectable).
 *
 * Tolerances, float32 against float32 with different summation orders (worst measured for the
 * naive and wasm sets in brackets, so each bound has a margin of ten or more):
 *  - logits and loss: |ours - torch| <= 5e-6 * max(1, |torch|)                      [4.2e-7];
 *  - gradients, per tensor: |ours - torch| <= 5e-5 * max(1e-2, max |torch gradient|) [4.6e-6,
 *    batch norm before a softmax amplifies rounding most];
 *  - each of the 10 step losses: |ours - torch| <= 5e-6 * max(1, |torch|)           [1.5e-7].
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { HiddenLayerConfig, Head } from '../src/engine/config/types.js';
import { validateRunConfig } from '../src/engine/config/validate.js';
import { availableKernelSets, kernelFactory } from '../src/engine/kernels/select.js';
import { createRunMemory } from '../src/engine/memory/wasm-memory.js';
import { SoloTeam } from '../src/engine/run/team.js';
import { initOptimizerState } from '../src/engine/train/optimizer.js';
import { createRunContext, runMemoryBytes, runShape, type RunContext, type TrainingData } from '../src/engine/train/setup.js';

interface RecordedModel {
  spec: { name: string; inputSize: number; outputSize: number; head: Head; hidden: HiddenLayerConfig[] };
  x: number[][];
  y: number[] | number[][];
  params: Record<string, number[]>;
  logits: number[];
  loss: number;
  grads: Record<string, number[]>;
  sgdLosses: number[];
  adamLosses: number[];
  rmspropLosses: number[];
  adagradLosses: number[];
}

type RecordedOptimizer =
  | { name: 'sgd'; lr: number; momentum: number }
  | { name: 'adam'; lr: number }
  | { name: 'rmsprop'; lr: number; momentum: number; centered: boolean }
  | { name: 'adagrad'; lr: number; lrDecay: number; initialAccumulatorValue: number };

interface Recording {
  rows: number;
  steps: number;
  sgd: RecordedOptimizer;
  adam: RecordedOptimizer;
  rmsprop: RecordedOptimizer;
  adagrad: RecordedOptimizer;
  models: RecordedModel[];
}

const ref: Recording = JSON.parse(readFileSync(new URL('./fixtures/pytorch-mlp-reference.json', import.meta.url), 'utf8'));

/** The engine on model m's batch, with m's initial parameters, ready for its first step. */
function engineFor(m: RecordedModel, set: string, optimizer: RecordedOptimizer): RunContext {
  const { name: _name, ...spec } = m.spec;
  const cfg = validateRunConfig({
    seed: 1,
    model: { ...spec, init: { weights: 'glorot_uniform', bias: 'zeros' } },
    train: { epochs: 1, batchSize: ref.rows, optimizer },
  });
  const regression = spec.head === 'linear';
  const data: TrainingData = {
    features: Float32Array.from(m.x.flat()),
    d: spec.inputSize,
    labels: regression ? null : Int32Array.from((m.y as number[] | number[][]).flat()),
    values: regression ? Float32Array.from((m.y as number[][]).flat()) : null,
    width: regression ? spec.outputSize : 1,
    train: Int32Array.from({ length: ref.rows }, (_, i) => i),
    validation: new Int32Array(0),
    test: new Int32Array(0),
  };
  const shape = runShape(cfg, 1, regression);
  const memory = createRunMemory(runMemoryBytes(shape), true);
  const ctx = createRunContext(cfg, shape, memory.buffer, () => new SoloTeam(), kernelFactory(set as 'naive')(memory), data, true);
  expect(shape.plan.params.map((p) => p.name).sort()).toEqual(Object.keys(m.params).sort());
  for (const p of shape.plan.params) ctx.mem.params.set(m.params[p.name], p.offset);
  return ctx;
}

/** Largest |ours - torch| / scale over a list, with the index where it happens. */
function worst(ours: ArrayLike<number>, torch: number[], scale: (t: number) => number): { error: number; at: number } {
  expect(ours.length).toBe(torch.length);
  let error = 0;
  let at = -1;
  for (let i = 0; i < torch.length; i++) {
    const e = Math.abs(ours[i] - torch[i]) / scale(torch[i]);
    if (!(e <= error)) [error, at] = [e, i];
  }
  return { error, at };
}

function stepLosses(m: RecordedModel, set: string, optimizer: RecordedOptimizer): number[] {
  const ctx = engineFor(m, set, optimizer);
  initOptimizerState(ctx.cfg.train.optimizer, ctx.mem.opt);
  const losses: number[] = [];
  for (let step = 1; step <= ref.steps; step++) {
    ctx.program.trainStep(ctx.data.train, 0, ref.rows, step, optimizer.lr, step);
    losses.push(ctx.program.lossSum / ref.rows);
  }
  return losses;
}

describe.each(availableKernelSets())('%s kernels against PyTorch, whole MLPs', (set) => {
  for (const m of ref.models) {
    describe(m.spec.name, () => {
      it('logits and loss of the first forward pass', () => {
        const ctx = engineFor(m, set, ref.sgd);
        ctx.program.forwardBackward(ctx.data.train, 0, ref.rows, 1);
        const logits = ctx.mem.logits.data.subarray(0, ref.rows * m.spec.outputSize);
        const w = worst(logits, m.logits, (t) => Math.max(1, Math.abs(t)));
        expect(w.error, `logit ${w.at}: ${logits[w.at]} vs ${m.logits[w.at]}`).toBeLessThanOrEqual(5e-6);
        expect(Math.abs(ctx.program.lossSum / ref.rows - m.loss)).toBeLessThanOrEqual(5e-6 * Math.max(1, m.loss));
      });

      it('every parameter gradient of the first step', () => {
        const ctx = engineFor(m, set, ref.sgd);
        ctx.program.forwardBackward(ctx.data.train, 0, ref.rows, 1);
        for (const p of ctx.plan.params) {
          const torch = m.grads[p.name];
          const scale = Math.max(1e-2, ...torch.map(Math.abs));
          const ours = ctx.mem.grads.subarray(p.offset, p.offset + p.size);
          const w = worst(ours, torch, () => scale);
          expect(w.error, `${p.name}[${w.at}]: ${ours[w.at]} vs ${torch[w.at]}`).toBeLessThanOrEqual(5e-5);
        }
      });

      for (const key of ['sgd', 'adam', 'rmsprop', 'adagrad'] as const) {
        it(`losses of ${ref.steps} ${key} steps`, () => {
          const torch = m[`${key}Losses`];
          const ours = stepLosses(m, set, ref[key]);
          const w = worst(ours, torch, (t) => Math.max(1, Math.abs(t)));
          expect(w.error, `step ${w.at + 1}: ${ours[w.at]} vs ${torch[w.at]}`).toBeLessThanOrEqual(5e-6);
        });
      }
    });
  }
});

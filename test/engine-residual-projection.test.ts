/**
 * Residual connections across widths: the plan's projection parameter (name, shape, only when the
 * widths differ), the design form's parameter count against the plan, and a forward pass computed
 * by hand on a tiny network with identity activations (out = W x + b + P x, then the output layer).
 * Gradients are checked by finite differences (engine-gradcheck), against PyTorch
 * (engine-pytorch-mlp, softmax-residual-projection) and in ONNX (onnx-validate).
 */
import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../src/engine/config/validate.js';
import { kernelFactory } from '../src/engine/kernels/select.js';
import { createRunMemory } from '../src/engine/memory/wasm-memory.js';
import { planModel } from '../src/engine/model/plan.js';
import { SoloTeam } from '../src/engine/run/team.js';
import { createRunContext, runMemoryBytes, runShape, type TrainingData } from '../src/engine/train/setup.js';
import { paramCount } from '../src/renderer/src/lib/spec.js';
import { testKernelSetNames } from './helpers/kernel-sets.js';

const model = (hidden: unknown[], inputSize = 3) => ({
  inputSize,
  hidden,
  outputSize: 2,
  head: 'linear' as const,
  init: { weights: 'glorot_uniform' as const, bias: 'zeros' as const },
});
const config = (hidden: unknown[], inputSize = 3) =>
  validateRunConfig({ seed: 1, model: model(hidden, inputSize), train: { epochs: 1, batchSize: 2, optimizer: { name: 'sgd', lr: 0.1 } } });

describe('the plan', () => {
  it('adds hidden.i.residual.weight (width, input width) only where a residual layer changes width', () => {
    const plan = planModel(
      config([
        { width: 4, activation: 'relu', residual: true },
        { width: 4, activation: 'relu', residual: true },
        { width: 2, activation: 'tanh', residual: true, batchNorm: 'pre' },
      ]).model,
    );
    const projections = plan.params.filter((p) => p.name.endsWith('.residual.weight'));
    expect(projections.map((p) => [p.name, p.shape, p.kind])).toEqual([
      ['hidden.0.residual.weight', [4, 3], 'weight'],
      ['hidden.2.residual.weight', [2, 4], 'weight'],
    ]);
    expect(plan.hidden.map((h) => h.projection?.name ?? null)).toEqual(['hidden.0.residual.weight', null, 'hidden.2.residual.weight']);
  });

  it("the design form's parameter count equals the plan's", () => {
    const hidden = [
      { width: 5, activation: 'relu', residual: true },
      { width: 5, activation: 'relu', residual: true, batchNorm: 'post' },
      { width: 7, activation: 'gelu', residual: true },
    ];
    const plan = planModel(config(hidden).model);
    expect(paramCount(model(hidden) as never)).toBe(plan.params.reduce((s, p) => s + p.size, 0));
  });
});

describe.each(testKernelSetNames())('forward by hand (%s kernels)', (set) => {
  it('out = W x + b + P x for an identity layer of width 2 on 3 inputs', () => {
    const cfg = config([{ width: 2, activation: 'identity', residual: true }]);
    const data: TrainingData = {
      features: Float32Array.from([1, 2, 3, -1, 0, 2]),
      d: 3,
      labels: null,
      values: new Float32Array(4),
      width: 2,
      train: Int32Array.from([0, 1]),
      validation: new Int32Array(0),
      test: new Int32Array(0),
    };
    const shape = runShape(cfg, 1, true);
    const memory = createRunMemory(runMemoryBytes(shape), true);
    const ctx = createRunContext(cfg, shape, memory.buffer, () => new SoloTeam(), kernelFactory(set as 'naive')(memory), data, true);
    const set32 = (name: string, v: number[]) => ctx.mem.params.set(v, shape.plan.params.find((p) => p.name === name)!.offset);
    set32('hidden.0.linear.weight', [1, 0, 0, 0, 1, 0]); // W x = (x0, x1)
    set32('hidden.0.linear.bias', [0.5, -0.5]);
    set32('hidden.0.residual.weight', [0, 0, 1, 1, 1, 1]); // P x = (x2, x0 + x1 + x2)
    set32('output.weight', [1, 0, 0, 1]);
    set32('output.bias', [0, 0]);
    ctx.program.forwardBackward(data.train, 0, 2, 1);
    // Row 1: h = (1.5, 1.5) + (3, 6); row 2: h = (-0.5, -0.5) + (2, 1).
    expect(Array.from(ctx.mem.logits.data.subarray(0, 4))).toEqual([4.5, 7.5, 1.5, 0.5]);
  });
});

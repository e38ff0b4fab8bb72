/**
 * A team's first hidden layer split by output features (train/first-layer-split.ts): which
 * features, weight gradients and parameter updates each thread owns, against hand computations
 * on the reference MLP. That a team runs it is test/team-profile.test.ts (its barriers); that it
 * never changes a bit is the pool's test (test/pool.test.ts: 1 to 4 workers against the in-process
 * trainer, every kernel set) and the kernels' feature partition (test/kernels-fast.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../src/engine/config/validate.js';
import { naiveKernels } from '../src/engine/kernels/naive.js';
import { createRunMemory } from '../src/engine/memory/wasm-memory.js';
import type { Team } from '../src/engine/run/team.js';
import { firstLayerRange } from '../src/engine/run/work-plan.js';
import { FirstLayerSplit } from '../src/engine/train/first-layer-split.js';
import { bindOptimizer } from '../src/engine/train/optimizer.js';
import { createRunContext, runMemoryBytes, runShape } from '../src/engine/train/setup.js';
import { referenceConfig } from '../src/bench/train.js';

// The bench's reference MLP, 784-512-512-10, at batch 128.
const config = referenceConfig(128, 1);

/** Thread `index` of a team of `size`: only what the split's constructor reads. */
const member = (index: number, size: number) => ({ index, size }) as unknown as Team;

/** The split of each thread of a team of `size`, on one run memory of the reference MLP. */
function splits(size: number) {
  const shape = runShape(config, size, false);
  const memory = createRunMemory(runMemoryBytes(shape), true);
  const none = {
    features: new Float32Array(0),
    d: 784,
    labels: null,
    values: null,
    width: 1,
    train: new Int32Array(0),
    validation: new Int32Array(0),
    test: new Int32Array(0),
  };
  const ctx = createRunContext(config, shape, memory.buffer, () => member(0, size), naiveKernels, none);
  const optimizer = bindOptimizer(
    config.train.optimizer,
    false,
    config.train.clip,
    shape.work.paramBlocks,
    ctx.mem.params,
    ctx.mem.grads,
    ctx.mem.opt,
  );
  const w1 = shape.plan.hidden[0].linear;
  return {
    optimizer,
    w1,
    params: ctx.mem.params,
    threads: Array.from({ length: size }, (_, t) => new FirstLayerSplit(ctx.net, shape.work, member(t, size), optimizer, naiveKernels)),
    work: shape.work,
  };
}

/** [first, end) in floats of the parameter arena of a view of it. */
const span = (v: Float32Array, arena: Float32Array) => {
  const first = (v.byteOffset - arena.byteOffset) / 4;
  return [first, first + v.length];
};

describe('the first layer split by features', () => {
  it('gives each thread a contiguous run of whole weight blocks: the reference MLP on 2, 3 and 4 threads', () => {
    // 512 features in 8 blocks of 64 (train.chunks 8): 4 blocks each on two threads, 2 + 3 + 3 on three.
    expect(splits(2).threads.map((s) => [s.f0, s.f1])).toEqual([
      [0, 256],
      [256, 512],
    ]);
    expect(splits(3).threads.map((s) => [s.f0, s.f1])).toEqual([
      [0, 128],
      [128, 320],
      [320, 512],
    ]);
    expect(splits(4).threads.map((s) => [s.f0, s.f1])).toEqual([
      [0, 128],
      [128, 256],
      [256, 384],
      [384, 512],
    ]);
    for (const s of splits(3).threads) {
      expect(s.gradBlocks[0].f0).toBe(s.f0);
      expect(s.gradBlocks.at(-1)!.f1).toBe(s.f1);
    }
  });

  it("updates exactly each thread's rows of W1 and entries of b1 there, and every other parameter once, by any thread", () => {
    for (const size of [2, 3, 4]) {
      const { optimizer, w1, params, threads } = splits(size);
      for (const s of threads) {
        const spans = s.ownUpdates.map((v) => span(v.params, params));
        const weights = spans.filter(([a]) => a >= w1.weight.offset && a < w1.weight.offset + w1.weight.size);
        const biases = spans.filter(([a]) => a >= w1.bias.offset && a < w1.bias.offset + w1.bias.size);
        expect(weights.length + biases.length).toBe(spans.length);
        expect([weights[0][0], weights.at(-1)![1]]).toEqual([w1.weight.offset + s.f0 * 784, w1.weight.offset + s.f1 * 784]);
        expect([biases[0][0], biases.at(-1)![1]]).toEqual([w1.bias.offset + s.f0, w1.bias.offset + s.f1]);
        expect(s.sharedUpdates).toEqual(threads[0].sharedUpdates);
      }
      // Own and shared blocks together: every optimizer block exactly once.
      const all = [...threads.flatMap((s) => s.ownUpdates), ...threads[0].sharedUpdates];
      expect(all.length).toBe(optimizer.blocks.length);
      expect(new Set(all)).toEqual(new Set(optimizer.blocks));
    }
  });

  it('is not used by a lone thread, nor where there is no hidden layer', () => {
    const { work } = splits(2);
    expect(FirstLayerSplit.applies(member(0, 1), work)).toBe(false);
    expect(FirstLayerSplit.applies(member(0, 2), work)).toBe(true);
    const linear = validateRunConfig({ ...config, model: { ...config.model, hidden: [] } });
    const noHidden = runShape(linear, 2, false).work;
    expect(FirstLayerSplit.applies(member(0, 2), noHidden)).toBe(false);
    expect(firstLayerRange(noHidden, 1, 2)).toEqual({ from: 0, to: 0 });
  });
});

/**
 * Runs the learning-rate range test (lr-range.ts) on one run config in the calling thread: the
 * model initialized from the config's seed, then one optimizer step per mini-batch of the training
 * split (shuffled per pass with the config's seeded stream, as training does) at the ramp's rate,
 * until the loss explodes or the ramp ends. The config's optimizer, batch size, clipping and
 * penalties apply; its schedule, epochs and early stopping do not (the ramp replaces them).
 * Deterministic: the same config and data give the same curve. Main thread (or any one thread).
 */
import type { ResolvedRunConfig } from '../config/defaults.js';
import { initializeModel } from '../init/initializers.js';
import { kernelFactory } from '../kernels/select.js';
import type { KernelFactory } from '../kernels/types.js';
import { createRunMemory } from '../memory/wasm-memory.js';
import { Purpose } from '../rng/hash.js';
import { stream } from '../rng/stream.js';
import { SoloTeam } from '../run/team.js';
import { LrRangeTracker, lrAt, type LrRangeOptions, type LrRangeResult } from './lr-range.js';
import { createRunContext, runMemoryBytes, runShape, type TrainingData } from './setup.js';

export function lrRangeTest(cfg: ResolvedRunConfig, data: TrainingData, options: LrRangeOptions, kernels?: KernelFactory): LrRangeResult {
  if (data.train.length === 0) throw new Error('lr-find: the training split is empty');
  const shape = runShape(cfg, 1, data.values !== null);
  const memory = createRunMemory(runMemoryBytes(shape), true);
  const ctx = createRunContext(cfg, shape, memory.buffer, () => new SoloTeam(), (kernels ?? kernelFactory('naive'))(memory), data);
  initializeModel(ctx.plan, cfg.model.init, cfg.seed, ctx.mem.params, ctx.mem.bnBuffers);
  const { program } = ctx;
  const { batchSize } = cfg.train;
  const hasBatchNorm = ctx.plan.hidden.some((h) => h.bn);
  const order = new Int32Array(data.train.length);
  const tracker = new LrRangeTracker(options);
  let pass = -1;
  let start = order.length;
  for (let i = 0; i < options.steps; i++) {
    // A batch norm layer cannot train on one row: a last batch of one starts the next pass.
    if (start >= order.length || (hasBatchNorm && order.length - start === 1)) {
      pass += 1;
      order.set(data.train);
      stream(cfg.seed, Purpose.shuffle, pass).shuffle(order);
      start = 0;
    }
    const rows = Math.min(batchSize, order.length - start);
    const lr = lrAt(options, i);
    program.trainStep(order, start, rows, i + 1, lr, i + 1);
    start += rows;
    if (!tracker.add(lr, program.lossSum / rows, program.diverged)) break;
  }
  return tracker.result();
}

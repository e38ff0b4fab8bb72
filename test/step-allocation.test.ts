/**
 * Issue 17: a training step allocates nothing on the JavaScript heap. Counted, not timed: the
 * young generation's used bytes (v8.getHeapSpaceStatistics: new space and new large objects)
 * before and after a window of steady-state steps, in windows where v8.GCProfiler saw no garbage
 * collection (a scavenge empties new space; such a window is retried). Reading the statistics
 * allocates its own result, so each window is compared with an empty window measured alongside:
 * what the steps add is the difference. Counted over several windows, the least must be 0. The steps are StepProgram.trainStep in this thread
 * (SoloTeam), on the reference MLP (784-512-512-10, batch 128, SGD) after a warm-up long enough
 * for V8 to optimize the step's code, for each compiled kernel set available here, also in a
 * thread's second run. Pool workers, two to a team (SharedTeam), are measured in
 * pool-allocation.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { allocatedBy } from '../src/engine/train/heap-meter.js';
import { referenceConfig } from '../src/bench/train.js';
import { REFERENCE_INPUT_DIM, REFERENCE_LEARNING_RATE } from '../src/bench/peers/reference-mlp.js';
import { initializeModel } from '../src/engine/init/initializers.js';
import { availableKernelSets, createKernels } from '../src/engine/kernels/select.js';
import type { KernelSetName } from '../src/engine/kernels/types.js';
import { createRunMemory } from '../src/engine/memory/wasm-memory.js';
import { SoloTeam } from '../src/engine/run/team.js';
import { createRunContext, runMemoryBytes, runShape } from '../src/engine/train/setup.js';

const BATCH = 128;
const ROWS = 4 * BATCH;
const WARMUP_STEPS = 300;
const STEPS = 200;

/** A trainer of the reference MLP on synthetic rows, as createRunContext builds it for one thread. */
function referenceTrainer(set: KernelSetName): (steps: number) => void {
  const cfg = referenceConfig(BATCH, 1);
  const data = {
    features: new Float32Array(ROWS * REFERENCE_INPUT_DIM).map((_, i) => Math.sin(i * 12.9898)),
    d: REFERENCE_INPUT_DIM,
    labels: Int32Array.from({ length: ROWS }, (_, i) => i % 10),
    values: null,
    width: 1,
    train: Int32Array.from({ length: ROWS }, (_, i) => i),
    validation: new Int32Array(0),
    test: new Int32Array(0),
  };
  const shape = runShape(cfg, 1, false);
  const memory = createRunMemory(runMemoryBytes(shape), true);
  const ctx = createRunContext(cfg, shape, memory.buffer, () => new SoloTeam(), createKernels(set, memory, 0), data);
  initializeModel(ctx.plan, cfg.model.init, cfg.seed, ctx.mem.params, ctx.mem.bnBuffers);
  let step = 0;
  return (steps) => {
    for (let i = 0; i < steps; i++) {
      step += 1;
      ctx.program.trainStep(data.train, (step % 4) * BATCH, BATCH, step, REFERENCE_LEARNING_RATE, step);
    }
  };
}

/** The least young-generation bytes per step over a few GC-free windows of steady-state steps. */
function leastBytesPerStep(train: (steps: number) => void): number {
  train(WARMUP_STEPS);
  // The least over windows, until one reads 0 (at most 30): V8 may still finish a compilation in
  // one (a one-off; later on a busy machine), while an allocation per step shows in every window.
  let least: number | null = null;
  for (let window = 0; window < 30 && least !== 0; window++) {
    const empty = allocatedBy(() => train(0));
    const steps = allocatedBy(() => train(STEPS));
    if (empty !== null && steps !== null) least = Math.min(least ?? Infinity, steps - empty);
  }
  expect(least, 'every window saw a garbage collection').not.toBeNull();
  return least! / STEPS;
}

describe('a training step allocates nothing on the JavaScript heap (issue 17)', () => {
  for (const set of availableKernelSets().filter((s) => s !== 'naive')) {
    it(`${set} set, reference MLP: no young-generation bytes over ${STEPS} steady-state steps`, () => {
      // One heap number is 12 to 16 bytes: a per-step allocation of even one would show.
      expect(leastBytesPerStep(referenceTrainer(set))).toBe(0);
    });

    it(`${set} set: nor in a thread's second run (a second kernel instance)`, () => {
      // A call site that has seen two WebAssembly instances boxed every double argument: 48
      // bytes per parameter block and step here, before the floats went through the float block.
      referenceTrainer(set)(WARMUP_STEPS);
      expect(leastBytesPerStep(referenceTrainer(set))).toBe(0);
    });
  }
});

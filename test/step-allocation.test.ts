/**
 * Issue 17: a training step allocates nothing on the JavaScript heap. Counted, not timed: the
 * young generation's used bytes (v8.getHeapSpaceStatistics: new space and new large objects)
 * before and after a window of steady-state steps, in windows where v8.GCProfiler saw no garbage
 * collection (a scavenge empties new space; such a window is retried). Reading the statistics
 * allocates its own result, so each window is compared with an empty window measured alongside:
 * what the steps add is the difference. Counted over several windows, the least must be 0. The
 * steps are StepProgram.trainStep in this thread (SoloTeam), after a warm-up long enough for V8 to
 * optimize the step's code, for each compiled kernel set available here: on the reference MLP
 * (784-512-512-10, batch 128, SGD), also in a thread's second run, and on every layer option,
 * optimizer, clipping and head, run one after another in the same thread as a pool worker runs
 * them (code that has seen objects of several shapes is optimized differently). Pool workers, two
 * to a team (SharedTeam), are measured in pool-allocation.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { leastAddedBy } from './helpers/allocation.js';
import { referenceConfig } from '../src/bench/train.js';
import type { ResolvedRunConfig } from '../src/engine/config/defaults.js';
import type { RunConfig } from '../src/engine/config/types.js';
import { validateRunConfig } from '../src/engine/config/validate.js';
import { initializeModel } from '../src/engine/init/initializers.js';
import { availableKernelSets, createKernels } from '../src/engine/kernels/select.js';
import type { KernelSetName } from '../src/engine/kernels/types.js';
import { createRunMemory } from '../src/engine/memory/wasm-memory.js';
import { SoloTeam } from '../src/engine/run/team.js';
import { createRunContext, runMemoryBytes, runShape } from '../src/engine/train/setup.js';

const WARMUP_STEPS = 300;
const STEPS = 200;

/** A trainer of `cfg` on 4 batches of synthetic rows, as createRunContext builds it for one thread. */
function trainer(cfg: ResolvedRunConfig, set: KernelSetName): (steps: number) => void {
  const batch = cfg.train.batchSize;
  const rows = 4 * batch;
  const { inputSize: d, outputSize, head } = cfg.model;
  const width = head === 'softmax' ? 1 : outputSize;
  const data = {
    features: new Float32Array(rows * d).map((_, i) => Math.sin(i * 12.9898)),
    d,
    labels: Int32Array.from({ length: rows }, (_, i) => i % outputSize),
    values: head === 'softmax' ? null : Float32Array.from({ length: rows * width }, (_, i) => (i % 3 === 0 ? 1 : 0)),
    width,
    train: Int32Array.from({ length: rows }, (_, i) => i),
    validation: new Int32Array(0),
    test: new Int32Array(0),
  };
  const shape = runShape(cfg, 1, data.values !== null);
  const memory = createRunMemory(runMemoryBytes(shape), true);
  const ctx = createRunContext(cfg, shape, memory.buffer, () => new SoloTeam(), createKernels(set, memory, 0), data);
  initializeModel(ctx.plan, cfg.model.init, cfg.seed, ctx.mem.params, ctx.mem.bnBuffers);
  // Read once, as the epoch loop does: read from the config at each call, the rate was a new heap
  // number per step in this test's own loop.
  const lr = cfg.train.optimizer.lr;
  let step = 0;
  return (steps) => {
    for (let i = 0; i < steps; i++) {
      step += 1;
      ctx.program.trainStep(data.train, (step % 4) * batch, batch, step, lr, step);
      // A diverged step skips its update: the steps measured must be the ones a run takes.
      if (ctx.program.diverged || ctx.program.exploded) throw new Error(`diverged at step ${step}`);
    }
  };
}

/** The least young-generation bytes per step over a few GC-free windows of steady-state steps. */
function leastBytesPerStep(train: (steps: number) => void, warmup = WARMUP_STEPS, windows = 30): number {
  train(warmup);
  // A window may read a few dozen bytes below its empty one (seen in CI): the steps then
  // allocated nothing.
  const least = leastAddedBy(
    () => train(STEPS),
    windows,
    0,
    () => train(0),
  );
  expect(least, 'every window saw a garbage collection').not.toBeNull();
  return Math.max(0, least!) / STEPS;
}

const referenceTrainer = (set: KernelSetName) => trainer(referenceConfig(128, 1), set);

/** A small MLP (32-48-24-10, batch 64, SGD) with `edit` applied: a configuration under test. */
function variant(edit: (c: RunConfig) => void): ResolvedRunConfig {
  const c: RunConfig = {
    seed: 1,
    model: {
      inputSize: 32,
      hidden: [
        { width: 48, activation: 'relu' },
        { width: 24, activation: 'relu' },
      ],
      outputSize: 10,
      head: 'softmax',
      init: { weights: 'glorot_uniform', bias: 'zeros' },
    },
    train: { epochs: 1, batchSize: 64, optimizer: { name: 'sgd', lr: 0.01 } },
  };
  edit(c);
  return validateRunConfig(c);
}

/**
 * Run in this order, several allocated per step before (bytes per step, native set): dropout 180
 * (a property read in the mask's key), Adagrad with a rate decay 144, clipping by norm 16-48 and
 * by value 16, the penalties 224 (doubles passed as arguments), leaky ReLU after the others 64
 * (its slope, read from objects of several shapes).
 */
const VARIANTS: Array<[string, (c: RunConfig) => void]> = [
  ['plain', () => {}],
  ['batch norm before the activation', (c) => c.model.hidden.forEach((h) => (h.batchNorm = 'pre'))],
  ['batch norm after the activation', (c) => (c.model.hidden[0].batchNorm = 'post')],
  ['dropout', (c) => ((c.model.hidden[0].dropout = 0.3), (c.model.hidden[1].dropout = 0.2))],
  [
    'residual layers, one with a projection',
    (c) => c.model.hidden.push({ width: 24, activation: 'relu', residual: true }, { width: 12, activation: 'relu', residual: true }),
  ],
  ['elu and sigmoid', (c) => ((c.model.hidden[0].activation = 'elu'), (c.model.hidden[1].activation = 'sigmoid'))],
  ['tanh and leaky ReLU', (c) => ((c.model.hidden[0].activation = 'tanh'), (c.model.hidden[1].activation = 'leaky_relu'))],
  [
    'SGD with Nesterov momentum and weight decay',
    (c) => (c.train.optimizer = { name: 'sgd', lr: 0.01, momentum: 0.9, nesterov: true, weightDecay: 1e-4 }),
  ],
  ['Adam with weight decay', (c) => (c.train.optimizer = { name: 'adam', lr: 0.001, weightDecay: 1e-4 })],
  [
    'AdamW on weights only',
    (c) => ((c.train.optimizer = { name: 'adamw', lr: 0.001, weightDecay: 1e-2 }), (c.train.decayWeightsOnly = true)),
  ],
  [
    'RMSprop, centered, with momentum',
    (c) => (c.train.optimizer = { name: 'rmsprop', lr: 0.001, momentum: 0.9, centered: true, weightDecay: 1e-4 }),
  ],
  ['Adagrad with a rate decay', (c) => (c.train.optimizer = { name: 'adagrad', lr: 0.01, lrDecay: 0.01, weightDecay: 1e-4 })],
  ['clipping by norm', (c) => (c.train.clip = { kind: 'norm', maxNorm: 0.5 })],
  ['clipping by value', (c) => (c.train.clip = { kind: 'value', value: 0.01 })],
  ['L1 and L2 penalties', (c) => (c.train.penalties = { l1: 1e-4, l2: 1e-3 })],
  ['sigmoid head', (c) => (c.model.head = 'sigmoid')],
  ['linear head', (c) => (c.model.head = 'linear')],
  [
    'all at once: batch norm, dropout, residual, AdamW, clipping, penalties',
    (c) => {
      c.model.hidden[0].batchNorm = 'pre';
      c.model.hidden[1].dropout = 0.1;
      c.model.hidden.push({ width: 24, activation: 'elu', residual: true, batchNorm: 'post' });
      c.train.optimizer = { name: 'adamw', lr: 0.001, weightDecay: 1e-2 };
      c.train.clip = { kind: 'norm', maxNorm: 1 };
      c.train.penalties = { l1: 1e-5, l2: 1e-4 };
    },
  ],
];

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

    // In order, in this thread, as a pool worker runs one configuration after another.
    for (const [name, edit] of VARIANTS) {
      it(`${set} set, ${name}: nothing per step`, () => {
        // Small steps (0.1-0.3 ms): more of them, so that V8's background compiler, later on a
        // busy machine, has finished before the windows run out.
        expect(leastBytesPerStep(trainer(variant(edit), set), 1000, 60)).toBe(0);
      });
    }
  }
});

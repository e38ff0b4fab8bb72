/**
 * The worker pool's guarantee: for a given config and seed, the final weights are bitwise
 * identical with 1, 2, 3 and 4 workers (batch norm, dropout, weight decay, momentum, Adam) and
 * equal to the in-process trainer; results do not depend on scheduling; cancel stops a run within
 * one step; a worker that throws or dies fails only its run; shutdown leaves nothing behind.
 * Needs the compiled worker (out/engine/worker.js, built by `npm run build:engine`).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateRunConfig } from '../src/engine/config/validate.js';
import type { KernelSetName } from '../src/engine/kernels/types.js';
import { kernelFactory } from '../src/engine/kernels/select.js';
import { testKernelSetNames } from './helpers/kernel-sets.js';
import { WorkerPool, type RunRequest } from '../src/engine/parallel/pool.js';
import { DEFAULT_DIAGNOSTICS } from '../src/engine/probes/types.js';
import type { StepEvent } from '../src/engine/train/outcome.js';
import { trainInProcess } from '../src/engine/train/trainer.js';
import { expectExitsByItself } from './helpers/exits-by-itself.js';
import { classData, spiral } from './helpers/toy-data.js';

const workerPath = fileURLToPath(new URL('../out/engine/worker.js', import.meta.url));
const { x, y } = spiral(100, 3, 4);
const data = classData(x, y, 2, 2, 0.2, 0.1);

type Variant = 'bn-dropout-sgd' | 'adam-wd' | 'residual-adamw' | 'rmsprop-mish-orthogonal' | 'adagrad-silu';

function config(variant: Variant, seed = 5) {
  if (variant === 'rmsprop-mish-orthogonal' || variant === 'adagrad-silu') return breadthConfig(variant, seed);
  const hidden =
    variant === 'bn-dropout-sgd'
      ? [
          { width: 24, activation: 'relu', batchNorm: 'pre', dropout: 0.2 },
          { width: 24, activation: 'tanh', batchNorm: 'post' },
        ]
      : variant === 'adam-wd'
        ? [
            { width: 32, activation: 'elu', dropout: 0.1 },
            { width: 16, activation: 'gelu' },
          ]
        : [
            { width: 20, activation: 'relu' },
            { width: 20, activation: 'selu', residual: true, batchNorm: 'pre', dropout: 0.3 },
          ];
  const optimizer =
    variant === 'bn-dropout-sgd'
      ? { name: 'sgd', lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 1e-3 }
      : variant === 'adam-wd'
        ? { name: 'adam', lr: 0.01, weightDecay: 1e-3 }
        : { name: 'adamw', lr: 0.01 };
  return validateRunConfig({
    seed,
    model: { inputSize: 2, hidden, outputSize: 3, head: 'softmax', init: { weights: 'he_uniform', bias: 'torch_default' } },
    train: {
      epochs: 5,
      // 210 training rows: 4 batches of 48, then one of 18; validation 60. Each team size cuts the
      // rows differently (48 rows: one chunk alone, 3 x 16 on two to four workers;
      // the last 18: one chunk alone, 16 + 2 on a team), which must not change a bit.
      batchSize: 48,
      optimizer,
      clip: { kind: 'norm', maxNorm: 1 },
      penalties: { l2: 1e-4 },
      earlyStopping: { monitor: 'val_loss', patience: 5, restoreBestWeights: true },
    },
  });
}

/** The optimizers, activations, initializers and residual projections of issue 21 item 8, on the same data. */
function breadthConfig(variant: 'rmsprop-mish-orthogonal' | 'adagrad-silu', seed: number) {
  const rms = variant === 'rmsprop-mish-orthogonal';
  return validateRunConfig({
    seed,
    model: {
      inputSize: 2,
      hidden: [
        { width: 24, activation: rms ? 'mish' : 'silu', batchNorm: rms ? 'pre' : 'none', dropout: 0.1, residual: true },
        { width: 16, activation: rms ? 'silu' : 'mish', residual: true },
      ],
      outputSize: 3,
      head: 'softmax',
      init: { weights: rms ? 'orthogonal' : 'glorot_uniform', bias: 'torch_default' },
    },
    train: {
      epochs: 3,
      batchSize: 30,
      optimizer: rms
        ? { name: 'rmsprop', lr: 0.005, momentum: 0.5, centered: true, weightDecay: 1e-3 }
        : { name: 'adagrad', lr: 0.05, lrDecay: 0.01, initialAccumulatorValue: 0.1 },
      clip: rms ? { kind: 'value', value: 0.5 } : { kind: 'norm', maxNorm: 1 },
    },
  });
}

const request = (cfg: ReturnType<typeof config>, extra: Partial<RunRequest> = {}): RunRequest => ({
  config: cfg,
  datasetId: 'spiral',
  train: data.train,
  validation: data.validation,
  test: data.test,
  ...extra,
});

let pool: WorkerPool;
beforeAll(() => {
  if (!existsSync(workerPath)) throw new Error(`missing ${workerPath}: run npm run build:engine first`);
  pool = new WorkerPool({ workerPath, size: 4, allowFaultInjection: true });
  pool.addDataset('spiral', { features: data.features, d: 2, labels: data.labels, values: null, width: 1 });
});
afterAll(async () => {
  await pool.shutdown();
});

const kernelSets: KernelSetName[] = testKernelSetNames();

describe.each(kernelSets)('bitwise identical on any number of workers (%s kernels)', (kernels) => {
  for (const variant of ['bn-dropout-sgd', 'adam-wd', 'residual-adamw', 'rmsprop-mish-orthogonal', 'adagrad-silu'] as const) {
    it(`${variant}: 1, 2, 3 and 4 workers and the in-process trainer agree bit for bit`, async () => {
      const cfg = config(variant);
      const reference = trainInProcess(cfg, data, { kernels: kernelFactory(kernels) });
      expect(reference.outcome.status).not.toBe('failed');
      const results = [];
      // Diagnostics on for 2 and 4 workers: probes only read, so they must not change a bit.
      for (const threads of [1, 2, 3, 4]) {
        results.push(
          await pool.submit(request(cfg, { threads, kernels, diagnostics: threads % 2 === 0 ? DEFAULT_DIAGNOSTICS : null })).result,
        );
      }
      for (const r of results) {
        expect(r.outcome.status, r.outcome.stopReason).toBe(reference.outcome.status);
        expect(r.kernels).toBe(kernels);
        expect(r.weightsSha256).toBe(reference.model.weightsSha256);
        expect(r.params).toEqual(reference.model.params);
        expect(r.bnBuffers).toEqual(reference.model.bnBuffers);
        expect(r.outcome.epochs.map((e) => e.valLoss)).toEqual(reference.outcome.epochs.map((e) => e.valLoss));
      }
      expect(results.map((r) => r.threads)).toEqual([1, 2, 3, 4]);
    });
  }
});

describe('diagnostics on a team', () => {
  it('are the same records on 1 and on 3 workers (activations are read before the next step overwrites them)', async () => {
    const cfg = config('bn-dropout-sgd');
    const collect = async (threads: number) => {
      const records: unknown[] = [];
      const diagnostics = { ...DEFAULT_DIAGNOSTICS, everySteps: 1 };
      await pool.submit(request(cfg, { threads, kernels: 'wasm', diagnostics, onProgress: (p) => records.push(...p.diagnostics) })).result;
      return records;
    };
    const one = await collect(1);
    expect(one.length).toBeGreaterThan(20);
    expect(await collect(3)).toEqual(one);
  });
});

describe('scheduling', () => {
  it('runs several runs at once and their results do not depend on how they were scheduled', async () => {
    const cfgs = [config('adam-wd', 1), config('adam-wd', 2), config('bn-dropout-sgd', 3), config('residual-adamw', 4)];
    const together = await Promise.all(cfgs.map((c) => pool.submit(request(c)).result));
    expect(together.every((r) => r.threads === 1)).toBe(true);
    const apart = [];
    for (const c of cfgs) apart.push(await pool.submit(request(c, { threads: 3 })).result);
    expect(apart.map((r) => r.weightsSha256)).toEqual(together.map((r) => r.weightsSha256));
    expect(new Set(together.map((r) => r.weightsSha256)).size).toBe(4);
  });

  it('streams progress: every step and every epoch, batched', async () => {
    const steps: number[] = [];
    const epochs: number[] = [];
    const r = await pool.submit(
      request(config('adam-wd'), {
        threads: 2,
        onProgress: (p) => (steps.push(...p.steps.map((v) => v.step)), epochs.push(...p.epochs.map((v) => v.epoch))),
      }),
    ).result;
    expect(steps).toEqual(Array.from({ length: r.outcome.steps }, (_, i) => i + 1));
    expect(epochs).toEqual([0, 1, 2, 3, 4]);
  });

  it("streams the same step records as the in-process trainer's onStep events, to a divergence", async () => {
    // The workers' records travel as a typed array (train/step-log.ts); the in-process loop
    // builds each event from the step's results. Clipping makes clipCoef vary.
    const kernels: KernelSetName = 'wasm';
    const base = config('bn-dropout-sgd');
    // Healthy; a loss above 100 x the first (that step is reported: it is the evidence); a loss
    // that becomes infinite or NaN (that step is not).
    for (const [lr, divergenceFactor] of [
      [0.05, 100],
      [1e6, 100],
      [1e30, null],
    ] as const) {
      const cfg = { ...base, train: { ...base.train, divergenceFactor, optimizer: { ...base.train.optimizer, lr } } };
      const fromPool: StepEvent[] = [];
      const r = await pool.submit(request(cfg, { threads: 3, kernels, onProgress: (p) => fromPool.push(...p.steps) })).result;
      const inProcess: StepEvent[] = [];
      const own = trainInProcess(cfg, data, { kernels: kernelFactory(kernels), hooks: { onStep: (e) => inProcess.push(e) } });
      expect(r.outcome.status).toBe(own.outcome.status);
      expect(own.outcome.status).toBe(lr > 1 ? 'diverged' : 'completed');
      if (divergenceFactor === null) expect(own.outcome.stopReason).toMatch(/NaN or infinite/);
      if (lr < 1) expect(inProcess.some((e) => e.clipCoef < 1)).toBe(true);
      expect(fromPool).toEqual(inProcess);
    }
  });
});

describe('lifecycle', () => {
  it('cancels a running run within one step', async () => {
    let cancelledAt = -1;
    const handle: ReturnType<WorkerPool['submit']> = pool.submit(
      request(validateRunConfig({ ...config('adam-wd'), train: { ...config('adam-wd').train, epochs: 500 } }), {
        threads: 2,
        onProgress: ({ steps }) => {
          if (cancelledAt < 0 && steps.length > 0) {
            cancelledAt = steps.at(-1)!.step;
            handle.cancel();
          }
        },
      }),
    );
    const r = await handle.result;
    expect(r.outcome.status).toBe('cancelled');
    // Progress is flushed every 100 ms; the cancel lands at the next step boundary after it is seen.
    expect(r.outcome.steps).toBeLessThan(cancelledAt + 200);
    expect(r.outcome.steps).toBeLessThan(500 * 7);
  });

  it('cancels a queued run before it starts', async () => {
    const long = validateRunConfig({ ...config('adam-wd'), train: { ...config('adam-wd').train, epochs: 40 } });
    const blockers = [1, 2].map(() => pool.submit(request(long, { threads: 2 })));
    const queued = pool.submit(request(config('adam-wd'), { threads: 4 }));
    queued.cancel();
    const r = await queued.result;
    expect(r.outcome.status).toBe('cancelled');
    expect(r.outcome.stopReason).toMatch(/before it started/);
    for (const b of blockers) b.cancel();
    await Promise.all(blockers.map((b) => b.result));
  });

  it('a worker that throws fails only its run, with a clear error, and the pool goes on', async () => {
    const cfg = config('adam-wd');
    const victim = pool.submit(request(cfg, { threads: 2, fault: { teamIndex: 1, atStep: 5, kind: 'throw' } }));
    const bystander = pool.submit(request(cfg, { threads: 2 }));
    const [v, b] = await Promise.all([victim.result, bystander.result]);
    expect(v.outcome.status).toBe('failed');
    expect(v.outcome.stopReason).toMatch(/injected fault at step 5/);
    expect(b.outcome.status).toBe('completed');
    const again = await pool.submit(request(cfg, { threads: 4 })).result;
    expect(again.weightsSha256).toBe(b.weightsSha256);
  });

  it('a worker that dies fails only its run, is replaced, and later runs still agree', async () => {
    const cfg = config('bn-dropout-sgd');
    const victim = pool.submit(request(cfg, { threads: 2, fault: { teamIndex: 0, atStep: 3, kind: 'exit' } }));
    const bystander = pool.submit(request(cfg, { threads: 2 }));
    const [v, b] = await Promise.all([victim.result, bystander.result]);
    expect(v.outcome.status).toBe('failed');
    expect(v.outcome.stopReason).toMatch(/exited unexpectedly \(exit code 3\)/);
    expect(b.outcome.status).not.toBe('failed');
    const after = await Promise.all([1, 2, 3, 4].map(() => pool.submit(request(cfg, { threads: 1 })).result));
    expect(after.every((r) => r.weightsSha256 === b.weightsSha256)).toBe(true);
    expect(pool.status()).toEqual({ workers: 4, busy: 0, queued: 0 });
  });

  it('leaves no thread or handle behind: a process using the pool exits by itself', () => {
    const script = `
      import { WorkerPool } from ${JSON.stringify(new URL('../src/engine/parallel/pool.ts', import.meta.url).href)};
      const pool = new WorkerPool({ workerPath: ${JSON.stringify(workerPath)}, size: 2 });
      const x = new Float32Array(new SharedArrayBuffer(8 * 4)); const y = new Int32Array(new SharedArrayBuffer(4 * 4)); y.set([0, 1, 0, 1]);
      pool.addDataset('d', { features: x, d: 2, labels: y, values: null, width: 1 });
      const config = { seed: 1, model: { inputSize: 2, hidden: [{ width: 4, activation: 'relu', alpha: 0, batchNorm: 'none', dropout: 0, residual: false }], outputSize: 2, head: 'softmax', init: { weights: 'he_uniform', bias: 'zeros' } },
        train: { epochs: 2, batchSize: 2, dropLast: false, optimizer: { name: 'sgd', lr: 0.1, momentum: 0, dampening: 0, nesterov: false, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 }, decayWeightsOnly: false, penalties: { l1: 0, l2: 0 }, schedule: { name: 'constant' }, clip: { kind: 'none' }, earlyStopping: null, chunks: 8 } };
      const idx = Int32Array.from([0, 1, 2, 3]);
      const r = await pool.submit({ config, datasetId: 'd', train: idx, validation: new Int32Array(0), test: new Int32Array(0), threads: 2 }).result;
      await pool.shutdown();
      console.log(r.outcome.status, r.outcome.stopReason);
    `;
    expectExitsByItself(script, 'completed trained all 2 epochs');
  });
});

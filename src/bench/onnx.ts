/**
 * ONNX export benchmark: the 784-512-512-10 MLP (relu, softmax head, seeded init) exported to
 * ONNX and validated in onnxruntime at batch 1 and 256 with graph optimizations disabled and all.
 * Reports the first onnxruntime load of this process separately (it is only "first" in a fresh
 * process: the CLI script runs one), the first export+validate after it (cold JIT, first
 * sessions), and the steady state as the median of `repeats` runs, with the engine's reference
 * pass on the naive kernels and, where available, on the SIMD kernels. Main thread only.
 */
import {
  effectiveKernelSet,
  initializeModel,
  kernelFactory,
  planModel,
  type PredictableModel,
  validateRunConfig,
} from '../engine/index.js';
import { exportOnnx } from '../services/onnx/export.js';
import { loadOnnxRuntime } from '../services/onnx/runtime.js';
import { validateOnnx, type ValidateOptions, type ValidationInputs } from '../services/onnx/validate.js';
import { benchStream } from './random.js';

export interface OnnxBenchOptions {
  /** Validation rows (the full batch); default 256. */
  rows?: number;
  /** Steady-state repetitions (median reported); default 5. */
  repeats?: number;
}

export function mnistSizedModel(seed = 1): PredictableModel {
  const config = validateRunConfig({
    seed,
    model: {
      inputSize: 784,
      hidden: [
        { width: 512, activation: 'relu' },
        { width: 512, activation: 'relu' },
      ],
      outputSize: 10,
      head: 'softmax',
      init: { weights: 'he_uniform', bias: 'torch_default' },
    },
    train: { epochs: 1, batchSize: 256, optimizer: { name: 'adam', lr: 1e-3 } },
  });
  const plan = planModel(config.model);
  const params = new Float32Array(plan.paramCount);
  const bnBuffers = new Float32Array(plan.bufferCount);
  initializeModel(plan, config.model.init, seed, params, bnBuffers);
  return { config, plan, params, bnBuffers };
}

/** Pixel-like inputs in [0, 1), a third of them zero (as in MNIST). */
export function pixelInputs(rows: number, d: number, seed = 7): ValidationInputs {
  const rng = benchStream(seed);
  const x = new Float32Array(rows * d);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform(0, 1) < 0.33 ? 0 : rng.uniform(0, 1);
  return { x, rows };
}

export async function benchOnnx(opts: OnnxBenchOptions = {}): Promise<Array<{ name: string; seconds: number }>> {
  const rows = opts.rows ?? 256;
  const repeats = opts.repeats ?? 5;
  const model = mnistSizedModel();
  const inputs = pixelInputs(rows, 784);
  const meta = { datasetName: 'bench' };
  const validate = (bytes: Uint8Array, referenceKernels?: ValidateOptions['referenceKernels']) =>
    validateOnnx(bytes, model, inputs, { fileName: 'bench.onnx', referenceKernels });
  const results: Array<{ name: string; seconds: number }> = [];
  const timed = async <T>(fn: () => T | Promise<T>): Promise<[T, number]> => {
    const t0 = performance.now();
    const value = await fn();
    return [value, (performance.now() - t0) / 1000];
  };

  const [, loadSeconds] = await timed(() => loadOnnxRuntime());
  results.push({ name: 'onnxruntime-node first load (import, this process)', seconds: loadSeconds });
  const [first, firstSeconds] = await timed(async () => validate(exportOnnx(model, meta)));
  if (!first.passed) throw new Error(`bench model failed validation: ${first.failure}`);
  results.push({
    name: `export + validate 784-512-512-10, first call (cold; batch 1 + ${rows}, 2 optimization levels)`,
    seconds: firstSeconds,
  });
  results.push({ name: '  of which first onnxruntime session creation', seconds: first.levels[0].timings.sessionCreateMs / 1000 });

  const steady = async (kernels: ValidateOptions['referenceKernels']) => {
    const label = kernels?.name ?? 'naive';
    const times = { export: [] as number[], validate: [] as number[], engine: [] as number[], total: [] as number[] };
    for (let i = 0; i < repeats; i++) {
      const [bytes, exportSeconds] = await timed(() => exportOnnx(model, meta));
      const [report, validateSeconds] = await timed(() => validate(bytes, kernels));
      times.export.push(exportSeconds);
      times.validate.push(validateSeconds);
      times.total.push(exportSeconds + validateSeconds);
      times.engine.push(report.timings.engineMs / 1000);
    }
    if (!kernels) results.push({ name: 'export 784-512-512-10 (steady, median)', seconds: median(times.export) });
    results.push({
      name: `validate 784-512-512-10 (steady, median; batch 1 + ${rows}, 2 optimization levels, ${label} reference)`,
      seconds: median(times.validate),
    });
    results.push({ name: `  of which engine reference forward pass (${label} kernels)`, seconds: median(times.engine) });
    results.push({ name: `export + validate 784-512-512-10 (steady, median, ${label} reference)`, seconds: median(times.total) });
  };
  await steady(undefined);
  // The SIMD kernels, where this runtime has them (select.ts falls back to naive otherwise).
  if (effectiveKernelSet('wasm') === 'wasm') await steady({ name: 'wasm', factory: kernelFactory('wasm') });
  return results;
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

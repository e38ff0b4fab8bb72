/**
 * validateOnnx: runs the bytes of an exported model in onnxruntime-node (CPU) on real inputs and
 * compares with the engine's eval-mode forward pass (Predictor, naive reference kernels): at
 * batch 1 and at the full batch of inputs (or the batch sizes asked for), once with graph
 * optimizations disabled and once with all of them on. Returns the report; a tolerance failure
 * is `passed: false` with a `failure` message, not a throw. Throws OnnxError when the bytes are no
 * valid model, onnxruntime refuses them, or their input/output widths do not fit the model.
 * Main thread only (onnxruntime is loaded there, lazily, once).
 */
import { errorMessage, type KernelFactory, type PredictableModel, Predictor } from '../../engine/index.js';
import { sha256Hex } from '../canonical-json.js';
import { compareOutputs, outputScale, type Agreement } from './compare.js';
import { OnnxError } from './errors.js';
import { inspectOnnx, type OnnxInspection } from './inspect.js';
import {
  DEFAULT_TOLERANCE,
  REPORT_FORMAT,
  type BatchCheck,
  type LevelReport,
  type OptimizationLevel,
  type ValidationReport,
} from './report.js';
import { loadOnnxRuntime, onnxRuntimeLoaded, type OnnxRuntime } from './runtime.js';

/** Rows of real model inputs (already preprocessed), row-major (rows, inputSize). */
export interface ValidationInputs {
  x: Float32Array;
  rows: number;
}

export interface ValidateOptions {
  /** Names the file in messages and the report (default "model.onnx"). */
  fileName?: string;
  /** Batch sizes to run, each on the first rows of the inputs (default [1, rows]). */
  batchSizes?: number[];
  /** Relative tolerance (default 1e-5): max abs error <= tolerance x output scale. */
  tolerance?: number;
  /** onnxruntime graph optimization levels to check (default ['disabled', 'all']). */
  levels?: OptimizationLevel[];
  /** onnxruntime intra-op threads (default 1: validation must not compete with training workers). */
  intraOpNumThreads?: number;
  /**
   * Kernels of the engine's reference pass (default: the naive reference kernels, float64
   * accumulation). A fast set (e.g. the SIMD kernels) makes validating big models quicker.
   */
  referenceKernels?: { name: string; factory: KernelFactory };
}

const now = () => performance.now();

export async function validateOnnx(
  bytes: Uint8Array,
  model: PredictableModel,
  inputs: ValidationInputs,
  opts: ValidateOptions = {},
): Promise<ValidationReport> {
  const t0 = now();
  const file = opts.fileName ?? 'model.onnx';
  const info = inspectOnnx(bytes, { fileName: file });
  const tInspect = now();
  const { plan } = model;
  const { inputName, outputName } = checkFits(info, model, file);
  const batchSizes = checkInputs(inputs, plan.inputSize, opts.batchSizes, file);
  const probabilities = outputName === 'probabilities';
  const tolerance = opts.tolerance ?? DEFAULT_TOLERANCE;

  const wasLoaded = onnxRuntimeLoaded();
  const tLoad0 = now();
  const ort = await loadOnnxRuntime();
  const runtimeLoadMs = wasLoaded ? 0 : now() - tLoad0;

  const tEngine0 = now();
  const kernels = opts.referenceKernels;
  const predictor = new Predictor(model, { maxBatch: Math.min(256, Math.max(...batchSizes)), kernels: kernels?.factory });
  const d = plan.inputSize;
  const o = plan.outputSize;
  const reference = new Map(batchSizes.map((b) => [b, predictor.predict(inputs.x.subarray(0, b * d), b, probabilities)]));
  const engineMs = now() - tEngine0;
  let scale = 1;
  for (const ref of reference.values()) scale = Math.max(scale, outputScale(ref));
  const allowed = tolerance * scale;
  const agreement: Agreement =
    plan.head === 'softmax' ? { kind: 'argmax' } : plan.head === 'sigmoid' ? { kind: 'threshold', at: probabilities ? 0.5 : 0 } : null;

  const threads = opts.intraOpNumThreads ?? 1;
  const check: LevelContext = {
    ort,
    bytes,
    file,
    inputName,
    outputName,
    batchSizes,
    inputs,
    d,
    o,
    reference,
    agreement,
    allowed,
    tolerance,
    scale,
    threads,
  };
  const levels: LevelReport[] = [];
  let failure: string | null = null;
  for (const level of opts.levels ?? ['disabled', 'all']) {
    const result = await checkLevel(check, level);
    levels.push(result.report);
    failure ??= result.failure;
  }

  return {
    format: REPORT_FORMAT,
    formatVersion: 1,
    file,
    fileBytes: bytes.length,
    sha256: sha256Hex(bytes),
    opset: info.opset,
    irVersion: info.irVersion,
    producer: { name: info.producerName, version: info.producerVersion },
    inputs: info.inputs,
    outputs: info.outputs,
    head: plan.head,
    reference: `engine eval-mode forward pass (Predictor, ${kernels?.name ?? 'naive'} kernels)`,
    runtime: { name: 'onnxruntime-node', version: ort.env.versions?.node ?? 'unknown', executionProvider: 'cpu' },
    tolerance: {
      rule: 'max |onnxruntime - engine| <= relative x outputScale, outputScale = max |engine output| floored at 1',
      relative: tolerance,
      outputScale: scale,
      maxAbsError: allowed,
    },
    ...worstOf(levels),
    levels,
    passed: failure === null,
    failure,
    timings: { runtimeLoadMs, exportMs: null, inspectMs: tInspect - t0, engineMs, totalMs: now() - t0 },
  };
}

interface LevelContext {
  ort: OnnxRuntime;
  bytes: Uint8Array;
  file: string;
  inputName: string;
  outputName: string;
  batchSizes: number[];
  inputs: ValidationInputs;
  d: number;
  o: number;
  /** Engine outputs per batch size. */
  reference: Map<number, Float32Array>;
  agreement: Agreement;
  allowed: number;
  tolerance: number;
  scale: number;
  threads: number;
}

/** One onnxruntime session at one optimization level, run on every batch size and compared. */
async function checkLevel(c: LevelContext, level: OptimizationLevel): Promise<{ report: LevelReport; failure: string | null }> {
  const { ort, file, d, o } = c;
  const tSession = now();
  const session = await createSession(ort, c.bytes, level, c.threads, file);
  const sessionCreateMs = now() - tSession;
  const tRun = now();
  const batches: BatchCheck[] = [];
  let failure: string | null = null;
  try {
    for (const rows of c.batchSizes) {
      const feed = new ort.Tensor('float32', c.inputs.x.slice(0, rows * d), [rows, d]);
      const result = (await session.run({ [c.inputName]: feed }))[c.outputName];
      const dims = result.dims.map(Number);
      const shapeOk = dims.length === 2 && dims[0] === rows && dims[1] === o && result.type === 'float32';
      const cmp = shapeOk
        ? compareOutputs(result.data as Float32Array, c.reference.get(rows)!, rows, o, c.agreement)
        : { maxAbsError: Infinity, maxRelError: Infinity, argmaxAgreement: null, worst: null };
      const passed = shapeOk && cmp.maxAbsError <= c.allowed;
      batches.push({ rows, outputShape: dims, ...cmp, passed });
      if (passed || failure !== null) continue;
      const where = `${file}: onnxruntime (graph optimizations ${level}, batch ${rows})`;
      if (!shapeOk) failure = `${where} returned ${result.type} [${dims.join(', ')}], expected float32 [${rows}, ${o}]`;
      else {
        const at = cmp.worst
          ? ` at row ${cmp.worst.row}, output ${cmp.worst.column} (engine ${cmp.worst.engine}, onnxruntime ${cmp.worst.onnx})`
          : '';
        failure = `${where} differs from the engine by ${fmt(cmp.maxAbsError)}${at}; the tolerance is ${c.tolerance} x output scale ${fmt(c.scale)} = ${fmt(c.allowed)}`;
      }
    }
  } catch (err) {
    throw new OnnxError(`${file}: onnxruntime failed to run the model (graph optimizations ${level}): ${errorMessage(err)}`, {
      cause: err,
    });
  } finally {
    await session.release();
  }
  const report: LevelReport = {
    optimization: level,
    ...worstOf(batches),
    batches,
    passed: batches.every((b) => b.passed),
    timings: { sessionCreateMs, runMs: now() - tRun },
  };
  return { report, failure };
}

function checkFits(info: OnnxInspection, model: PredictableModel, file: string): { inputName: string; outputName: string } {
  const { plan } = model;
  if (info.inputs.length !== 1 || info.outputs.length !== 1) {
    throw new OnnxError(`${file} has ${info.inputs.length} inputs and ${info.outputs.length} outputs; an exported model has one of each`);
  }
  const [input] = info.inputs;
  const [output] = info.outputs;
  if (input.elemType !== 'float32' || input.shape.length !== 2 || input.shape[1] !== plan.inputSize) {
    throw new OnnxError(
      `${file} does not fit the model: its input is ${input.elemType} [${input.shape.join(', ')}], the model takes float32 [batch, ${plan.inputSize}]`,
    );
  }
  if (output.elemType !== 'float32' || output.shape.length !== 2 || output.shape[1] !== plan.outputSize) {
    throw new OnnxError(
      `${file} does not fit the model: its output is ${output.elemType} [${output.shape.join(', ')}], the model gives float32 [batch, ${plan.outputSize}]`,
    );
  }
  if (output.name === 'probabilities' && plan.head === 'linear')
    throw new OnnxError(`${file} outputs probabilities but the model has a linear head`);
  return { inputName: input.name, outputName: output.name };
}

function checkInputs(inputs: ValidationInputs, d: number, asked: number[] | undefined, file: string): number[] {
  const { x, rows } = inputs;
  if (!Number.isInteger(rows) || rows < 1) throw new OnnxError(`validating ${file} needs at least one input row, got ${rows}`);
  if (x.length < rows * d)
    throw new OnnxError(`validating ${file}: ${rows} rows of ${d} features need ${rows * d} values, got ${x.length}`);
  const sizes = [...new Set(asked ?? [1, rows])].sort((a, b) => a - b);
  for (const b of sizes) {
    if (!Number.isInteger(b) || b < 1 || b > rows)
      throw new OnnxError(`validating ${file}: batch size ${b} must be an integer from 1 to the ${rows} input rows`);
  }
  return sizes;
}

async function createSession(ort: OnnxRuntime, bytes: Uint8Array, level: OptimizationLevel, threads: number, file: string) {
  try {
    return await ort.InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: level,
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      logSeverityLevel: 3,
    });
  } catch (err) {
    throw new OnnxError(`${file} is not a valid ONNX model: onnxruntime refused it (${errorMessage(err)})`, { cause: err });
  }
}

function worstOf(items: { maxAbsError: number; maxRelError: number; argmaxAgreement: number | null }[]) {
  let maxAbsError = 0;
  let maxRelError = 0;
  let argmaxAgreement: number | null = null;
  for (const it of items) {
    maxAbsError = Math.max(maxAbsError, it.maxAbsError);
    maxRelError = Math.max(maxRelError, it.maxRelError);
    if (it.argmaxAgreement !== null) argmaxAgreement = Math.min(argmaxAgreement ?? 1, it.argmaxAgreement);
  }
  return { maxAbsError, maxRelError, argmaxAgreement };
}

function fmt(v: number): string {
  return v === 0 || !Number.isFinite(v) ? String(v) : v.toExponential(3);
}

/**
 * The packaged app's self-test (`Ablate --self-test`, see src/main/self-test.ts): start the worker
 * pool, check that the native kernel addon loads and agrees with the wasm kernels on a small
 * problem, train a tiny model for one epoch on the embedded MNIST cache, export the model to ONNX and
 * validate it with onnxruntime, and describe what happened in `report` (JSON-serialisable).
 * Resolves with ok: false (rather than throwing) when a step fails, so the report says which.
 * Also used by the plain-Node test of the same path (test/self-test.test.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  availableKernelSets,
  checkNativeAgainstWasm,
  describeKernelSet,
  errorMessage,
  kernelSetNotice,
  WorkerPool,
} from '../engine/index.js';
import { startExperiment } from './experiments/runner.js';
import type { ExperimentSpec } from './experiments/types.js';
import { exportRun } from './export-run.js';
import { ExperimentStore } from './store/experiment-store.js';

const TINY: ExperimentSpec = {
  version: 1,
  name: 'self-test',
  data: { source: 'mnist', split: { validation: 0.1, test: 0.1, seed: 0 } },
  model: {
    inputSize: 784,
    hidden: [{ width: 32, activation: 'relu' }],
    outputSize: 10,
    head: 'softmax',
    init: { weights: 'he_uniform', bias: 'zeros' },
  },
  train: { epochs: 1, batchSize: 64, optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9 } },
  seeds: [1],
};

export async function runSelfTest(opts: { workerPath: string; embeddedDir: string }): Promise<{ ok: boolean; report: object }> {
  const steps: Record<string, unknown> = {};
  const dir = await mkdtemp(path.join(tmpdir(), 'ablate-self-test-'));
  const pool = new WorkerPool({ workerPath: opts.workerPath, size: 2 });
  let step = 'start the worker pool';
  try {
    steps.kernels = availableKernelSets();
    step = 'check the native kernels against the wasm kernels on a small problem';
    const notice = kernelSetNotice(undefined);
    if (notice !== null) throw new Error(notice);
    steps.native = { path: describeKernelSet('native'), ...checkNativeAgainstWasm() };
    if (!(steps.native as { ok: boolean }).ok)
      throw new Error(`the native kernels disagree with the wasm kernels: ${JSON.stringify(steps.native)}`);
    step = 'train one epoch on the embedded MNIST digits';
    const job = await startExperiment(TINY, { pool, store: new ExperimentStore(dir), embeddedDir: opts.embeddedDir });
    const [summary] = await job.done;
    if (!summary || summary.status !== 'completed')
      throw new Error(`training ended with status ${summary?.status}: ${summary?.stopReason}`);
    steps.training = {
      status: summary.status,
      valAccuracy: summary.final?.valAccuracy,
      kernels: summary.kernels,
      threads: summary.threads,
      seconds: summary.timings.seconds,
    };
    step = 'export to ONNX and validate in onnxruntime';
    const exported = await exportRun(path.join(job.dir, 'runs', summary.runId), { embeddedDir: opts.embeddedDir });
    steps.onnx = { passed: exported.report.passed, opset: exported.report.opset, fileBytes: exported.report.fileBytes };
    return { ok: exported.report.passed, report: steps };
  } catch (err) {
    return { ok: false, report: { ...steps, failedStep: step, error: errorMessage(err) } };
  } finally {
    await pool.shutdown();
    await rm(dir, { recursive: true, force: true });
  }
}

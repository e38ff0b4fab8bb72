/**
 * The in-process trainer: runs a whole training in the calling thread with a SoloTeam, on the
 * same step program and chunk order as the worker pool, so its weights are bitwise identical to a
 * pool run of the same config and kernel set. Used by tests, the CLI for tiny runs, and as the
 * reference for the pool's guarantee.
 */
import type { ResolvedRunConfig } from '../config/defaults.js';
import { naiveKernels } from '../kernels/naive/index.js';
import type { Kernels } from '../kernels/types.js';
import { createRunMemory, RESERVED_LOW_BYTES } from '../memory/wasm-memory.js';
import type { ModelPlan } from '../model/plan.js';
import { SoloTeam } from '../run/team.js';
import { snapshotWeights } from './fingerprint.js';
import { trainLoop } from './loop.js';
import { DiagnosticsProbe } from '../probes/probe.js';
import type { DiagnosticsOptions } from '../probes/types.js';
import type { RunOutcome, TrainHooks } from './outcome.js';
import { Sync } from '../run/run-memory.js';
import { createRunContext, runMemoryBytes, runShape, type TrainingData } from './setup.js';

/** Builds the kernels for a run memory; thread t's scratch starts at scratchOffset. */
export type KernelFactory = (memory: WebAssembly.Memory, scratchOffset: number) => Kernels;

export const naiveKernelFactory: KernelFactory = () => naiveKernels;

export interface TrainedModel {
  config: ResolvedRunConfig;
  plan: ModelPlan;
  /** Private copies of the final parameter arena and batch-norm buffers. */
  params: Float32Array;
  bnBuffers: Float32Array;
  weightsSha256: string;
}

export interface InProcessOptions {
  kernels?: KernelFactory;
  hooks?: TrainHooks;
  /** Layer diagnostics, reported through hooks.onDiagnostics. */
  diagnostics?: DiagnosticsOptions;
  /** Polled once per step; returning true cancels the run (status "cancelled"). */
  shouldCancel?: () => boolean;
}

export function trainInProcess(
  cfg: ResolvedRunConfig,
  data: TrainingData,
  opts: InProcessOptions = {},
): { outcome: RunOutcome; model: TrainedModel } {
  const shape = runShape(cfg, 1, data.values !== null);
  const memory = createRunMemory(runMemoryBytes(shape), true);
  const kernels = (opts.kernels ?? naiveKernelFactory)(memory, RESERVED_LOW_BYTES);
  const ctx = createRunContext(cfg, shape, memory.buffer, () => new SoloTeam(), kernels, data);
  const hooks: TrainHooks = { ...opts.hooks };
  if (opts.diagnostics) hooks.probe = new DiagnosticsProbe(ctx, opts.diagnostics);
  if (opts.shouldCancel) {
    const onStep = hooks.onStep;
    const shouldCancel = opts.shouldCancel;
    hooks.onStep = (e) => {
      onStep?.(e);
      if (shouldCancel()) ctx.mem.sync[Sync.cancel] = 1;
    };
  }
  const outcome = trainLoop(ctx, hooks);
  return { outcome, model: { config: cfg, plan: shape.plan, ...snapshotWeights(ctx.mem.params, ctx.mem.bnBuffers) } };
}

/**
 * The in-process trainer: runs a whole training in the calling thread with a SoloTeam, on the
 * same step program and chunk order as the worker pool, so its weights are bitwise identical to a
 * pool run of the same config and kernel set. Used by tests, the CLI for tiny runs, and as the
 * reference for the pool's guarantee.
 */
import type { ResolvedRunConfig } from '../config/defaults.js';
import { kernelFactory } from '../kernels/select.js';
import type { KernelFactory } from '../kernels/types.js';
import { createRunMemory } from '../memory/wasm-memory.js';
import type { ModelPlan } from '../model/plan.js';
import { SoloTeam } from '../run/team.js';
import { snapshotWeights } from './fingerprint.js';
import { trainLoop } from './loop.js';
import { DiagnosticsProbe } from '../probes/probe.js';
import type { DiagnosticsOptions } from '../probes/types.js';
import type { RunOutcome, TrainHooks } from './outcome.js';
import type { HalvingRule } from './halving.js';
import { Sync } from '../run/run-memory.js';
import { createRunContext, runMemoryBytes, runShape, type TrainingData } from './setup.js';

export interface TrainedModel {
  config: ResolvedRunConfig;
  plan: ModelPlan;
  /** Private copies of the final parameter arena and batch-norm buffers. */
  params: Float32Array;
  bnBuffers: Float32Array;
  weightsSha256: string;
}

export interface InProcessOptions {
  /** The kernel set to train with (default: naive, the reference). */
  kernels?: KernelFactory;
  hooks?: TrainHooks;
  /** Layer diagnostics, reported through hooks.onDiagnostics. */
  diagnostics?: DiagnosticsOptions;
  /** Polled once per step; returning true cancels the run (status "cancelled"). */
  shouldCancel?: () => boolean;
  /** Successive halving's stop rule (halving.ts). */
  halving?: HalvingRule;
}

export function trainInProcess(
  cfg: ResolvedRunConfig,
  data: TrainingData,
  opts: InProcessOptions = {},
): { outcome: RunOutcome; model: TrainedModel } {
  const shape = runShape(cfg, 1, data.values !== null);
  const memory = createRunMemory(runMemoryBytes(shape), true);
  const kernels = (opts.kernels ?? kernelFactory('naive'))(memory);
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
  const outcome = trainLoop(ctx, hooks, opts.halving ?? null);
  return { outcome, model: { config: cfg, plan: shape.plan, ...snapshotWeights(ctx.mem.params, ctx.mem.bnBuffers) } };
}

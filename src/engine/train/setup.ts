/**
 * Assembles everything a thread needs to train one run: the model plan, work plan, run memory
 * views, kernels, network pieces and step program. The same function runs in the main thread
 * (in-process trainer) and in each pool worker, on the same memory, so all threads agree on every
 * offset.
 */
import type { ResolvedRunConfig } from '../config/defaults.js';
import type { Kernels } from '../kernels/types.js';
import { Network } from './network.js';
import { planModel, type ModelPlan } from '../model/plan.js';
import { bindModelViews, type ModelViews } from '../run/model-views.js';
import { bindOptimizer, optimizerSlots } from './optimizer.js';
import type { Team } from '../run/team.js';
import { bindRunMemory, layoutRun, type RunMemory, type RunShape } from '../run/run-memory.js';
import { StepProgram, type BatchSource } from './step.js';
import { planWork } from '../run/work-plan.js';

/** The rows a run trains and evaluates on: the shared dataset plus split indices. */
export interface TrainingData extends BatchSource {
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

export interface RunContext {
  cfg: ResolvedRunConfig;
  plan: ModelPlan;
  mem: RunMemory;
  views: ModelViews;
  team: Team;
  net: Network;
  program: StepProgram;
  data: TrainingData;
  /** Parameters were already written (e.g. by the pool before the workers started). */
  initialized: boolean;
}

export function runShape(cfg: ResolvedRunConfig, teamSize: number, vectorTargets: boolean): RunShape {
  const plan = planModel(cfg.model);
  const batchCap = cfg.train.batchSize;
  return {
    plan,
    work: planWork(plan, batchCap, cfg.train.chunks, teamSize),
    batchCap,
    teamSize,
    optimizerSlots: optimizerSlots(cfg.train.optimizer),
    keepBest: cfg.train.earlyStopping?.restoreBestWeights ?? false,
    vectorTargets,
  };
}

/** Bytes of run memory a config needs (for allocating the WebAssembly.Memory). */
export function runMemoryBytes(shape: RunShape): number {
  return layoutRun(shape).byteLength;
}

export function createRunContext(
  cfg: ResolvedRunConfig,
  shape: RunShape,
  buffer: ArrayBufferLike,
  makeTeam: (sync: Int32Array) => Team,
  kernels: Kernels,
  data: TrainingData,
  initialized = false,
): RunContext {
  const mem = bindRunMemory(buffer, shape);
  const team = makeTeam(mem.sync);
  const views = bindModelViews(shape.plan, mem.params, mem.grads, mem.bnBuffers, mem.layers, mem.zeros);
  const net = new Network(kernels, shape.plan, mem, views, cfg.seed);
  const optimizer = bindOptimizer(
    cfg.train.optimizer,
    cfg.train.decayWeightsOnly,
    cfg.train.clip,
    shape.work.paramBlocks,
    mem.params,
    mem.grads,
    mem.opt,
  );
  const program = new StepProgram(net, shape.work, team, cfg, mem, kernels, data, optimizer);
  return { cfg, plan: shape.plan, mem, views, team, net, program, data, initialized };
}

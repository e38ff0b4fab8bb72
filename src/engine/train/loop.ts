/**
 * The epoch loop every thread of a run's team executes: seeded shuffling, mini-batches (partial
 * last batch kept unless dropLast; a one-sample batch is skipped when the model has batch norm),
 * learning-rate schedule, validation in eval mode, early stopping, divergence (a NaN or infinite
 * loss or gradient, or a step loss above train.divergenceFactor x the first step's) and cancel; at
 * the end, test metrics and confusion matrices (confusion.ts) of the kept weights. All
 * decisions are computed identically by every thread from shared numbers; only the leader (team
 * index 0) writes snapshots and calls hooks, each followed by a barrier.
 */
import { initializeModel } from '../init/initializers.js';
import { batchNormPrepareEval } from '../layers/batchnorm.js';
import { penaltyValue } from '../losses/penalties.js';
import { LrSchedule } from '../optim/schedule.js';
import { Purpose } from '../rng/hash.js';
import { stream } from '../rng/stream.js';
import { ConfusionCounter, confusionClasses, type ConfusionMatrices } from './confusion.js';
import { EarlyStopping } from './early-stopping.js';
import { halvingStop, type HalvingRule } from './halving.js';
import { initOptimizerState } from './optimizer.js';
import type { EpochMetrics, RunOutcome, SplitMetrics, TrainHooks } from './outcome.js';
import type { RunContext } from './setup.js';
import { Tally } from './step.js';

export function trainLoop(ctx: RunContext, hooks: TrainHooks = {}, halving: HalvingRule | null = null): RunOutcome {
  const { team, program, cfg, data, mem, plan } = ctx;
  const leader = team.index === 0;
  const probe = leader ? hooks.probe : undefined;
  program.stepObserver = probe ?? null;
  const t0 = performance.now();
  if (leader && !ctx.initialized) initializeModel(plan, cfg.model.init, cfg.seed, mem.params, mem.bnBuffers);
  if (leader) initOptimizerState(cfg.train.optimizer, mem.opt);
  team.barrier();

  const { epochs, batchSize, dropLast, optimizer } = cfg.train;
  const { l1, l2 } = cfg.train.penalties;
  // The penalty terms cover every weight matrix: the linear layers' and the residual projections'.
  const linearWeights = [...ctx.views.linears.map((lin) => lin.w), ...ctx.views.projections.flatMap((p) => (p ? [p.w] : []))];
  const hasBatchNorm = plan.hidden.some((h) => h.bn);
  const classification = plan.head !== 'linear';
  const schedule = new LrSchedule(cfg.train.schedule, optimizer.lr, epochs, cfg.train.warmup ?? null);
  const early = cfg.train.earlyStopping ? new EarlyStopping(cfg.train.earlyStopping) : null;
  const order = new Int32Array(data.train.length);
  const history: EpochMetrics[] = [];
  let step = 0;
  let status: RunOutcome['status'] = 'completed';
  let stopReason = `trained all ${epochs} epochs`;
  let divergedAtStep: number | null = null;
  const divergenceFactor = cfg.train.divergenceFactor;
  // The steps keep the sums (StepProgram.tally): this loop touches no double per step.
  const tally = program.tally;
  tally.fill(0);
  tally[Tally.firstLoss] = NaN;
  program.stepLog = leader ? (hooks.stepLog ?? null) : null;

  for (let epoch = 0; epoch < epochs && status === 'completed'; epoch++) {
    const te = performance.now();
    const lr = schedule.rateForEpoch(epoch);
    order.set(data.train);
    stream(cfg.seed, Purpose.shuffle, epoch).shuffle(order);
    tally.fill(0, 0, Tally.firstLoss);
    program.epoch = epoch;
    let epochSteps = 0;
    hooks.stepMeter?.begin();
    for (let start = 0; start < order.length; start += batchSize) {
      const rows = Math.min(batchSize, order.length - start);
      if ((rows < batchSize && dropLast) || (rows === 1 && hasBatchNorm)) continue;
      step += 1;
      epochSteps += 1;
      hooks.beforeStep?.(step);
      probe?.beforeStep(step);
      program.trainStep(order, start, rows, step, lr, step);
      if (program.diverged) {
        status = 'diverged';
        divergedAtStep = step;
        stopReason = `diverged at step ${step} (epoch ${epoch + 1}): ${Number.isFinite(program.lossSum) ? 'the gradient' : 'the loss'} became NaN or infinite`;
        break;
      }
      const diag = probe?.afterStep(step, epoch, program);
      if (diag) hooks.onDiagnostics?.(diag);
      if (leader && hooks.onStep) {
        hooks.onStep({
          step,
          epoch,
          loss: program.lossSum / rows,
          gradNorm: Math.sqrt(program.gradNormSq),
          clipCoef: program.clipCoef,
          lr,
        });
      }
      if (leader) hooks.afterStep?.();
      // Every thread reads the same reduced loss, so every thread takes the same decision.
      if (program.exploded) {
        // Recorded first: the step's loss is the evidence.
        const stepLoss = program.lossSum / rows;
        const firstLoss = tally[Tally.firstLoss];
        status = 'diverged';
        divergedAtStep = step;
        stopReason = `diverged at step ${step} (epoch ${epoch + 1}): the training loss ${stepLoss.toPrecision(3)} exceeded ${divergenceFactor} x the first step's loss (${firstLoss.toPrecision(3)})`;
        break;
      }
      if (program.stopRequested) {
        status = 'cancelled';
        stopReason = `cancelled at step ${step} (epoch ${epoch + 1})`;
        break;
      }
    }
    hooks.stepMeter?.end(epochSteps);
    const lossSum = tally[Tally.loss];
    const correct = tally[Tally.correct];
    const seen = tally[Tally.rows];
    if (status !== 'completed') break;
    probe?.startEval();
    const val = evaluateSplit(ctx, data.validation, probe);
    const dead = val ? probe?.finishEval(epoch) : null;
    if (dead) hooks.onDiagnostics?.(dead);
    const metrics: EpochMetrics = {
      epoch,
      lr,
      trainLoss: seen > 0 ? lossSum / seen : NaN,
      trainAccuracy: classification && seen > 0 ? correct / seen : null,
      valLoss: val ? val.loss : null,
      valAccuracy: val ? val.accuracy : null,
      penalty: leader ? penaltyValue(linearWeights, l1, l2) : 0,
      steps: epochSteps,
      seconds: (performance.now() - te) / 1000,
    };
    history.push(metrics);
    schedule.onEpochEnd(monitorValue(metrics, schedule.monitor));
    if (early) {
      const decision = early.onEpochEnd(epoch, monitorValue(metrics, early.config.monitor));
      if (decision.snapshot) snapshot(ctx, 'save');
      if (decision.stop) {
        status = 'early_stopped';
        stopReason = `early stopping at epoch ${epoch + 1}: ${early.config.monitor} did not improve for ${early.config.patience} epochs (best at epoch ${early.bestEpoch + 1})`;
      }
    }
    if (halving && status === 'completed') {
      const pruned = halvingStop(halving, history);
      if (pruned) {
        status = 'pruned';
        stopReason = `pruned after epoch ${epoch + 1} by successive halving: ${halving.best ? 'best ' : ''}${halving.metric} ${pruned.value === null ? 'missing' : pruned.value.toPrecision(4)} is worse than the rung's bar ${pruned.bar.toPrecision(4)}`;
      }
    }
    if (leader && hooks.onEpoch) hooks.onEpoch(metrics);
  }
  const restored = status !== 'diverged' && status !== 'cancelled' && early !== null && early.shouldRestore;
  if (restored) snapshot(ctx, 'restore');
  const kept = status === 'diverged' || status === 'cancelled' ? null : restored ? early!.bestEpoch : (history.at(-1)?.epoch ?? null);
  const classes = kept !== null && data.labels ? confusionClasses(plan.head, plan.outputSize) : null;
  // Counters live on the leader only; every thread still runs the same evaluation phases.
  const counter = () => (classes !== null && leader ? new ConfusionCounter(plan.head, classes, plan.outputSize) : undefined);
  const valCounter = counter();
  // The validation split again, now with the kept weights: the last epoch's pass may be of other weights.
  if (classes !== null) evaluateSplit(ctx, data.validation, undefined, valCounter);
  const testCounter = counter();
  const test = status === 'diverged' || status === 'cancelled' ? null : evaluateSplit(ctx, data.test, undefined, testCounter);
  const confusion: ConfusionMatrices | null =
    kept !== null && valCounter && testCounter
      ? {
          epoch: kept,
          validation: data.validation.length > 0 ? valCounter.matrix() : null,
          test: data.test.length > 0 ? testCounter.matrix() : null,
        }
      : null;
  return {
    status,
    stopReason,
    epochs: history,
    steps: step,
    bestEpoch: early && early.bestEpoch >= 0 ? early.bestEpoch : bestByLoss(history),
    stoppedEpoch: status === 'early_stopped' && early ? early.stoppedEpoch : status === 'pruned' ? history.length - 1 : null,
    restoredBestWeights: restored,
    divergedAtStep,
    test,
    confusion,
    seconds: (performance.now() - t0) / 1000,
    syncWaitSeconds: team.waitSeconds,
    syncProfile: team.profile(),
  };
}

/**
 * Eval-mode loss and accuracy over a split, in batches; null for an empty split. `confusion`
 * (leader only) counts each batch's predictions while its logits are intact.
 */
export function evaluateSplit(
  ctx: RunContext,
  indices: Int32Array,
  observer?: { observeEval(rows: number): void },
  confusion?: ConfusionCounter,
): SplitMetrics | null {
  if (indices.length === 0) return null;
  const { team, program, views, cfg, mem } = ctx;
  program.evalObserver = confusion
    ? {
        observeEval(rows: number) {
          observer?.observeEval(rows);
          confusion.add(mem.logits.data, mem.labels, rows);
        },
      }
    : (observer ?? null);
  if (team.index === 0) for (const bn of views.bns) if (bn) batchNormPrepareEval(bn);
  team.barrier();
  let loss = 0;
  let correct = 0;
  for (let start = 0; start < indices.length; start += cfg.train.batchSize) {
    const rows = Math.min(cfg.train.batchSize, indices.length - start);
    program.evalBatch(indices, start, rows);
    loss += program.lossSum;
    correct += program.correct;
  }
  program.evalObserver = null;
  return { loss: loss / indices.length, accuracy: ctx.plan.head === 'linear' ? null : correct / indices.length, n: indices.length };
}

function monitorValue(m: EpochMetrics, monitor: string | undefined): number | undefined {
  const v =
    monitor === 'val_loss'
      ? m.valLoss
      : monitor === 'val_accuracy'
        ? m.valAccuracy
        : monitor === 'train_loss'
          ? m.trainLoss
          : monitor === 'train_accuracy'
            ? m.trainAccuracy
            : null;
  return v === null ? undefined : v;
}

function bestByLoss(history: EpochMetrics[]): number | null {
  let best: number | null = null;
  let bestValue = Infinity;
  for (const m of history) {
    const v = m.valLoss ?? m.trainLoss;
    if (v < bestValue) {
      bestValue = v;
      best = m.epoch;
    }
  }
  return best;
}

function snapshot(ctx: RunContext, direction: 'save' | 'restore'): void {
  const { mem, team } = ctx;
  if (team.index === 0 && mem.best && mem.bestBnBuffers) {
    if (direction === 'save') {
      mem.best.set(mem.params);
      mem.bestBnBuffers.set(mem.bnBuffers);
    } else {
      mem.params.set(mem.best);
      mem.bnBuffers.set(mem.bestBnBuffers);
    }
  }
  team.barrier();
}

/**
 * Records that agree with the model (issue 13, item 5): the closing events of metrics.ndjson carry
 * the epoch of their step (a cancel used to record one less), a run that restored its best weights
 * says so everywhere it prints a "final" figure (summary.weightsEpoch, the CLI progress line,
 * `ablate show`, the exported model's metadata), and text `show` prints the test loss of a
 * regression run. The expected values come from the trainer's own step and epoch events.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../src/engine/config/validate.js';
import { emptyRunResult, type RunResult } from '../src/engine/parallel/pool.js';
import type { StepEvent } from '../src/engine/train/outcome.js';
import { trainInProcess } from '../src/engine/train/trainer.js';
import { closingEvents } from '../src/services/experiments/summary.js';
import type { RunSummary } from '../src/services/experiments/types.js';
import { inspectOnnx } from '../src/services/onnx/inspect.js';
import { weightsOf } from '../src/shared/run-weights.js';
import { SPIRAL_MODEL_16 } from './helpers/experiments.js';
import { classData, spiral } from './helpers/toy-data.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin/ablate.js');

const config = (train: Record<string, unknown> = {}) =>
  validateRunConfig({
    seed: 2,
    model: structuredClone(SPIRAL_MODEL_16),
    train: { epochs: 6, batchSize: 20, optimizer: { name: 'adam', lr: 0.01 }, ...train },
  });

const data = () => {
  const { x, y } = spiral(50, 3, 1);
  return classData(x, y, 2, 1, 0.2, 0);
};

const asResult = (outcome: RunResult['outcome']): RunResult => ({
  ...emptyRunResult({ id: 'r', kernels: 'naive', threads: 1 }, outcome.status, outcome.stopReason),
  outcome,
});

describe('closing events', () => {
  it("record a cancel in the epoch of its step, not the last completed epoch's", () => {
    const steps: StepEvent[] = [];
    // 120 training rows in batches of 20: 6 steps per epoch; cancel during the 3rd epoch.
    const { outcome } = trainInProcess(config(), data(), {
      hooks: { onStep: (s) => void steps.push(s) },
      shouldCancel: () => steps.length >= 15,
    });
    expect(outcome.status).toBe('cancelled');
    expect(outcome.epochs).toHaveLength(2);
    const last = steps.at(-1)!;
    expect(last.epoch).toBe(2);
    const [event] = closingEvents(asResult(outcome));
    expect(event).toMatchObject({ kind: 'event', event: 'cancelled', step: last.step, epoch: last.epoch });
  });

  it('record a divergence in the epoch of the diverging step', () => {
    const steps: StepEvent[] = [];
    const { outcome } = trainInProcess(config({ optimizer: { name: 'sgd', lr: 500 } }), data(), {
      hooks: { onStep: (s) => void steps.push(s) },
    });
    expect(outcome.status).toBe('diverged');
    const [event] = closingEvents(asResult(outcome));
    expect(event).toMatchObject({ event: 'diverged', step: outcome.divergedAtStep, epoch: steps.at(-1)!.epoch });
  });

  it('record an early stop and the restore at the last epoch, naming the restored epoch 1-based', () => {
    const { outcome } = trainInProcess(
      config({ earlyStopping: { monitor: 'val_loss', minDelta: 1e9, patience: 2, restoreBestWeights: true } }),
      data(),
    );
    expect(outcome.status).toBe('early_stopped');
    const events = closingEvents(asResult(outcome));
    expect(events.map((e) => e.kind === 'event' && [e.event, e.epoch])).toEqual([
      ['early_stop', 2],
      ['restored_best', 2],
    ]);
    expect(events[1]).toMatchObject({ detail: 'weights of epoch 1 restored' });
  });
});

function ablate(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A sine regression that stops early (no improvement ever counts) and restores epoch 1's weights. */
const restoringRegression = {
  version: 1,
  name: 'restoring regression',
  data: { source: 'synthetic', kind: 'sine', n: 300, noise: 0.1, seed: 3 },
  model: {
    inputSize: 1,
    hidden: [{ width: 16, activation: 'tanh' }],
    outputSize: 1,
    head: 'linear',
    init: { weights: 'glorot_uniform', bias: 'zeros' },
  },
  train: {
    epochs: 10,
    batchSize: 16,
    optimizer: { name: 'adam', lr: 0.01 },
    earlyStopping: { monitor: 'val_loss', minDelta: 1e9, patience: 3, restoreBestWeights: true },
  },
  seeds: [1],
};

describe('the kept weights, labelled where a final figure is printed', () => {
  it('summary, progress line, show and the ONNX metadata all describe the restored epoch', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ablate-records-'));
    const file = path.join(dir, 'exp.json');
    writeFileSync(file, JSON.stringify(restoringRegression));
    const run = ablate(['run', file, '--out', dir, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    const s: RunSummary = result.summaries[0];
    expect(s).toMatchObject({ status: 'early_stopped', restoredBestWeights: true, bestEpoch: 0, weightsEpoch: 0, epochsRun: 4 });
    expect(s.best!.valLoss).not.toBe(s.final!.valLoss);
    expect(weightsOf(s).metrics).toEqual(s.best);

    // The progress line: the restored epoch's validation loss, labelled.
    expect(run.stderr).toContain(
      `stopped early at epoch 4 (weights of epoch 1 (restored best): val loss ${s.best!.valLoss!.toPrecision(4)})`,
    );

    // show: the weights' epoch, its validation loss (not the last epoch's) and the test loss.
    const show = ablate(['show', result.dir]);
    expect(show.code).toBe(0);
    const header = show.stdout.split('\n').find((l) => l.startsWith('run '))!;
    expect(header).toMatch(/weights of\s+val loss\s+val acc\s+test loss\s+test acc/);
    const row = show.stdout.split('\n').find((l) => l.startsWith(s.runId))!;
    expect(row).toContain('1 (best)');
    expect(row).toContain(s.best!.valLoss!.toPrecision(4));
    expect(row).not.toContain(s.final!.valLoss!.toPrecision(4));
    expect(row).toContain(s.test!.loss.toPrecision(4));

    // The exported model's metadata: the same epoch and figures.
    const runDir = path.join(result.dir, 'runs', s.runId);
    const exp = ablate(['export', runDir]);
    expect(exp.code, exp.stderr).toBe(0);
    const model = inspectOnnx(readFileSync(path.join(runDir, 'model.onnx')));
    expect(JSON.parse(model.metadata.metrics)).toEqual({
      epoch: 1,
      restoredBest: true,
      epochsTrained: 4,
      trainLoss: s.best!.trainLoss,
      trainAccuracy: null,
      valLoss: s.best!.valLoss,
      valAccuracy: null,
      testLoss: s.test!.loss,
      testAccuracy: null,
    });
    expect(model.docString).toContain('Weights of epoch 1 (the restored best epoch)');
  });
});

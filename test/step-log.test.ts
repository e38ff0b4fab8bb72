/**
 * The step log (train/step-log.ts): the records the step program writes, field by field, come back
 * as the same events, in order, across growth and takes.
 */
import { describe, expect, it } from 'vitest';
import { STEP_FIELDS, StepField, StepLog, stepEvents } from '../src/engine/train/step-log.js';
import type { StepEvent } from '../src/engine/train/outcome.js';

function write(log: StepLog, e: StepEvent): void {
  const o = log.reserve();
  const r = log.records;
  r[o + StepField.step] = e.step;
  r[o + StepField.epoch] = e.epoch;
  r[o + StepField.loss] = e.loss;
  r[o + StepField.gradNorm] = e.gradNorm;
  r[o + StepField.clipCoef] = e.clipCoef;
  r[o + StepField.lr] = e.lr;
}

const event = (i: number): StepEvent => ({
  step: i + 1,
  epoch: i >> 7,
  loss: 1 / (i + 3),
  gradNorm: Math.sqrt(i),
  clipCoef: i % 3 === 0 ? 0.25 : 1,
  lr: 0.1 / (1 + i),
});

describe('the step log', () => {
  it('returns what was written, in order, past its first capacity', () => {
    const log = new StepLog();
    const written = Array.from({ length: 1000 }, (_, i) => event(i));
    for (const e of written) write(log, e);
    expect(log.length).toBe(1000);
    const taken = log.take();
    expect(taken.length).toBe(1000 * STEP_FIELDS);
    expect(stepEvents(taken)).toEqual(written);
  });

  it('starts empty again after a take, and a take copies', () => {
    const log = new StepLog();
    write(log, event(0));
    const first = log.take();
    expect(log.length).toBe(0);
    write(log, event(1));
    expect(stepEvents(first)).toEqual([event(0)]);
    expect(stepEvents(log.take())).toEqual([event(1)]);
    expect(stepEvents(log.take())).toEqual([]);
  });
});

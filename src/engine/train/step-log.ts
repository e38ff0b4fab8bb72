/**
 * The training steps' records for live plots (StepEvent's fields), kept in a Float64Array that
 * the step program writes at the end of each step (step.ts), in code V8 optimizes within the
 * first steps: a record costs no heap allocation. An event object per step, built in the epoch
 * loop (which V8 leaves unoptimized for thousands of steps), cost about 100 bytes. A pool worker
 * posts the records as one typed array per progress message; events are made on the receiving
 * side (stepEvents).
 */
import type { StepEvent, StepRecords } from './outcome.js';

/** A record's fields, by offset from its start. */
export const StepField = { step: 0, epoch: 1, loss: 2, gradNorm: 3, clipCoef: 4, lr: 5 } as const;
export const STEP_FIELDS = 6;

export class StepLog implements StepRecords {
  /** The records, STEP_FIELDS doubles each; the first `length` are written. */
  records = new Float64Array(STEP_FIELDS * 256);
  private count = 0;

  get length(): number {
    return this.count;
  }

  /** The offset of a new record in `records`, which this call replaces by a larger array when full. */
  reserve(): number {
    if ((this.count + 1) * STEP_FIELDS > this.records.length) {
      const larger = new Float64Array(this.records.length * 2);
      larger.set(this.records);
      this.records = larger;
    }
    return STEP_FIELDS * this.count++;
  }

  /** A copy of the records written since the last take, oldest first; empties the log. */
  take(): Float64Array {
    const taken = this.records.slice(0, this.count * STEP_FIELDS);
    this.count = 0;
    return taken;
  }
}

/** The events of records as StepLog.take returns them. */
export function stepEvents(records: Float64Array): StepEvent[] {
  const events: StepEvent[] = [];
  for (let o = 0; o + STEP_FIELDS <= records.length; o += STEP_FIELDS) {
    events.push({
      step: records[o + StepField.step],
      epoch: records[o + StepField.epoch],
      loss: records[o + StepField.loss],
      gradNorm: records[o + StepField.gradNorm],
      clipCoef: records[o + StepField.clipCoef],
      lr: records[o + StepField.lr],
    });
  }
  return events;
}

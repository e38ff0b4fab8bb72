/**
 * A pool worker's training hooks (parallel/worker.ts): the leader batches its step records and
 * posts them at most every progressIntervalMs. The steps write their records into a typed log,
 * posted as one typed array, and the clock writes into typed arrays (run/clock.ts): between posts,
 * reporting progress allocates nothing, even unoptimized.
 */
import type { TrainHooks } from '../train/outcome.js';
import { StepLog } from '../train/step-log.js';
import { threadClock, WHOLE_MS_MASK } from '../run/clock.js';
import type { FromWorker, ProgressBatch, ToWorker } from './protocol.js';

export function progressHooks(
  m: Extract<ToWorker, { type: 'run' }>,
  post: (message: FromWorker) => void,
): { hooks: TrainHooks; flush(): void } {
  const fault = m.fault?.teamIndex === m.teamIndex ? m.fault : null;
  const stepLog = new StepLog();
  const clock = threadClock();
  const lastFlushMs = new Int32Array(1);
  let batch: Omit<ProgressBatch, 'steps'> = { epochs: [], diagnostics: [] };
  const flush = (): void => {
    if (stepLog.length === 0 && batch.epochs.length === 0 && batch.diagnostics.length === 0) return;
    post({ type: 'progress', runId: m.runId, stepRecords: stepLog.take(), ...batch });
    batch = { epochs: [], diagnostics: [] };
    clock.tick();
    lastFlushMs[0] = clock.readingMs[0];
  };
  const hooks: TrainHooks = {
    beforeStep(step) {
      if (!fault || fault.atStep !== step) return;
      if (fault.kind === 'exit') process.exit(3);
      throw new Error(`injected fault at step ${step}`);
    },
    // The loop calls these on the team's leader only.
    stepLog,
    // In whole milliseconds, small integers only: in runs too short for V8 to optimize it, the
    // difference of two double readings made three heap numbers per step (48 bytes).
    afterStep() {
      clock.tick();
      if (((clock.readingMs[0] - lastFlushMs[0]) & WHOLE_MS_MASK) >= m.progressIntervalMs) flush();
    },
    onEpoch(e) {
      batch.epochs.push(e);
      flush();
    },
    onDiagnostics(d) {
      batch.diagnostics.push(d);
    },
  };
  return { hooks, flush };
}

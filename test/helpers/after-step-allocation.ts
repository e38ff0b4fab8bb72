/**
 * Run by test/progress-hooks.test.ts under `node --jitless --import tsx`, where V8 never
 * optimizes: the heap bytes per call of a worker's afterStep hook with nothing yet due, as it runs
 * in the runs a grid is made of, too short for V8 to optimize it (60 steps at batch 512). Prints
 * the bytes per call (null if a collection fell in every window), and whether the hook posts once
 * its interval has passed.
 */
import { progressHooks } from '../../src/engine/parallel/progress-hooks.js';
import type { FromWorker, ToWorker } from '../../src/engine/parallel/protocol.js';
import { leastAddedBy } from './allocation.js';

const CALLS = 1000;
const posted: FromWorker[] = [];
const run = (progressIntervalMs: number) =>
  ({ type: 'run', runId: 'r', teamIndex: 0, teamSize: 1, progressIntervalMs }) as unknown as Extract<ToWorker, { type: 'run' }>;

const quiet = progressHooks(run(1e9), (message) => posted.push(message)).hooks;
const least = leastAddedBy(
  () => {
    for (let i = 0; i < CALLS; i++) quiet.afterStep!();
  },
  10,
  0,
);

// A step's record in the log, then an interval of 0 ms: the next afterStep posts it.
const due = progressHooks(run(0), (message) => posted.push(message)).hooks;
due.stepLog!.reserve();
due.afterStep!();
console.log(JSON.stringify({ bytesPerCall: least === null ? null : least / CALLS, posted: posted.length }));

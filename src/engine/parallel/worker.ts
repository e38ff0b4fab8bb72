/**
 * The one worker entry of the pool. Imports only node:* and the engine (never Electron or
 * onnxruntime). Keeps the shared datasets it was sent, compiles the wasm kernels once, and trains
 * whatever team slot of a run it is given: builds the run context on the shared memory with a
 * SharedTeam and executes the same epoch loop as the in-process trainer. The team's leader posts
 * batched progress; every member posts `done` or `error` (errors are data, never thrown out).
 */
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { CancelledError, errorMessage } from '../errors.js';
import { createKernels, availableKernelSets } from '../kernels/select.js';
import { DiagnosticsProbe } from '../probes/probe.js';
import { HeapMeter } from '../train/heap-meter.js';
import { trainLoop } from '../train/loop.js';
import { createRunContext, runShape } from '../train/setup.js';
import { progressHooks } from './progress-hooks.js';
import type { FromWorker, SharedDataset, ToWorker } from './protocol.js';
import { SharedTeam } from '../run/team.js';

const port = parentPort;
if (!port) throw new Error('worker.ts must run inside a worker_threads Worker');
const datasets = new Map<string, SharedDataset>();
const post = (m: FromWorker): void => port.postMessage(m);

port.on('message', (m: ToWorker) => {
  if (m.type === 'dataset') datasets.set(m.datasetId, m.dataset);
  else if (m.type === 'drop-dataset') datasets.delete(m.datasetId);
  else if (m.type === 'run') runSlot(m);
});
post({ type: 'ready', kernels: availableKernelSets() });

function runSlot(m: Extract<ToWorker, { type: 'run' }>): void {
  try {
    const dataset = datasets.get(m.datasetId);
    if (!dataset) throw new Error(`worker has no dataset "${m.datasetId}"`);
    const shape = runShape(m.config, m.teamSize, dataset.values !== null);
    const kernels = createKernels(m.kernels, m.memory, m.teamIndex);
    const makeTeam = (sync: Int32Array) => new SharedTeam(sync, m.teamIndex, m.teamSize);
    const ctx = createRunContext(m.config, shape, m.memory.buffer, makeTeam, kernels, {
      ...dataset,
      train: m.train,
      validation: m.validation,
      test: m.test,
    });
    const progress = progressHooks(m, post);
    if (m.teamIndex === 0 && m.diagnostics) progress.hooks.probe = new DiagnosticsProbe(ctx, m.diagnostics);
    const meter = new HeapMeter();
    progress.hooks.stepMeter = meter;
    const cpu0 = threadCpuSeconds();
    const outcome = trainLoop(ctx, progress.hooks, m.halving);
    const cpu1 = threadCpuSeconds();
    if (cpu0 !== null && cpu1 !== null) outcome.threadCpuSeconds = cpu1 - cpu0;
    outcome.heapBytesPerStep = meter.bytesPerStep();
    progress.flush();
    post({ type: 'done', runId: m.runId, teamIndex: m.teamIndex, outcome });
  } catch (err) {
    post({ type: 'error', runId: m.runId, teamIndex: m.teamIndex, message: errorMessage(err), cancelled: err instanceof CancelledError });
  }
}

/**
 * This thread's CPU time (user + system) from /proc/thread-self/stat, in seconds, or null where
 * there is no such file (not Linux). Node 20 has no per-thread CPU clock; clock ticks are 10 ms,
 * which is fine over a run of seconds. Shows whether a worker ran or was descheduled.
 */
function threadCpuSeconds(): number | null {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime (fields 14, 15)
  } catch {
    return null;
  }
}

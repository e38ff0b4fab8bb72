/**
 * How long a cache line takes to go from one thread to another and back, now: the main thread and
 * a worker thread bounce a counter in shared memory. A team splits a step by rows, so each step
 * hands the weights from core to core, and a VM's two vCPUs are at times near each other and at
 * times far apart: on the 2-vCPU Zen 5 of BENCHMARKS.md ("The host moves the two vCPUs") the round
 * trip was 100-210 ns or 430-1,210 ns, and a team of two scaled 1.89x or 1.48x. The train suite
 * reports it before and after its runs, so that a scaling figure says which state it was measured
 * in. The threads are not pinned: on a machine with more cores than busy threads, the scheduler
 * chooses the two cores.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

/** The counter alone on its 64-byte line of a 128-byte buffer. */
const BALL_OFFSET = 64;

/** Round trips before the timed ones, while both threads' loops are compiled. */
export const WARM_UP_BOUNCES = 1000;

/**
 * The worker says it is ready (its module loaded: under a loader such as tsx, seconds after the
 * thread is online), then answers each odd count with the next even one, `bounces` times, and
 * reports how many it answered.
 */
const ANSWER = `
import { parentPort, workerData } from 'node:worker_threads';
function answer(ball, bounces) {
  let answered = 0;
  for (let i = 0; i < bounces; i++) {
    while (Atomics.load(ball, 0) !== 2 * i + 1) {}
    Atomics.store(ball, 0, 2 * i + 2);
    answered++;
  }
  return answered;
}
parentPort.postMessage('ready');
parentPort.postMessage(answer(new Int32Array(workerData.buffer, ${BALL_OFFSET}, 1), workerData.bounces));
`;

/** A wait for the worker's answer longer than this means it is gone. */
const GIVE_UP_NS = 30e9;

export interface CoreRoundTrip {
  /** Mean nanoseconds per round trip, over the timed ones. */
  nanoseconds: number;
  /** Round trips the worker answered (WARM_UP_BOUNCES + the timed ones). */
  answered: number;
}

/** Times `bounces` round trips (after WARM_UP_BOUNCES untimed ones). */
export async function measureCoreRoundTrip(bounces = 100_000): Promise<CoreRoundTrip> {
  const buffer = new SharedArrayBuffer(2 * BALL_OFFSET);
  const ball = new Int32Array(buffer, BALL_OFFSET, 1);
  const total = WARM_UP_BOUNCES + bounces;
  // A data: URL is a module whatever the process's --input-type (an eval worker follows it).
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(ANSWER)}`), { workerData: { buffer, bounces: total } });
  try {
    // once() rejects if the worker fails. The answer is posted only after the last bounce, and the
    // loop below never yields, so listening for it after the loop misses nothing.
    const [ready] = (await once(worker, 'message')) as unknown[];
    if (ready !== 'ready') throw new Error('core round trip: the worker did not start');
    let t0 = process.hrtime.bigint();
    for (let i = 0; i < total; i++) {
      if (i === WARM_UP_BOUNCES) t0 = process.hrtime.bigint();
      Atomics.store(ball, 0, 2 * i + 1);
      for (let spins = 1; Atomics.load(ball, 0) !== 2 * i + 2; spins++) {
        if ((spins & 0xfffff) === 0 && Number(process.hrtime.bigint() - t0) > GIVE_UP_NS) {
          throw new Error(`core round trip: the worker stopped answering after ${i} of ${total} bounces`);
        }
      }
    }
    const nanoseconds = Number(process.hrtime.bigint() - t0) / bounces;
    const [answered] = (await once(worker, 'message')) as number[];
    return { nanoseconds, answered };
  } finally {
    await worker.terminate();
  }
}

import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveExperiments } from '../src/services/app/live.js';
import type { ExperimentJob } from '../src/services/experiments/runner.js';
import type { ApiEvent } from '../src/shared/api.js';

type PoolEvent = Extract<ApiEvent, { type: 'pool' }>;

/** A job with no runs whose `done` the test resolves: only its end matters here. */
function job(): { job: ExperimentJob; finish: () => void } {
  let finish!: () => void;
  const done = new Promise<never[]>((resolve) => (finish = () => resolve([])));
  return { job: { id: 'exp', runs: [], skipped: [], done } as unknown as ExperimentJob, finish };
}

afterEach(() => vi.useRealTimers());

describe('the pool status after the last experiment ends', () => {
  it('goes on until the pool reports its workers free, so it never stays "2/2 busy"', async () => {
    vi.useFakeTimers();
    const status = { busy: 2, workers: 2, queued: 0 };
    const live = new LiveExperiments(() => ({ ...status }));
    const pool: PoolEvent[] = [];
    live.subscribe((e) => e.type === 'pool' && pool.push(e));

    const { job: j, finish } = job();
    live.track(j);
    await vi.advanceTimersByTimeAsync(1000);
    finish(); // the experiment ends while the pool still counts both workers busy
    await vi.advanceTimersByTimeAsync(0);
    expect(pool.at(-1)).toMatchObject({ busy: 2, running: 0 });

    status.busy = 0; // the pool releases the workers a moment later
    await vi.advanceTimersByTimeAsync(1000);
    expect(pool.at(-1)).toMatchObject({ busy: 0, running: 0, queued: 0, samplesPerSec: 0 });

    const count = pool.length; // and then the status stops: nothing runs
    await vi.advanceTimersByTimeAsync(5000);
    expect(pool.length).toBe(count);
    live.dispose();
  });
});

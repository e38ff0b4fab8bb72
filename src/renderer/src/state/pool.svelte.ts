/** The worker pool as the status bar shows it, from `pool` events. */
import type { ApiEvent } from '../../../shared/api';

type PoolEvent = Extract<ApiEvent, { type: 'pool' }>;

export class PoolState {
  busy = $state(0);
  workers = $state(0);
  /** Runs of this app's experiments training now, and waiting for workers (the run-state model's counts). */
  running = $state(0);
  queued = $state(0);
  samplesPerSec = $state(0);
  seen = $state(false);

  update(e: PoolEvent): void {
    this.busy = e.busy;
    this.workers = e.workers;
    this.running = e.running;
    this.queued = e.queued;
    this.samplesPerSec = e.samplesPerSec;
    this.seen = true;
  }
}

/**
 * Events pushed to the UI (`Api.onEvent`), and the ones an experiment's runner reports: the runner
 * emits `ExperimentEvent`s, the app's live tracker batches their progress records (a few flushes a
 * second) and forwards them, adds a pool status every second while anything runs, and the desktop
 * menu adds its commands. Plain JSON only.
 */
import type { MetricRecord, RunSummary } from './experiment.js';

/** One run of an experiment as its runner announces it. */
export interface RunPlan {
  runId: string;
  variantId: string;
  seed: number;
  /** Epochs it is configured to train (early stopping may end it sooner). */
  epochs: number;
}

/**
 * What the runner of one experiment reports, in this order: experiment-started once; per run
 * run-started, any number of run-progress, then run-finished; experiment-finished once, after every
 * run has settled.
 */
export type ExperimentEvent =
  /** `runs`: every run of the experiment; `skipped`: the ids of those already complete in the store. */
  | { type: 'experiment-started'; experimentId: string; runs: RunPlan[]; skipped: string[] }
  /** The run's team started training on `threads` workers (until then the run was queued). */
  | { type: 'run-started'; experimentId: string; runId: string; threads: number }
  | {
      type: 'run-progress';
      experimentId: string;
      runId: string;
      epoch: number;
      epochs: number;
      step: number;
      loss: number | null;
      /** The metric records written since the previous progress event of this run. */
      records: MetricRecord[];
    }
  | { type: 'run-finished'; experimentId: string; runId: string; summary: RunSummary }
  /** `error`: the experiment as a whole failed (not one of its runs; those fail in their summaries). */
  | { type: 'experiment-finished'; experimentId: string; error?: string };

/** The worker pool at a glance, every second while anything runs and once when all is idle. */
export interface PoolEvent {
  type: 'pool';
  /** Workers training a run, of `workers`. */
  busy: number;
  workers: number;
  /** Runs of the experiments this app runs: training now, and waiting for a worker (run-state.ts). */
  running: number;
  queued: number;
  samplesPerSec: number;
}

/** An application-menu command for the page to carry out (desktop app only). */
export interface MenuEvent {
  type: 'menu';
  command: 'new-experiment' | 'open-experiment' | 'export';
}

export type ApiEvent = ExperimentEvent | PoolEvent | MenuEvent;

/**
 * The one model of a run's state, from which the app (header, sidebar, status bar, Runs tab) and
 * the CLI (`run`, `list`, `show`) all derive what they say, so they cannot disagree. A run of the
 * experiment's plan (the expanded grid) is in exactly one state:
 *
 *   planned        in the plan, never started: no folder in the store, nothing running it
 *   queued         a runner of this process will train it, waiting for a worker
 *   running        training now, on `threads` workers
 *   completed      trained every epoch ("done")
 *   early_stopped  stopped by early stopping (a normal end)
 *   pruned         stopped at a rung by a search's successive halving (docs/experiments.md): ended
 *                  for good, neither a result (not in the statistics) nor a failure
 *   diverged       its loss became NaN/infinite or exceeded train.divergenceFactor x its first value
 *   failed         ended with an error (its reason in the summary)
 *   cancelled      cancelled by the user before it finished
 *   incomplete     a folder without a summary and nothing running it (the process was killed)
 *   damaged        its files contradict each other (a summary whose weights are missing, ...);
 *                  `recorded` says what the summary claims, `damage` what is wrong
 *
 * Live facts (queued, running) win over stored ones, damage over a stored status. A resume
 * (`ablate run` again, Resume in the app) trains every run that is not complete: planned,
 * incomplete, failed, cancelled and damaged ones. Pure; imported by the renderer and Node alike.
 */
import type { RunStatus } from '../engine/portable.js';
import type { RunSummary } from './types/experiment.js';

export const RUN_STATES = [
  'planned',
  'queued',
  'running',
  'completed',
  'early_stopped',
  'pruned',
  'diverged',
  'failed',
  'cancelled',
  'incomplete',
  'damaged',
] as const;
export type RunState = (typeof RUN_STATES)[number];

/** What is known about one planned run. */
export interface RunFacts {
  /** The store's view; null when the run has no folder. */
  stored: { summary: RunSummary | null; damage?: string | null } | null;
  /** A live runner's view (this process); null when no runner holds the run. */
  live: { state: 'queued' } | { state: 'running'; threads: number } | null;
}

export interface RunStateOf {
  state: RunState;
  /** Workers training the run (running only). */
  threads: number | null;
  /** The status its summary records (damaged runs keep theirs here), else null. */
  recorded: RunStatus | null;
  /** What is wrong with a damaged run's files. */
  damage: string | null;
}

export function runState(f: RunFacts): RunStateOf {
  const recorded = f.stored?.summary?.status ?? null;
  const none = { threads: null, recorded, damage: null };
  if (f.live?.state === 'running') return { ...none, state: 'running', threads: f.live.threads };
  if (f.live?.state === 'queued') return { ...none, state: 'queued' };
  if (f.stored === null) return { ...none, state: 'planned' };
  if (f.stored.damage) return { ...none, state: 'damaged', damage: f.stored.damage };
  return { ...none, state: recorded ?? 'incomplete' };
}

/** Ended normally: the run's results stand. */
export const isHealthy = (s: RunState): boolean => s === 'completed' || s === 'early_stopped';
/** Shown in red: the run's numbers are not results. */
export const isBad = (s: RunState): boolean => s === 'diverged' || s === 'failed' || s === 'damaged';
/** A runner holds it. */
export const isActive = (s: RunState): boolean => s === 'queued' || s === 'running';
/** Ended for good: a resume keeps it (a diverged run would diverge again, a pruned one be pruned again). */
export const isComplete = (s: RunState): boolean => isHealthy(s) || s === 'diverged' || s === 'pruned';
/** A resume would train it. */
export const needsRun = (s: RunState): boolean => !isComplete(s) && !isActive(s);

/** Runs per state; every state present, zeros included. */
export type StateCounts = Record<RunState, number> & { total: number };

export function countStates(states: Iterable<RunState>): StateCounts {
  const c = Object.fromEntries(RUN_STATES.map((s) => [s, 0])) as StateCounts;
  c.total = 0;
  for (const s of states) {
    c[s]++;
    c.total++;
  }
  return c;
}

/** Runs that ended for good (done, stopped early, pruned, diverged): a resume keeps them. */
export function countComplete(c: StateCounts): number {
  return c.completed + c.early_stopped + c.pruned + c.diverged;
}

/** How an experiment stands as a whole, for a list: its runs' counts reduced to one word. */
export type ExperimentState = 'running' | 'done' | 'bad' | 'partial' | 'planned';

export function experimentState(c: StateCounts): ExperimentState {
  if (c.queued + c.running > 0) return 'running';
  if (c.diverged + c.failed + c.damaged > 0) return 'bad';
  if (c.total > 0 && c.completed + c.early_stopped + c.pruned === c.total) return 'done';
  if (c.planned === c.total) return 'planned';
  return 'partial';
}

/** Short words per state, as every view prints them. */
export const STATE_WORDS: Record<RunState, string> = {
  planned: 'planned',
  queued: 'queued',
  running: 'running',
  completed: 'done',
  early_stopped: 'stopped early',
  pruned: 'pruned',
  diverged: 'diverged',
  failed: 'failed',
  cancelled: 'cancelled',
  incomplete: 'incomplete',
  damaged: 'damaged',
};

/** The order counts are listed in: what needs attention first. */
const COUNT_ORDER: readonly RunState[] = [
  'running',
  'queued',
  'diverged',
  'failed',
  'damaged',
  'cancelled',
  'incomplete',
  'planned',
  'completed',
  'early_stopped',
  'pruned',
];

/** The non-zero counts in a fixed order, each with its words and tone ("3 diverged", bad). */
export function countParts(c: StateCounts): Array<{ state: RunState; n: number; text: string; tone: Tone }> {
  return COUNT_ORDER.filter((s) => c[s] > 0).map((s) => ({ state: s, n: c[s], text: `${c[s]} ${STATE_WORDS[s]}`, tone: stateTone(s) }));
}

/** "4 done, 3 diverged, 3 planned": the non-zero counts, in a fixed order, or "no runs". */
export function countsText(c: StateCounts): string {
  const parts = countParts(c).map((p) => p.text);
  return parts.length > 0 ? parts.join(', ') : 'no runs';
}

/** "7/10 finished": runs that ended for good out of the plan. */
export function finishedText(c: StateCounts): string {
  return `${countComplete(c)}/${c.total} finished`;
}

/** A run's state in a sentence: "stopped early at epoch 7", "diverged at step 412", "running on 2 workers". */
export function stateText(s: RunStateOf, summary: RunSummary | null, progress: { epoch: number; epochs: number } | null = null): string {
  switch (s.state) {
    case 'running': {
      const on = s.threads ? ` on ${s.threads} worker${s.threads === 1 ? '' : 's'}` : '';
      return progress ? `running${on}, epoch ${progress.epoch + 1} of ${progress.epochs}` : `starting${on}`;
    }
    case 'planned':
      return 'planned (not started)';
    case 'incomplete':
      return 'incomplete (interrupted; resume to train it)';
    case 'early_stopped':
      return summary?.stoppedEpoch != null ? `stopped early at epoch ${summary.stoppedEpoch + 1}` : 'stopped early';
    case 'pruned':
      return summary?.stoppedEpoch != null
        ? `pruned after epoch ${summary.stoppedEpoch + 1} (successive halving)`
        : 'pruned (successive halving)';
    case 'diverged':
      return summary?.divergedAtStep != null ? `diverged at step ${summary.divergedAtStep}` : 'diverged';
    case 'failed':
      return `failed: ${summary?.stopReason || 'unknown reason'}`;
    case 'damaged':
      return `damaged: ${s.damage ?? 'its files disagree'}`;
    default:
      return STATE_WORDS[s.state];
  }
}

export type Tone = 'idle' | 'active' | 'ok' | 'warn' | 'bad';

export function stateTone(s: RunState): Tone {
  if (s === 'running') return 'active';
  if (isHealthy(s)) return 'ok';
  if (isBad(s)) return 'bad';
  if (s === 'cancelled' || s === 'incomplete') return 'warn';
  return 'idle';
}

/**
 * How much of the run is done, in [0, 1]. Only a run that finished its training (completed or
 * stopped early) is full; one that diverged, failed or was cancelled shows the epochs it got
 * through; a running run its epoch (and step within it when steps per epoch are known).
 */
export function runFraction(
  state: RunState,
  o: { epochs: number; summary: RunSummary | null; progress: { epoch: number; step: number } | null; stepsPerEpoch?: number | null },
): number {
  if (isHealthy(state)) return 1;
  if (o.epochs <= 0) return 0;
  const p = o.progress;
  if (state === 'running' && p) {
    const within = o.stepsPerEpoch && o.stepsPerEpoch > 0 ? (p.step % o.stepsPerEpoch) / o.stepsPerEpoch : 0;
    return Math.min(1, (p.epoch + within) / o.epochs);
  }
  // Never full: the last epoch of a run that did not finish did not complete.
  const done = o.summary?.epochsRun ?? 0;
  return Math.min(done, o.epochs - 1) / o.epochs;
}

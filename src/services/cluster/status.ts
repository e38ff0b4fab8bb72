/**
 * Where every run of an experiment stands across all the processes working on it (the tasks of a
 * Slurm array, the app, `ablate run`): the store's files in the run-state model's terms
 * (src/shared/run-state.ts) with the run claims (src/services/store/run-claims.ts) laid over them.
 * A run whose claim is live is `running` on its holder's host when its folder has a config (it is
 * training), `claimed` before that; a stale claim (its holder died) is reported beside the run's
 * stored state, which a process will take over. Read-only: it never touches a claim. For
 * `ablate status` and the app. Async, main thread.
 */
import * as fs from 'node:fs/promises';
import path from 'node:path';
import { plannedRunStates } from '../experiments/run-states.js';
import { loadExperiment } from '../store/reader.js';
import { readRunClaims, type RunClaimState } from '../store/run-claims.js';
import { METRICS_FILE } from '../store/layout.js';
import { RUN_STATES, type RunState, STATE_WORDS } from '../../shared/run-state.js';

/** The run-state model's states plus `claimed`: a process holds the run and has not started training it yet. */
export const CLUSTER_STATES = ['claimed', ...RUN_STATES] as const;
export type ClusterRunState = (typeof CLUSTER_STATES)[number];

export function clusterStateWord(s: ClusterRunState): string {
  return s === 'claimed' ? 'claimed' : STATE_WORDS[s];
}

export interface RunStatusLine {
  runId: string;
  variantId: string;
  seed: number;
  state: ClusterRunState;
  /** The process holding the run (claimed, running). */
  holder: { host: string; pid: number; since: string; renewedAt: string } | null;
  /** A claim whose holder is gone: the run will be taken over by the next process that looks. */
  staleClaim: { host: string | null; pid: number | null; why: string } | null;
  /** Epochs finished by a running run (from its metrics), of `epochs`. */
  epochsDone: number | null;
  epochs: number;
  /** The summary's reason for a failed, cancelled or diverged run; what is wrong with a damaged one. */
  detail: string | null;
}

export interface ExperimentStatus {
  id: string;
  name: string;
  dir: string;
  counts: Record<ClusterRunState, number> & { total: number };
  /** The processes holding runs now: host, pid and how many runs each holds. */
  processes: Array<{ host: string; pid: number; runs: number }>;
  runs: RunStatusLine[];
}

/** The status of the experiment in `dir`; StoreError when it is not an experiment folder. */
export async function experimentStatus(dir: string, now = Date.now()): Promise<ExperimentStatus> {
  const loaded = await loadExperiment(dir);
  const claims = await readRunClaims(loaded.path, now);
  const planned = plannedRunStates(loaded.experiment.spec, loaded.runs);
  const runs: RunStatusLine[] = [];
  for (const p of planned) {
    const claim = claims.get(p.plan.id);
    const live = claim?.state === 'live' ? claim : null;
    const stored = p.state.state;
    const training = live !== null && p.stored?.config != null && p.stored.summary === null;
    const state: ClusterRunState = live === null || isEnded(stored) ? stored : training ? 'running' : 'claimed';
    runs.push({
      runId: p.plan.id,
      variantId: p.plan.variant.id,
      seed: p.plan.seed,
      state,
      holder: live && state !== stored ? holderOf(live) : null,
      staleClaim:
        claim?.state === 'stale' ? { host: claim.owner?.host ?? null, pid: claim.owner?.pid ?? null, why: claim.why ?? '' } : null,
      epochsDone: state === 'running' && p.stored ? await epochsDone(p.stored.path) : null,
      epochs: p.plan.config.train.epochs,
      detail:
        p.state.damage ??
        (stored === 'failed' || stored === 'cancelled' || stored === 'diverged' ? (p.stored?.summary?.stopReason ?? null) : null),
    });
  }
  const counts = Object.fromEntries(CLUSTER_STATES.map((s) => [s, 0])) as ExperimentStatus['counts'];
  counts.total = runs.length;
  for (const r of runs) counts[r.state]++;
  const byProcess = new Map<string, { host: string; pid: number; runs: number }>();
  for (const r of runs) {
    if (r.holder === null) continue;
    const key = `${r.holder.host}:${r.holder.pid}`;
    const entry = byProcess.get(key) ?? { host: r.holder.host, pid: r.holder.pid, runs: 0 };
    entry.runs++;
    byProcess.set(key, entry);
  }
  return {
    id: loaded.experiment.id,
    name: loaded.experiment.spec.name,
    dir: loaded.path,
    counts,
    processes: [...byProcess.values()],
    runs,
  };
}

/** A summary is written last: a run with one has ended, whatever its claim still says. */
function isEnded(s: RunState): boolean {
  return s !== 'planned' && s !== 'incomplete' && s !== 'queued' && s !== 'running';
}

function holderOf(c: RunClaimState): RunStatusLine['holder'] {
  return { host: c.owner?.host ?? '?', pid: c.owner?.pid ?? 0, since: c.owner?.since ?? '', renewedAt: c.renewedAt };
}

const TAIL_BYTES = 256 * 1024;

/** Epochs a run has finished: the last epoch record's `epoch` + 1, read from the end of its metrics (0 when none yet). */
async function epochsDone(runDir: string): Promise<number | null> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path.join(runDir, METRICS_FILE), 'r');
  } catch {
    return 0;
  }
  try {
    const size = (await handle.stat()).size;
    const start = Math.max(0, size - TAIL_BYTES);
    const buf = Buffer.alloc(size - start);
    await handle.read(buf, 0, buf.length, start);
    const lines = buf.toString('utf8').split('\n');
    if (start > 0) lines.shift(); // cut mid-line
    for (let i = lines.length - 1; i >= 0; i--) {
      if (!lines[i].includes('"epoch"')) continue;
      try {
        const r = JSON.parse(lines[i]) as { kind?: string; epoch?: number };
        if (r.kind === 'epoch' && typeof r.epoch === 'number') return r.epoch + 1;
      } catch {
        // a line being written
      }
    }
    return 0;
  } catch {
    return null;
  } finally {
    await handle.close();
  }
}

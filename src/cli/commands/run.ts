/**
 * `ablate run <experiment.json>`: trains every incomplete run of an experiment into the store.
 * `--claim` makes the process one of many working on the experiment at once (the tasks of a
 * Slurm array): it takes runs one at a time until none is left; `--shard I/N` restricts it to a
 * fixed slice of the plan (docs/cluster.md). SIGINT and SIGTERM (Slurm's scancel and time limit)
 * cancel the runs in flight, which are recorded as cancelled and retried by the next process.
 */
import path from 'node:path';
import {
  describeKernelSet,
  effectiveKernelSet,
  KERNEL_SETS,
  kernelSetNotice,
  quoteInput,
  WorkerPool,
  type KernelSetName,
} from '../../engine/index.js';
import { startExperiment, type ExperimentJob } from '../../services/experiments/runner.js';
import { DEFAULT_POLL_MS, type Shard, type Waiting } from '../../services/experiments/run-source.js';
import { searchHasRounds } from '../../services/experiments/search/observed.js';
import { waitForRound } from '../../services/experiments/search/round-wait.js';
import type { RunSummary } from '../../services/experiments/types.js';
import { ExperimentStore } from '../../services/store/experiment-store.js';
import { holderText } from '../../services/store/run-claims.js';
import { parse, workerCount } from '../args.js';
import { UsageError } from '../errors.js';
import { readExperimentArg } from '../experiment-file.js';
import { embeddedDataDir, workerPath } from '../paths.js';
import { ProgressReporter } from '../progress.js';

export async function runCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    'run',
    args,
    {
      out: { type: 'string' },
      workers: { type: 'string' },
      kernels: { type: 'string' },
      json: { type: 'boolean' },
      claim: { type: 'boolean' },
      shard: { type: 'string' },
    },
    1,
  );
  const file = positionals[0];
  if (!file)
    throw new UsageError(
      'run: which experiment file? usage: ablate run <experiment.json> [--out DIR] [--workers N] [--claim | --shard I/N] [--json]',
    );
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  const shared = values.claim === true || shard !== undefined;
  if (values.kernels !== undefined && !(KERNEL_SETS as readonly string[]).includes(values.kernels)) {
    throw new UsageError(
      `run: --kernels must be one of ${KERNEL_SETS.map((k) => `"${k}"`).join(', ')}, got ${quoteInput(String(values.kernels))}`,
    );
  }
  const workers = workerCount('run', values.workers);
  const spec = await readExperimentArg('run', file);
  // Which kernels train (the experiment's engine setting wins over --kernels), in one line.
  const requested = spec.execution?.kernels ?? (values.kernels as KernelSetName | undefined);
  console.error(kernelSetNotice(requested) ?? `kernels: ${describeKernelSet(effectiveKernelSet(requested))}`);
  const pool = new WorkerPool({ workerPath: workerPath(), size: workers });
  const progress = new ProgressReporter(process.stderr, { shared });
  try {
    // A bayes search (or one with halving) runs in rounds: each start trains the trials proposed
    // (or revealed) from the runs finished before it, until a start proposes nothing new (services/experiments/search/trials.ts). A
    // process sharing the store may finish its part of a round while others still train the rest:
    // it waits for the whole round, then starts again (search/round-wait.ts), and stops only when a
    // start made after every run of the plan had finished proposes nothing new.
    const summaries: RunSummary[] = [];
    let job: ExperimentJob | null = null;
    let cancelled = false;
    const onSignal = (signal: NodeJS.Signals) => {
      // A second signal ends the process outright, as Node does by default.
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      progress.note(`${signal}: cancelling the runs in flight`);
      cancelled = true;
      job?.cancelAll();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      for (let planned = -1, settled = -1; ;) {
        job = await startExperiment(spec, {
          pool,
          store: new ExperimentStore(path.resolve(values.out ?? 'ablate-runs')),
          embeddedDir: embeddedDataDir(),
          baseDir: path.dirname(path.resolve(file)),
          kernels: values.kernels as KernelSetName | undefined,
          onEvent: (e) => progress.handle(e),
          sharing: { shared, shard, onWaiting: (w) => progress.note(waitingText(w)) },
        });
        if (cancelled) job.cancelAll();
        summaries.push(...(await job.done));
        if (!searchHasRounds(spec) || cancelled) break;
        const size = job.planIds.length;
        if (size !== planned) {
          planned = size;
          continue;
        }
        if (!shared || settled === size) break;
        const done = await waitForRound(job.dir, job.planIds, {
          pollMs: ROUND_POLL_MS,
          stopped: () => cancelled,
          onWaiting: (ids) => progress.note(roundWaitingText(ids)),
        });
        if (!done) break;
        settled = size;
      }
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    const bad = summaries.filter((s) => s.status === 'failed' || s.status === 'diverged' || s.status === 'cancelled');
    if (values.json) {
      const out = {
        experimentId: job!.id,
        dir: job!.dir,
        runs: job!.runs.length,
        trained: summaries.length,
        ok: bad.length === 0,
        summaries,
      };
      process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    } else {
      console.error(`results in ${job!.dir}  (ablate show ${JSON.stringify(job!.dir)})`);
    }
    return bad.length > 0 ? 1 : 0;
  } finally {
    await pool.shutdown();
  }
}

/** `--shard I/N`: the slice I (0-based, as $SLURM_ARRAY_TASK_ID) of N. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count)
    throw new UsageError(
      `run: --shard must be I/N with 0 <= I < N (I counts from 0, like $SLURM_ARRAY_TASK_ID), got ${quoteInput(String(text))}`,
    );
  return { index, count };
}

/** How often a process waiting for the rest of a bayes round looks at the store again. */
const ROUND_POLL_MS = DEFAULT_POLL_MS;

function roundWaitingText(ids: string[]): string {
  const shown = ids.slice(0, 3).join(', ');
  const more = ids.length > 3 ? ` and ${ids.length - 3} more` : '';
  return `waiting for ${ids.length} run${ids.length === 1 ? '' : 's'} of this search round that other processes train (${shown}${more}) before proposing the next round`;
}

function waitingText(w: Waiting): string {
  const shown = w.runs.slice(0, 3).map((r) => `${r.runId} (${holderText(r.holder.owner)})`);
  const more = w.runs.length > 3 ? ` and ${w.runs.length - 3} more` : '';
  return `waiting for ${w.runs.length} run${w.runs.length === 1 ? '' : 's'} other processes are training: ${shown.join(', ')}${more}; a run whose process dies is taken over`;
}

/** `ablate run <experiment.json>`: trains every incomplete run of an experiment into the store. */
import path from 'node:path';
import { describeKernelSet, effectiveKernelSet, KERNEL_SETS, kernelSetNotice, WorkerPool, type KernelSetName } from '../../engine/index.js';
import { startExperiment, type ExperimentJob } from '../../services/experiments/runner.js';
import type { RunSummary } from '../../services/experiments/types.js';
import { readExperimentFile } from '../../services/experiments/spec/file.js';
import { experimentWarnings } from '../../services/experiments/spec/warnings.js';
import { ExperimentError, parseExperiment } from '../../services/experiments/spec/validate.js';
import { ExperimentStore } from '../../services/store/experiment-store.js';
import { parse, workerCount } from '../args.js';
import { UsageError } from '../errors.js';
import { embeddedDataDir, workerPath } from '../paths.js';
import { ProgressReporter } from '../progress.js';

export async function runCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    'run',
    args,
    { out: { type: 'string' }, workers: { type: 'string' }, kernels: { type: 'string' }, json: { type: 'boolean' } },
    1,
  );
  const file = positionals[0];
  if (!file) throw new UsageError('run: which experiment file? usage: ablate run <experiment.json> [--out DIR] [--workers N] [--json]');
  if (values.kernels !== undefined && !(KERNEL_SETS as readonly string[]).includes(values.kernels)) {
    throw new UsageError(`run: --kernels must be one of ${KERNEL_SETS.map((k) => `"${k}"`).join(', ')}, got "${values.kernels}"`);
  }
  const workers = workerCount('run', values.workers);
  const text = await readExperimentFile(file).catch((err: NodeJS.ErrnoException) => {
    if (err instanceof ExperimentError) throw err;
    throw new UsageError(`run: cannot read ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  });
  const spec = parseExperiment(text, path.basename(file));
  for (const w of experimentWarnings(spec)) console.error(`warning: ${w.path}: ${w.message}`);
  // Which kernels train (the experiment's engine setting wins over --kernels), in one line.
  const requested = spec.execution?.kernels ?? (values.kernels as KernelSetName | undefined);
  console.error(kernelSetNotice(requested) ?? `kernels: ${describeKernelSet(effectiveKernelSet(requested))}`);
  const pool = new WorkerPool({ workerPath: workerPath(), size: workers });
  const progress = new ProgressReporter();
  try {
    // A bayes search runs in rounds: each start trains the trials proposed from the runs finished
    // before it, until a start proposes nothing new (services/experiments/search/trials.ts).
    const summaries: RunSummary[] = [];
    let job: ExperimentJob;
    let cancelled = false;
    for (let planned = -1; ;) {
      job = await startExperiment(spec, {
        pool,
        store: new ExperimentStore(path.resolve(values.out ?? 'ablate-runs')),
        embeddedDir: embeddedDataDir(),
        baseDir: path.dirname(path.resolve(file)),
        kernels: values.kernels as KernelSetName | undefined,
        onEvent: (e) => progress.handle(e),
      });
      const current = job;
      const onSignal = () => ((cancelled = true), current.cancelAll());
      process.once('SIGINT', onSignal);
      summaries.push(...(await job.done));
      process.off('SIGINT', onSignal);
      if (spec.search?.method !== 'bayes' || cancelled || job.runs.length === planned) break;
      planned = job.runs.length;
    }
    const bad = summaries.filter((s) => s.status === 'failed' || s.status === 'diverged' || s.status === 'cancelled');
    if (values.json) {
      const out = { experimentId: job.id, dir: job.dir, runs: job.runs.length, trained: summaries.length, ok: bad.length === 0, summaries };
      process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    } else {
      console.error(`results in ${job.dir}  (ablate show ${JSON.stringify(job.dir)})`);
    }
    return bad.length > 0 ? 1 : 0;
  } finally {
    await pool.shutdown();
  }
}

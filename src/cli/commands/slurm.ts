/**
 * `ablate slurm <experiment.json> --out DIR [--tasks N] [--cpus-per-task C] [--time T]
 * [--partition P] [--account A] [--extra "#SBATCH ..."] [--submit] [--json]`: checks the
 * experiment, creates its folder in the store, writes a readable sbatch job-array script next to
 * it (<store>/<experiment-id>.sbatch; task logs in <experiment>/slurm-logs/) and prints it; with
 * --submit, submits it through sbatch and prints the job id. Slurm does the scheduling: each array
 * task runs `ablate run --claim` (docs/cluster.md).
 */
import { spawnSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ENGINE_VERSION } from '../../engine/index.js';
import { DEFAULT_TASK_CAP, sbatchScript, shellQuote } from '../../services/cluster/sbatch.js';
import { withAbsoluteDataPaths } from '../../services/experiments/runner.js';
import { expandExperiment } from '../../services/experiments/spec/expand.js';
import { writeFileAtomic } from '../../services/store/atomic.js';
import { specHashOf } from '../../services/store/canonical.js';
import { ExperimentStore } from '../../services/store/experiment-store.js';
import { parse, positiveInt } from '../args.js';
import { UsageError } from '../errors.js';
import { readExperimentArg } from '../experiment-file.js';

const USAGE =
  'usage: ablate slurm <experiment.json> --out DIR [--tasks N] [--cpus-per-task C] [--time T] [--partition P] [--account A] ' +
  '[--extra "#SBATCH ..."] [--submit] [--json]';

export async function slurmCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    'slurm',
    args,
    {
      out: { type: 'string' },
      tasks: { type: 'string' },
      'cpus-per-task': { type: 'string' },
      time: { type: 'string' },
      partition: { type: 'string' },
      account: { type: 'string' },
      extra: { type: 'string', multiple: true },
      submit: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    1,
  );
  const file = positionals[0];
  if (!file) throw new UsageError(`slurm: which experiment file? ${USAGE}`);
  if (values.out === undefined)
    throw new UsageError(`slurm: --out DIR is required: the store on the file system the cluster's nodes share. ${USAGE}`);
  const time = checked(
    'time',
    values.time,
    /^(\d+-)?\d+(:\d+){0,2}$|^\d+-\d+$/,
    'a Slurm time limit: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS',
  );
  const partition = checked('partition', values.partition, /^[\w.,-]+$/, 'a partition name (letters, digits, . , _ -)');
  const account = checked('account', values.account, /^[\w.-]+$/, 'an account name (letters, digits, . _ -)');
  const extra = (values.extra ?? []).map((line) => {
    if (!/^#SBATCH\s+--?\w/.test(line) || /[\r\n]/.test(line))
      throw new UsageError(`slurm: --extra must be one "#SBATCH --option=value" line, got ${JSON.stringify(line)}`);
    return line.trim();
  });
  const cpusPerTask = positiveInt('slurm', 'cpus-per-task', values['cpus-per-task']) ?? 1;

  const experimentFile = path.resolve(file);
  // As `ablate run` stores it (data paths made absolute), so the tasks land in this very folder.
  const spec = withAbsoluteDataPaths(await readExperimentArg('slurm', file), path.dirname(experimentFile));
  const runs = expandExperiment(spec).runs.length;
  const asked = positiveInt('slurm', 'tasks', values.tasks);
  const tasks = Math.min(asked ?? DEFAULT_TASK_CAP, runs);
  if (asked !== undefined && asked > runs)
    console.error(`slurm: ${asked} tasks asked for, but the experiment has ${runs} runs: ${tasks} tasks`);

  const store = new ExperimentStore(path.resolve(values.out));
  const handle = await store.createOrOpen(spec, specHashOf(spec), ENGINE_VERSION, { shared: true });
  await handle.close();
  const logDir = path.join(handle.dir, 'slurm-logs');
  await mkdir(logDir, { recursive: true }); // Slurm does not create the folder of --output: a task would fail without a word
  const scriptPath = path.join(store.root, `${handle.id}.sbatch`);
  const script = sbatchScript({
    name: spec.name,
    experimentId: handle.id,
    experimentFile,
    store: store.root,
    experimentDir: handle.dir,
    logDir,
    scriptPath,
    ablate: [process.execPath, path.resolve(process.argv[1])],
    runs,
    tasks,
    cpusPerTask,
    time,
    partition,
    account,
    extra,
    writtenAt: new Date().toISOString(),
  });
  await writeFileAtomic(scriptPath, script);

  const jobId = values.submit ? submit(scriptPath) : null;
  if (values.json) {
    const out = { experimentId: handle.id, dir: handle.dir, runs, tasks, cpusPerTask, scriptPath, logDir, jobId, script };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return 0;
  }
  process.stdout.write(script);
  console.error(`\nwrote ${scriptPath} (${tasks} task${tasks === 1 ? '' : 's'} for ${runs} runs)`);
  if (jobId === null) console.error(`submit it with: sbatch ${shellQuote(scriptPath)}`);
  else console.error(`submitted job array ${jobId}`);
  console.error(`progress: ablate status ${shellQuote(handle.dir)}`);
  return 0;
}

function checked(flag: string, value: string | undefined, pattern: RegExp, expected: string): string | undefined {
  if (value === undefined) return undefined;
  if (!pattern.test(value)) throw new UsageError(`slurm: --${flag} must be ${expected}, got ${JSON.stringify(value)}`);
  return value;
}

/** Submits the script with `sbatch --parsable`; the job id. UsageError with sbatch's own message when it is missing or refuses. */
function submit(scriptPath: string): string {
  const r = spawnSync('sbatch', ['--parsable', scriptPath], { encoding: 'utf8', timeout: 120_000 });
  if (r.error !== undefined) {
    const missing = (r.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new UsageError(
      missing
        ? `slurm: --submit needs sbatch, which is not on PATH here (is this a Slurm login node?). The script is written: copy the store's folder ` +
            `to the cluster, or run this command there, and submit it with: sbatch ${shellQuote(scriptPath)}`
        : `slurm: could not run sbatch: ${r.error.message}`,
    );
  }
  if (r.status !== 0) {
    const said = `${r.stderr ?? ''}${r.stdout ?? ''}`.trim() || `exit code ${r.status ?? r.signal}`;
    throw new UsageError(`slurm: sbatch refused the job: ${said}\n(the script is ${scriptPath}; fix the option it names and submit again)`);
  }
  // --parsable prints "<job id>" or "<job id>;<cluster>".
  const id = r.stdout.trim().split(';')[0];
  if (!/^\d+$/.test(id)) throw new UsageError(`slurm: sbatch answered ${JSON.stringify(r.stdout.trim())}, not a job id`);
  return id;
}

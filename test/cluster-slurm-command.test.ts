/**
 * `ablate slurm` without a cluster (issue 19.2; test/slurm/ runs it on a real one): the script
 * it writes has the array, resources and directives asked for, is valid bash, and run as Slurm
 * would run a task it trains the whole experiment; its defaults; bad options exit 2 naming the
 * option; a missing `sbatch` and an `sbatch` that refuses (a stand-in on PATH) give clear errors
 * with sbatch's own message, and an accepting one gives the job id.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadExperiment } from '../src/services/store/reader.js';
import { ablate } from './helpers/ablate-cli.js';
import { spiralSpec } from './helpers/experiments.js';
import { tempFolders } from './helpers/tmp.js';

const tmp = tempFolders('ablate-sbatch');

interface SlurmJson {
  experimentId: string;
  dir: string;
  runs: number;
  tasks: number;
  scriptPath: string;
  logDir: string;
  jobId: string | null;
  script: string;
}

let file = '';
beforeAll(() => {
  file = path.join(tmp(), 'spiral.json');
  writeFileSync(file, JSON.stringify(spiralSpec('sbatch script'))); // 4 runs
});

/** A directory holding a stand-in `sbatch` that prints `out` and `err` and exits with `code`. */
function fakeSbatch(out: string, err: string, code: number): string {
  const bin = tmp();
  const script = path.join(bin, 'sbatch');
  writeFileSync(script, `#!/bin/sh\nprintf '%s' '${out}'\nprintf '%s' '${err}' >&2\nexit ${code}\n`);
  chmodSync(script, 0o755);
  return bin;
}

describe('the job-array script', () => {
  it('asks Slurm for what was given, is valid bash, and trains the experiment when run as a task', async () => {
    const store = path.join(tmp(), 'store');
    const r = ablate([
      'slurm',
      file,
      '--out',
      store,
      '--tasks',
      '3',
      '--cpus-per-task',
      '2',
      '--time',
      '1:30:00',
      '--partition',
      'short',
      '--account',
      'proj-42',
      '--extra',
      '#SBATCH --mem-per-cpu=2G',
      '--extra',
      '#SBATCH --mail-type=END',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as SlurmJson;
    expect(out).toMatchObject({ runs: 4, tasks: 3, jobId: null, scriptPath: path.join(store, `${out.experimentId}.sbatch`) });
    expect(readFileSync(out.scriptPath, 'utf8')).toBe(out.script);
    const directives = out.script.split('\n').filter((l) => l.startsWith('#SBATCH'));
    expect(directives).toEqual([
      `#SBATCH --job-name=ablate-${out.experimentId}`,
      '#SBATCH --array=0-2',
      '#SBATCH --ntasks=1',
      '#SBATCH --cpus-per-task=2',
      '#SBATCH --time=1:30:00',
      '#SBATCH --partition=short',
      '#SBATCH --account=proj-42',
      `#SBATCH --output=${out.logDir}/%x-%A_%a.out`,
      '#SBATCH --mem-per-cpu=2G',
      '#SBATCH --mail-type=END',
    ]);
    expect(out.script).toContain(`run ${file} --out ${store} --claim --workers "\${SLURM_CPUS_PER_TASK:-1}"`);
    expect(existsSync(path.join(out.dir, 'experiment.json'))).toBe(true);
    expect(existsSync(out.logDir)).toBe(true); // Slurm does not create the --output folder
    expect(spawnSync('bash', ['-n', out.scriptPath]).status).toBe(0);

    // A task as Slurm starts it: bash, the array variables set.
    const task = spawnSync('bash', [out.scriptPath], {
      encoding: 'utf8',
      env: { ...process.env, SLURM_CPUS_PER_TASK: '2', SLURM_ARRAY_TASK_ID: '0' },
      timeout: 600_000,
    });
    expect(task.status, task.stderr).toBe(0);
    const loaded = await loadExperiment(out.dir);
    expect(loaded.runs.map((run) => run.state)).toEqual(['completed', 'completed', 'completed', 'completed']);
    expect(task.stderr).toMatch(/started \S+ on 1 worker/);
  }, 600_000);

  it('defaults to one task per run (at most 64) and one CPU each', () => {
    const store = path.join(tmp(), 'store');
    const r = ablate(['slurm', file, '--out', store, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as SlurmJson;
    expect(out).toMatchObject({ runs: 4, tasks: 4 });
    expect(out.script).toContain('#SBATCH --array=0-3\n');
    expect(out.script).toContain('#SBATCH --cpus-per-task=1\n');
    expect(out.script).not.toMatch(/--time=|--partition=|--account=/);
    const more = ablate(['slurm', file, '--out', store, '--tasks', '10', '--json']);
    expect(JSON.parse(more.stdout)).toMatchObject({ tasks: 4 });
    expect(more.stderr).toContain('10 tasks asked for, but the experiment has 4 runs: 4 tasks');
    // Without --json: the script on stdout, how to submit it on stderr.
    const plain = ablate(['slurm', file, '--out', store]);
    expect(plain.stdout).toMatch(/^#!\/bin\/bash\n/);
    expect(plain.stderr).toMatch(/submit it with: sbatch \S+\.sbatch/);
  });

  it('refuses bad options with exit 2, naming the option', () => {
    const store = path.join(tmp(), 'store');
    const cases: Array<[string[], RegExp]> = [
      [[], /--out DIR is required/],
      [['--out', store, '--time', 'soon'], /--time must be a Slurm time limit/],
      [['--out', store, '--partition', 'a b'], /--partition must be a partition name/],
      [['--out', store, '--account', 'x;rm'], /--account must be an account name/],
      [['--out', store, '--extra=--mem=1G'], /--extra must be one "#SBATCH --option=value" line/],
      [['--out', store, '--extra', '#SBATCH --mem=1G\necho injected'], /--extra must be one "#SBATCH --option=value" line/],
      [['--out', store, '--tasks', '0'], /--tasks must be a whole number of at least 1/],
      [['--out', store, '--cpus-per-task', 'two'], /--cpus-per-task must be a whole number/],
    ];
    for (const [args, message] of cases) {
      const r = ablate(['slurm', file, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(ablate(['slurm', path.join(tmp(), 'missing.json'), '--out', store]).stderr).toMatch(/cannot read .*missing\.json: no such file/);
  });
});

describe('--submit', () => {
  it('without sbatch: a clear error, the script kept', () => {
    const store = path.join(tmp(), 'store');
    const r = ablate(['slurm', file, '--out', store, '--submit'], { env: { ...process.env, PATH: tmp() } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--submit needs sbatch, which is not on PATH here/);
    expect(r.stderr).toMatch(/submit it with: sbatch \S+\.sbatch/);
  });

  it('when sbatch refuses: its message, exit 2', () => {
    const bin = fakeSbatch('', 'sbatch: error: invalid partition specified: nope', 1);
    const r = ablate(['slurm', file, '--out', path.join(tmp(), 'store'), '--submit'], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('sbatch refused the job: sbatch: error: invalid partition specified: nope');
  });

  it('when sbatch accepts: the job id', () => {
    const bin = fakeSbatch('4242;cluster-a\n', '', 0);
    const r = ablate(['slurm', file, '--out', path.join(tmp(), 'store'), '--submit', '--json'], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ jobId: '4242' });
  });
});

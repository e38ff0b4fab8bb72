/**
 * The sbatch job-array script `ablate slurm` writes: one array task per slot, each running
 * `ablate run <experiment> --out <store> --claim --workers $SLURM_CPUS_PER_TASK`, so the tasks
 * share the experiment's runs through run claims (docs/cluster.md). Written to be read and edited
 * by a person: every choice commented, every path absolute and shell-quoted. Pure (no I/O).
 */

export interface SbatchSpec {
  /** The experiment's name and id (for comments and the job name). */
  name: string;
  experimentId: string;
  /** Absolute paths. */
  experimentFile: string;
  store: string;
  experimentDir: string;
  logDir: string;
  /** Where the script itself is written. */
  scriptPath: string;
  /** How to start the CLI on the cluster's nodes: argv words (node and the CLI script). */
  ablate: string[];
  runs: number;
  tasks: number;
  cpusPerTask: number;
  time?: string;
  partition?: string;
  account?: string;
  /** Further `#SBATCH ...` lines, as given. */
  extra: string[];
  /** For the header comment. */
  writtenAt: string;
}

/** Most array tasks `ablate slurm` asks for unless told otherwise (docs/cluster.md). */
export const DEFAULT_TASK_CAP = 64;

export function sbatchScript(s: SbatchSpec): string {
  const directive = (flag: string, value: string | undefined) => (value === undefined ? [] : [`#SBATCH --${flag}=${value}`]);
  const lines = [
    '#!/bin/bash',
    `# Ablate on Slurm: trains the ${s.runs} runs of "${oneLine(s.name)}" as a job array of ${s.tasks} task${s.tasks === 1 ? '' : 's'}.`,
    `# Written by \`ablate slurm\` on ${s.writtenAt}. Submit it with: sbatch ${shellQuote(s.scriptPath)}`,
    '#',
    '# Every task runs `ablate run --claim`: it claims one run of the experiment at a time in the',
    '# shared store and trains it, until no run is left. Tasks never train the same run; a run whose',
    '# task dies (node failure, scancel, time limit) is taken over by another task once its claim',
    '# expires, or by the next submission of this script, which also skips every finished run.',
    '#',
    `#   experiment file: ${s.experimentFile}`,
    `#   results:         ${s.experimentDir}`,
    `#   task logs:       ${s.logDir}`,
    `#   progress:        ablate status ${shellQuote(s.experimentDir)}`,
    `#SBATCH --job-name=ablate-${s.experimentId.slice(0, 40)}`,
    `#SBATCH --array=0-${s.tasks - 1}`,
    '#SBATCH --ntasks=1',
    `#SBATCH --cpus-per-task=${s.cpusPerTask}`,
    ...directive('time', s.time),
    ...directive('partition', s.partition),
    ...directive('account', s.account),
    // sbatch reads a directive's value up to white space unless it is in double quotes.
    `#SBATCH --output=${/\s/.test(s.logDir) ? `"${s.logDir}/%x-%A_%a.out"` : `${s.logDir}/%x-%A_%a.out`}`,
    ...s.extra,
    '',
    'set -euo pipefail',
    '',
    '# The Ablate command as on the machine that wrote this script: the nodes must see the same paths',
    '# (a shared home or software folder). To use another installation, set ABLATE, e.g.',
    '#   ABLATE="/opt/node/bin/node /opt/ablate/bin/ablate.js" sbatch <this file>',
    `ablate=(${s.ablate.map(shellQuote).join(' ')})`,
    'if [ -n "${ABLATE:-}" ]; then read -r -a ablate <<<"$ABLATE"; fi',
    '',
    '# One worker per CPU Slurm gave the task; the runs are the same bits on any number of workers.',
    `exec "\${ablate[@]}" run ${shellQuote(s.experimentFile)} --out ${shellQuote(s.store)} --claim --workers "\${SLURM_CPUS_PER_TASK:-1}"`,
    '',
  ];
  return lines.join('\n');
}

/** Quotes a word for bash: as is when it is plainly safe, else in single quotes. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

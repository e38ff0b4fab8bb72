/**
 * The `ablate` command line: run experiments into a store (alone, or as one of many processes
 * sharing it), spread them over a Slurm cluster, follow them, list and show them with seed
 * statistics, per-class results, compare experiments, find a learning rate, write an experiment's one-file report, export a run's model
 * to ONNX, run the benchmark suite, and serve the workbench to a
 * browser. Exit codes: 0 success,
 * 1 a run failed or diverged, 2 bad input (one-paragraph message, no stack trace).
 */
import { ENGINE_VERSION, quoteInput } from '../engine/index.js';
import { describeFailure, exitCodeFor, UsageError } from './errors.js';

const USAGE = `ablate ${ENGINE_VERSION}: train and compare multilayer perceptrons

Usage:
  ablate run <experiment.json> [--out DIR] [--workers N] [--kernels native|wasm|naive] [--claim | --shard I/N] [--json]
  ablate slurm <experiment.json> --out DIR [--tasks N] [--cpus-per-task C] [--time T] [--partition P]
               [--account A] [--extra "#SBATCH ..."] [--submit] [--json]
  ablate status [DIR] [--json]
  ablate list [DIR]
  ablate show <experiment-dir> [--baseline VARIANT] [--target VALUE] [--json]
  ablate lr-find <experiment.json> [--variant ID]... [--start LR] [--end LR] [--steps N] [--json]
  ablate classes <experiment-dir> [--baseline VARIANT] [--counts] [--json]
  ablate report <experiment-dir> [--out FILE.html] [--figures DIR [--format svg|png] [--width PX]] [--metrics FILE.csv|.json]
  ablate compare <experiment-dir>... [--baseline EXPERIMENT/VARIANT] [--json]
  ablate export <run-dir> [--out FILE.onnx] [--opset 17|20] [--probabilities] [--json]
  ablate bench [--json FILE] [--quick] [--only train,gemm,data,onnx,peers,diagnostics] [--pairs N] [--kernels native,wasm]
  ablate serve [STORE] [--port N] [--host 127.0.0.1] [--open] [--data DIR]... [--allow-remote] [--workers N]
  ablate help | --version

The store defaults to ./ablate-runs. See README.md for the experiment format.`;

type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./commands/run.js')).runCommand,
  list: async () => (await import('./commands/list.js')).listCommand,
  show: async () => (await import('./commands/show.js')).showCommand,
  classes: async () => (await import('./commands/classes.js')).classesCommand,
  'lr-find': async () => (await import('./commands/lr-find.js')).lrFindCommand,
  report: async () => (await import('./commands/report.js')).reportCommand,
  compare: async () => (await import('./commands/compare.js')).compareCommand,
  export: async () => (await import('./commands/export.js')).exportCommand,
  slurm: async () => (await import('./commands/slurm.js')).slurmCommand,
  status: async () => (await import('./commands/status.js')).statusCommand,
  bench: async () => (await import('./commands/bench.js')).benchCommand,
  serve: async () => (await import('./commands/serve.js')).serveCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    console.log(ENGINE_VERSION);
    return 0;
  }
  const load = COMMANDS[name];
  try {
    if (!load)
      throw new UsageError(`unknown command ${quoteInput(String(name))}; commands: ${Object.keys(COMMANDS).join(', ')} (ablate help)`);
    return await (
      await load()
    )(rest);
  } catch (err) {
    console.error(describeFailure(err));
    return exitCodeFor(err);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(describeFailure(err));
    process.exitCode = 1;
  },
);

/**
 * Reading an experiment file given on the command line (run, slurm): within the size limit
 * (services/experiments/spec/file.ts), a UsageError naming the command when it cannot be read,
 * an ExperimentError when it is not valid; its warnings go to stderr.
 */
import path from 'node:path';
import { printable } from '../engine/index.js';
import { readExperimentFile } from '../services/experiments/spec/file.js';
import { ExperimentError, parseExperiment } from '../services/experiments/spec/validate.js';
import { experimentWarnings } from '../services/experiments/spec/warnings.js';
import type { ExperimentSpec } from '../services/experiments/types.js';
import { UsageError } from './errors.js';

export async function readExperimentArg(command: string, file: string): Promise<ExperimentSpec> {
  const text = await readExperimentFile(file).catch((err: NodeJS.ErrnoException) => {
    if (err instanceof ExperimentError) throw err;
    throw new UsageError(`${command}: cannot read ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  });
  const spec = parseExperiment(text, path.basename(file));
  for (const w of experimentWarnings(spec)) console.error(printable(`warning: ${w.path}: ${w.message}`));
  return spec;
}

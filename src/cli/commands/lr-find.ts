/**
 * `ablate lr-find <experiment.json> [--variant ID]... [--start LR] [--end LR] [--steps N] [--json]`:
 * the learning-rate range test (Smith 2017) of each variant (all by default): one short run at the
 * experiment's first seed with the rate rising exponentially from --start to --end over --steps
 * optimizer steps, stopped when the smoothed loss exceeds 4x its lowest value (or turns NaN); prints
 * the loss against the rate and a suggested rate with the rule that chose it
 * (src/engine/train/lr-range.ts). Deterministic; writes nothing. Exit 0, 2 for bad input.
 */
import path from 'node:path';
import { LR_RANGE_DEFAULTS, lrRangeProblems, type KernelSetName, type LrRangeOptions } from '../../engine/index.js';
import { lrFind, lrFindVariants } from '../../services/experiments/lr-find.js';
import { parse } from '../args.js';
import { UsageError } from '../errors.js';
import { readExperimentArg } from '../experiment-file.js';
import { printLrFind } from '../lr-find-text.js';
import { embeddedDataDir } from '../paths.js';

function number(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v)) throw new UsageError(`lr-find: --${flag} must be a number, got "${value}"`);
  return v;
}

export async function lrFindCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    'lr-find',
    args,
    {
      variant: { type: 'string', multiple: true },
      start: { type: 'string' },
      end: { type: 'string' },
      steps: { type: 'string' },
      json: { type: 'boolean' },
    },
    1,
  );
  const file = positionals[0];
  if (!file) throw new UsageError('lr-find: which experiment file? usage: ablate lr-find <experiment.json> [--variant ID]... [--json]');
  const options: LrRangeOptions = {
    ...LR_RANGE_DEFAULTS,
    start: number('start', values.start, LR_RANGE_DEFAULTS.start),
    end: number('end', values.end, LR_RANGE_DEFAULTS.end),
    steps: number('steps', values.steps, LR_RANGE_DEFAULTS.steps),
  };
  const problems = lrRangeProblems(options);
  if (problems.length > 0) throw new UsageError(`lr-find: ${problems.map((p) => `--${p}`).join('; ')}`);
  const spec = await readExperimentArg('lr-find', file);
  const known = lrFindVariants(spec);
  for (const id of values.variant ?? []) {
    if (!known.some((v) => v.id === id))
      throw new UsageError(`lr-find: no variant "${id}"; variants: ${known.map((v) => v.id).join(', ')}`);
  }
  const result = await lrFind(spec, {
    variantIds: values.variant,
    options,
    baseDir: path.dirname(path.resolve(file)),
    embeddedDir: embeddedDataDir(),
    kernels: spec.execution?.kernels as KernelSetName | undefined,
  });
  if (values.json) console.log(JSON.stringify(result, null, 2));
  else printLrFind(spec.name, result, options);
  return 0;
}

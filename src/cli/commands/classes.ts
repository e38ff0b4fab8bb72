/**
 * `ablate classes <experiment-dir> [--baseline VARIANT] [--counts] [--json]`: per-class results of
 * an experiment's classification runs, from the confusion matrices each run recorded for its kept
 * weights: per variant the mean confusion matrix over seeds (row-normalized, or the counts with
 * --counts), per-class recall, precision and F1 with intervals, and which classes each variant
 * fixed against the baseline (paired recall differences). --json prints everything, the interval
 * of every cell included. Exit 0 (runs without matrices are reported as not recorded), 2 for bad input.
 */
import path from 'node:path';
import { perClassReport } from '../../services/experiments/per-class-report.js';
import { loadExperiment } from '../../services/store/reader.js';
import { parse } from '../args.js';
import { printClasses } from '../classes-text.js';
import { UsageError } from '../errors.js';

export async function classesCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    'classes',
    args,
    { baseline: { type: 'string' }, counts: { type: 'boolean' }, json: { type: 'boolean' } },
    1,
  );
  if (!positionals[0]) throw new UsageError('classes: which experiment folder? usage: ablate classes <experiment-dir>');
  const loaded = await loadExperiment(path.resolve(positionals[0]));
  const report = perClassReport(loaded, values.baseline ?? null);
  if (values.baseline !== undefined && report.baseline !== values.baseline) {
    throw new UsageError(`classes: no variant "${values.baseline}"; variants: ${Object.keys(report.labels).join(', ')}`);
  }
  if (values.json) {
    console.log(JSON.stringify(report, null, 2));
    return 0;
  }
  console.log(`${loaded.experiment.spec.name}  (${loaded.experiment.id})`);
  printClasses(report, values.counts ?? false);
  return 0;
}

/**
 * `ablate compare <experiment-dir>...`: variants of several experiments of the store in one
 * comparison (services/experiments/cross-compare.ts): the same data required, paired by seed where
 * the seeds match, Welch's unpaired difference where a variant shares no seed with the baseline,
 * the validation curves' summaries (one target for all), each experiment's search results. Exit 2
 * for experiments on different data.
 */
import { quoteInput } from '../../engine/index.js';
import path from 'node:path';
import { addCurveSummaries } from '../../services/experiments/compare.js';
import { compareAcross, crossRunCurves, dataMismatch } from '../../services/experiments/cross-compare.js';
import { loadExperiment } from '../../services/store/reader.js';
import { parse } from '../args.js';
import { UsageError } from '../errors.js';
import { printSearch } from '../search-text.js';
import { printStatistics } from '../statistics-text.js';

export async function compareCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse('compare', args, { baseline: { type: 'string' }, json: { type: 'boolean' } }, Infinity);
  if (positionals.length === 0)
    throw new UsageError('compare: which experiments? usage: ablate compare <experiment-dir>... [--baseline EXPERIMENT/VARIANT] [--json]');
  const loaded = await Promise.all(positionals.map((dir) => loadExperiment(path.resolve(dir))));
  const ids = loaded.map((l) => l.experiment.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) throw new UsageError(`compare: experiment ${twice} is named twice`);
  const mismatch = dataMismatch(loaded);
  if (mismatch) throw new UsageError(`compare: ${mismatch}`);
  const across = compareAcross(loaded, values.baseline ?? null);
  // The validation curves' summaries, one target for every experiment, as the app shows them.
  const statistics = addCurveSummaries(await crossRunCurves(loaded), across.statistics, { welchWhenUnpaired: true });
  const result = { ...across, statistics };
  if (values.baseline && !result.statistics.variants.some((v) => v.variantId === values.baseline)) {
    const known = result.statistics.variants.map((v) => v.variantId);
    throw new UsageError(
      `compare: no variant ${quoteInput(String(values.baseline))}; variants: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', ...' : ''}`,
    );
  }
  if (values.json) {
    console.log(JSON.stringify(result, null, 2));
    return 0;
  }
  console.log(`${loaded.length} experiment${loaded.length > 1 ? 's' : ''} on the same data:`);
  for (const e of result.experiments) console.log(`  ${e.id}  "${e.name}"  seeds ${e.seeds.join(', ') || '(no finished run)'}`);
  printStatistics(result.statistics);
  for (const s of result.search) printSearch(s.results, `Search of ${s.experimentId}`);
  return 0;
}

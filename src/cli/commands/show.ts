/**
 * `ablate show <experiment-dir>`: every planned run of one experiment with its state (runs that
 * never started included), the epoch of the weights it kept and their metrics, then the seed
 * statistics. Exit 1 when a run diverged, failed or is damaged (its numbers are not results), so a
 * script can check an experiment's health; 0 otherwise.
 */
import { quoteInput } from '../../engine/index.js';
import path from 'node:path';
import { formatTable } from '../../services/text-table.js';
import { compareExperimentSummaries, experimentVariants, storedSummaries, withCurveSummaries } from '../../services/experiments/compare.js';
import { searchResults } from '../../services/experiments/search/results.js';
import { countPlanned, plannedRunStates, type PlannedRunState } from '../../services/experiments/run-states.js';
import { loadExperiment } from '../../services/store/reader.js';
import { countsText, isBad, stateText, stateTone } from '../../shared/run-state.js';
import { weightsOf } from '../../shared/run-weights.js';
import { parse } from '../args.js';
import { colorsOn, paintRows } from '../color.js';
import { UsageError } from '../errors.js';
import { fmt } from '../progress.js';
import { printSearch } from '../search-text.js';
import { printStatistics } from '../statistics-text.js';

export async function showCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    'show',
    args,
    { baseline: { type: 'string' }, json: { type: 'boolean' }, target: { type: 'string' } },
    1,
  );
  if (!positionals[0]) throw new UsageError('show: which experiment folder? usage: ablate show <experiment-dir>');
  const target = values.target === undefined ? undefined : Number(values.target);
  if (target !== undefined && !Number.isFinite(target)) {
    throw new UsageError(
      `show: --target must be a number (a validation accuracy such as 0.9, or a loss), got ${quoteInput(String(values.target))}`,
    );
  }
  const loaded = await loadExperiment(path.resolve(positionals[0]));
  const comparison = await withCurveSummaries(loaded, compareExperimentSummaries(loaded, values.baseline ?? null), { target });
  if (values.baseline && !comparison.variants.some((v) => v.variantId === values.baseline)) {
    throw new UsageError(
      `show: no variant ${quoteInput(String(values.baseline))}; variants: ${comparison.variants.map((v) => v.variantId).join(', ')}`,
    );
  }
  const runs = plannedRunStates(loaded.experiment.spec, loaded.runs);
  const counts = countPlanned(runs);
  const exitCode = runs.some((r) => isBad(r.state.state)) ? 1 : 0;
  const search = searchResults(loaded.experiment.spec, experimentVariants(loaded), storedSummaries(loaded).summaries);
  if (values.json) {
    const json = {
      experiment: loaded.experiment,
      counts,
      runs: runs.map((r) => ({
        runId: r.plan.id,
        variantId: r.plan.variant.id,
        seed: r.plan.seed,
        ...r.state,
        text: stateText(r.state, r.stored?.summary ?? null),
        weights: r.stored?.summary ? weightsOf(r.stored.summary) : null,
        summary: r.stored?.summary ?? null,
        error: r.stored?.error,
      })),
      statistics: comparison,
      search,
    };
    console.log(JSON.stringify(json, null, 2));
    return exitCode;
  }
  const spec = loaded.experiment.spec;
  console.log(`${spec.name}  (${loaded.experiment.id}, engine ${loaded.experiment.engineVersion})`);
  console.log(`${counts.total} planned runs: ${countsText(counts)}\n`);
  const color = colorsOn(process.stdout);
  const header = ['run', 'state', 'epochs', 'weights of', 'val loss', 'val acc', 'test loss', 'test acc'];
  console.log(
    paintRows(
      formatTable(header, runs.map(runRow)),
      runs.map((r) => stateTone(r.state.state)),
      color,
    ),
  );
  console.log(
    '\n"weights of": the epoch whose weights the run kept (the restored best one with early stopping); the val and test figures are those weights\'.',
  );
  printStatistics(comparison);
  if (search) printSearch(search);
  return exitCode;
}

function runRow(r: PlannedRunState): string[] {
  const s = r.stored?.summary ?? null;
  const w = s ? weightsOf(s) : null;
  const weights = w?.epoch != null ? `${w.epoch + 1} (${w.restored ? 'best' : 'last'})` : '-';
  return [
    r.plan.id,
    stateText(r.state, s),
    String(s?.epochsRun ?? '-'),
    weights,
    fmt(w?.metrics?.valLoss),
    fmt(w?.metrics?.valAccuracy),
    fmt(s?.test?.loss),
    fmt(s?.test?.accuracy),
  ];
}

/** A search's results as the CLI prints them (`ablate show`, `ablate compare`): per compare variant, the best trials and factor importance. */
import type { SearchResults } from '../services/experiments/search/results.js';
import { formatTable } from '../services/text-table.js';
import { fmt } from './progress.js';
import { cell, interval, p } from './statistics-text.js';

const SHOWN_TRIALS = 5;

export function printSearch(results: SearchResults, title = 'Search'): void {
  const { metric, goal } = results.objective;
  console.log(
    `\n${title} (${results.method}): trials ranked by the mean ${metric} over healthy seeds (${goal === 'min' ? 'lowest' : 'highest'} first). The best of many trials is chosen on the seeds that measure it, so its interval is optimistic: confirm it on new seeds.`,
  );
  for (const c of results.cells) {
    console.log(`\n${c.cell || 'all trials'}:`);
    const rows = c.trials.slice(0, SHOWN_TRIALS).map((t, i) => [t.objective ? String(i + 1) : '-', t.label, cell(t.objective)]);
    console.log(formatTable(['rank', 'trial', metric], rows));
    if (c.trials.length > SHOWN_TRIALS) console.log(`(${c.trials.length - SHOWN_TRIALS} more trials: ablate show --json)`);
    const d = c.bestVsRunnerUp;
    if (d && c.best && c.runnerUp) {
      console.log(
        `best - runner-up (trial ${c.best.trial} - trial ${c.runnerUp.trial}), paired over ${d.n} seeds: ${interval(d)}, p ${p(d.p)}`,
      );
    }
    if (c.importance.length > 0) {
      console.log(
        'factor importance (eta squared of the objective by factor, mean over seeds [95% interval]; "chance" is what a factor without effect scores):',
      );
      console.log(
        formatTable(
          ['factor', 'importance', 'chance'],
          c.importance.map((f) => [f.key, interval(f), fmt(f.chance, 3)]),
        ),
      );
    }
  }
}

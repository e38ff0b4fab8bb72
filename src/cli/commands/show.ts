/** `ablate show <experiment-dir>`: runs and seed statistics of one experiment. */
import path from 'node:path';
import { formatTable } from '../../bench/table.js';
import { compareExperimentSummaries } from '../../services/experiments/compare.js';
import { loadExperiment } from '../../services/store/reader.js';
import type { Interval } from '../../shared/api.js';
import { parse } from '../args.js';
import { UsageError } from '../errors.js';
import { fmt } from '../progress.js';

const SHOWN = ['final.valLoss', 'final.valAccuracy', 'best.valLoss', 'test.accuracy', 'epochsRun'];

export async function showCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse('show', args, { baseline: { type: 'string' }, json: { type: 'boolean' } }, 1);
  if (!positionals[0]) throw new UsageError('show: which experiment folder? usage: ablate show <experiment-dir>');
  const loaded = await loadExperiment(path.resolve(positionals[0]));
  const comparison = compareExperimentSummaries(loaded, values.baseline ?? null);
  if (values.baseline && !comparison.variants.some((v) => v.variantId === values.baseline)) {
    throw new UsageError(`show: no variant "${values.baseline}"; variants: ${comparison.variants.map((v) => v.variantId).join(', ')}`);
  }
  if (values.json) {
    console.log(
      JSON.stringify(
        {
          experiment: loaded.experiment,
          runs: loaded.runs.map((r) => ({ runId: r.runId, summary: r.summary, error: r.error })),
          statistics: comparison,
        },
        null,
        2,
      ),
    );
    return 0;
  }
  const spec = loaded.experiment.spec;
  console.log(`${spec.name}  (${loaded.experiment.id}, engine ${loaded.experiment.engineVersion})\n`);
  const runRows = loaded.runs.map((r) => {
    const s = r.summary;
    return [
      r.runId,
      s?.status ?? (r.error ? 'unreadable' : 'incomplete'),
      String(s?.epochsRun ?? '-'),
      fmt(s?.final?.valLoss),
      fmt(s?.final?.valAccuracy),
      fmt(s?.test?.accuracy),
    ];
  });
  console.log(formatTable(['run', 'status', 'epochs', 'val loss', 'val acc', 'test acc'], runRows));
  const metrics = SHOWN.filter((m) => comparison.metrics.includes(m));
  console.log(`\nMean and 95% t-interval across seeds; difference to the baseline "${comparison.baseline}" paired by seed:\n`);
  const statRows = comparison.variants.map((v) => [
    v.label + (v.variantId === comparison.baseline ? ' (baseline)' : ''),
    String(Math.max(0, ...Object.values(v.metrics).map((m) => m.n))),
    ...metrics.map((m) => cell(v.metrics[m], v.vsBaseline?.[m] ?? null)),
  ]);
  console.log(formatTable(['variant', 'seeds', ...metrics], statRows));
  return 0;
}

function cell(i: Interval | undefined, d: (Interval & { p: number | null }) | null): string {
  if (!i) return '-';
  const ci = i.lower !== null && i.upper !== null ? ` [${fmt(i.lower, 3)}, ${fmt(i.upper, 3)}]` : '';
  const diff = d ? ` d=${d.mean >= 0 ? '+' : ''}${fmt(d.mean, 3)}${d.p !== null ? ` p=${fmt(d.p, 2)}` : ''}` : '';
  return `${fmt(i.mean)}${ci}${diff}`;
}

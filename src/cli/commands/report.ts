/**
 * `ablate report <experiment-dir> [--out FILE.html]`: writes the experiment's one-file report
 * (src/services/report/): a self-contained HTML page, figures embedded as SVG, that works offline
 * and prints to PDF. Default file: `<experiment-id>.report.html` in the current folder. Exit 0
 * when written (whatever the runs' health: the report says it), 2 for bad input.
 */
import path from 'node:path';
import { gatherReport } from '../../services/report/report-data.js';
import { reportHtml } from '../../services/report/report-html.js';
import { writeFileAtomic } from '../../services/store/atomic.js';
import { loadExperiment } from '../../services/store/reader.js';
import { parse } from '../args.js';
import { UsageError } from '../errors.js';

export async function reportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse('report', args, { out: { type: 'string' } }, 1);
  if (!positionals[0]) throw new UsageError('report: which experiment folder? usage: ablate report <experiment-dir> [--out FILE.html]');
  const loaded = await loadExperiment(path.resolve(positionals[0]));
  const out = path.resolve(values.out ?? `${loaded.experiment.id}.report.html`);
  if (!/\.html?$/i.test(out)) throw new UsageError(`report: --out must name an .html file, got "${values.out}"`);
  await writeFileAtomic(out, reportHtml(await gatherReport(loaded)));
  console.log(out);
  return 0;
}

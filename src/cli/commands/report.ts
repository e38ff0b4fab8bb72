/**
 * `ablate report <experiment-dir> [--out FILE.html] [--figures DIR] [--metrics FILE.csv|.json]`:
 * writes the experiment's one-file report (src/services/report/): a self-contained HTML page,
 * figures embedded as SVG, that works offline and prints to PDF. Default file:
 * `<experiment-id>.report.html` in the current folder. `--figures` also writes each figure as its
 * own SVG file (caption in its <desc>), or with `--format png` as a PNG `--width` pixels wide
 * (default twice the SVG's width; caption in the PNG is not kept: the HTML has it); `--metrics`
 * every metric record of every run, in the
 * layout of docs/metrics-export.md. Prints each file written. Exit 0 when written (whatever the
 * runs' health: the report says it), 2 for bad input.
 */
import { quoteInput } from '../../engine/index.js';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { loadPrepared } from '../../engine/index.js';
import { exportMetrics } from '../../services/app/metrics-export.js';
import { gatherReport } from '../../services/report/report-data.js';
import { reportFigures } from '../../services/report/report-figures.js';
import { reportHtml } from '../../services/report/report-html.js';
import { PNG_WIDTH, svgToPng } from '../../services/report/png.js';
import { escapeXml } from '../../services/report/svg-chart.js';
import { writeFileAtomic } from '../../services/store/atomic.js';
import { loadExperiment } from '../../services/store/reader.js';
import { parse } from '../args.js';
import { UsageError } from '../errors.js';
import { embeddedDataDir } from '../paths.js';

export async function reportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    'report',
    args,
    {
      out: { type: 'string' },
      figures: { type: 'string' },
      metrics: { type: 'string' },
      format: { type: 'string' },
      width: { type: 'string' },
    },
    1,
  );
  if (!positionals[0]) throw new UsageError('report: which experiment folder? usage: ablate report <experiment-dir> [--out FILE.html]');
  if (values.out !== undefined && !/\.html?$/i.test(values.out))
    throw new UsageError(`report: --out must name an .html file, got ${quoteInput(String(values.out), 200)}`);
  const metricsFormat =
    values.metrics === undefined ? null : /\.csv$/i.test(values.metrics) ? 'csv' : /\.json$/i.test(values.metrics) ? 'json' : undefined;
  if (metricsFormat === undefined)
    throw new UsageError(`report: --metrics must name a .csv or .json file, got ${quoteInput(String(values.metrics), 200)}`);
  const format = values.format ?? 'svg';
  if (format !== 'svg' && format !== 'png')
    throw new UsageError(`report: --format must be svg or png, got ${quoteInput(String(format), 200)}`);
  if ((values.format !== undefined || values.width !== undefined) && values.figures === undefined)
    throw new UsageError('report: --format and --width apply to the figures: add --figures DIR');
  if (values.width !== undefined && format !== 'png') throw new UsageError('report: --width is the PNG width: add --format png');
  const width = values.width === undefined ? null : Number(values.width);
  if (width !== null && !(Number.isInteger(width) && width >= PNG_WIDTH.min && width <= PNG_WIDTH.max))
    throw new UsageError(
      `report: --width must be a whole number of pixels from ${PNG_WIDTH.min} to ${PNG_WIDTH.max}, got ${quoteInput(String(values.width), 200)}`,
    );
  const loaded = await loadExperiment(path.resolve(positionals[0]));
  const data = await gatherReport(loaded, undefined, undefined, async () => {
    const spec = loaded.experiment.spec;
    return (await loadPrepared(spec.data, { embeddedDir: embeddedDataDir() })).prepared;
  });
  const written: string[] = [];
  const out = path.resolve(values.out ?? `${loaded.experiment.id}.report.html`);
  await writeFileAtomic(out, reportHtml(data));
  written.push(out);
  if (values.figures !== undefined) {
    const dir = path.resolve(values.figures);
    await mkdir(dir, { recursive: true });
    for (const f of reportFigures(data)) {
      const file = path.join(dir, `${f.name}.${format}`);
      if (format === 'png') await writeFileAtomic(file, Buffer.from(await svgToPng(f.svg, width ?? 2 * svgWidth(f.svg))));
      else await writeFileAtomic(file, f.svg.replace(/^(<svg[^>]*>)/, `$1<desc>${escapeXml(f.caption)}</desc>`) + '\n');
      written.push(file);
    }
  }
  if (metricsFormat !== null) {
    const file = path.resolve(values.metrics!);
    await writeFileAtomic(file, (await exportMetrics(loaded, metricsFormat)).text);
    written.push(file);
  }
  for (const file of written) console.log(file);
  return 0;
}

/** The width attribute of an SVG's root element (the report's figures all have one). */
function svgWidth(svg: string): number {
  const m = /^<svg[^>]*\swidth="(\d+(?:\.\d+)?)"/.exec(svg);
  if (!m) throw new Error('a report figure has no width');
  return Math.round(Number(m[1]));
}

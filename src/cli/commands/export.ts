/** `ablate export <run-dir>`: exports a run's model to ONNX, validates it in onnxruntime, prints the report. */
import { quoteInput } from '../../engine/index.js';
import path from 'node:path';
import { exportRun } from '../../services/export-run.js';
import { SUPPORTED_OPSETS } from '../../services/onnx/opset.js';
import { parse } from '../args.js';
import { UsageError } from '../errors.js';
import { embeddedDataDir } from '../paths.js';
import { fmt } from '../progress.js';

export async function exportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    'export',
    args,
    { out: { type: 'string' }, opset: { type: 'string' }, probabilities: { type: 'boolean' }, json: { type: 'boolean' } },
    1,
  );
  if (!positionals[0]) throw new UsageError('export: which run folder? usage: ablate export <run-dir> [--out FILE.onnx]');
  const opset = values.opset === undefined ? undefined : Number(values.opset);
  if (opset !== undefined && !SUPPORTED_OPSETS.includes(opset))
    throw new UsageError(`export: --opset must be one of ${SUPPORTED_OPSETS.join(', ')}, got ${quoteInput(String(values.opset))}`);
  const result = await exportRun(path.resolve(positionals[0]), {
    embeddedDir: embeddedDataDir(),
    outPath: values.out ? path.resolve(values.out) : undefined,
    opset,
    probabilities: values.probabilities ?? false,
  });
  const r = result.report;
  if (values.json) {
    console.log(JSON.stringify({ path: result.path, reportPath: result.reportPath, report: r }, null, 2));
    return 0;
  }
  console.log(`exported ${result.path} (${(r.fileBytes / 1024).toFixed(1)} KiB, opset ${r.opset}, IR ${r.irVersion})`);
  for (const level of r.levels) {
    const agree = level.argmaxAgreement === null ? '' : `, argmax agreement ${fmt(level.argmaxAgreement)}`;
    console.log(
      `  onnxruntime (${level.optimization} optimizations): max abs error ${fmt(level.maxAbsError, 3)}, max rel error ${fmt(level.maxRelError, 3)}${agree}: ${level.passed ? 'pass' : 'FAIL'}`,
    );
  }
  console.log(`validation report: ${result.reportPath}`);
  return 0;
}

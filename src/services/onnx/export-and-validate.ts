/**
 * exportAndValidate: export, validate in onnxruntime, and only then write `<name>.onnx` and
 * `<name>.validation.json` beside it as a pair (both to temp files, then the report renamed into
 * place and the model last: a failure at any step, a full disk or a folder in the way, leaves
 * neither, nor an earlier model at that path; a report with `passed: true` and the model's sha256
 * is the mark of a finished export). When the
 * validation fails, no model is written and any earlier `<name>.onnx` at that path is removed (it
 * was about to be replaced and must not be taken for this export); the failing report is still
 * written for diagnosis, and an OnnxValidationError carrying it is thrown. Main thread only.
 */
import { mkdir, rm } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { errorMessage } from '../../engine/index.js';
import { OnnxError, OnnxValidationError } from './errors.js';
import { exportOnnx, type ExportOptions } from './export.js';
import { writeFileAtomic, writeModelAndReport } from './files.js';
import type { ExportableModel, OnnxExportMeta } from './metadata.js';
import type { ValidationReport } from './report.js';
import { validateOnnx, type ValidateOptions, type ValidationInputs } from './validate.js';

export interface ExportAndValidateOptions extends ExportOptions, Omit<ValidateOptions, 'fileName'> {
  /** Where the model goes; must end in ".onnx". The report goes to "<name>.validation.json". */
  outPath: string;
  /** Real (preprocessed) input rows to validate on, e.g. a batch of the validation split. */
  inputs: ValidationInputs;
}

export interface ExportResult {
  path: string;
  reportPath: string;
  report: ValidationReport;
}

export function reportPathFor(onnxPath: string): string {
  return `${onnxPath.replace(/\.onnx$/i, '')}.validation.json`;
}

export async function exportAndValidate(
  model: ExportableModel,
  meta: OnnxExportMeta,
  opts: ExportAndValidateOptions,
): Promise<ExportResult> {
  const { outPath } = opts;
  if (!/\.onnx$/i.test(outPath)) throw new OnnxError(`the export path must end in .onnx: ${outPath}`);
  const reportPath = reportPathFor(outPath);
  const t0 = performance.now();
  const bytes = exportOnnx(model, meta, opts);
  const exportMs = performance.now() - t0;
  const report = await validateOnnx(bytes, model, opts.inputs, { ...opts, fileName: basename(outPath) });
  report.timings.exportMs = exportMs;
  report.timings.totalMs += exportMs;
  await mkdir(dirname(outPath), { recursive: true }).catch((err: unknown) => {
    throw new OnnxError(`could not create the folder ${dirname(outPath)}: ${errorMessage(err)}`, { cause: err });
  });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  if (!report.passed) {
    await rm(outPath, { force: true });
    await writeFileAtomic(reportPath, json);
    throw new OnnxValidationError(
      `ONNX export failed validation: ${report.failure}. No model was written; the report is in ${reportPath}`,
      report,
    );
  }
  await writeModelAndReport(outPath, bytes, reportPath, json);
  return { path: outPath, reportPath, report };
}

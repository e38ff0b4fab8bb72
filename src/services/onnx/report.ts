/**
 * The validation report: what was checked when an exported model was run in onnxruntime and
 * compared with the engine, stored as `<name>.validation.json` beside `<name>.onnx`. The types live
 * in src/shared/types/onnx-report.ts (the UI shows the report too) and are re-exported here. Plain
 * JSON data; every field is documented there and in docs/onnx.md. Non-finite numbers (an output that is
 * finite on one side only gives an infinite error) are written as null by JSON.stringify.
 *
 * Tolerance: a check passes when max |onnxruntime - engine| <= 1e-5 x output scale, where the
 * output scale is max |engine output| over the checked rows, floored at 1.
 */
export type {
  BatchCheck,
  LevelReport,
  OnnxTensorInfo,
  OptimizationLevel,
  ValidationReport,
  Worst,
} from '../../shared/types/onnx-report.js';

/** Relative tolerance of the absolute error, in units of the output scale. */
export const DEFAULT_TOLERANCE = 1e-5;

export const REPORT_FORMAT = 'ablate-onnx-validation';

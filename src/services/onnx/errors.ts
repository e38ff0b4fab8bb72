/**
 * Errors of the ONNX service. Every message names the file (or "the exported model" when there is
 * none yet) and says what failed, so the UI can show it as is. Validation failures carry the full
 * report, which is also written beside the model for inspection.
 */
import type { ValidationReport } from './report.js';

export class OnnxError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OnnxError';
  }
}

/** onnxruntime's outputs differ from the engine's by more than the tolerance (or have the wrong shape). */
export class OnnxValidationError extends OnnxError {
  constructor(
    message: string,
    readonly report: ValidationReport,
  ) {
    super(message);
    this.name = 'OnnxValidationError';
  }
}

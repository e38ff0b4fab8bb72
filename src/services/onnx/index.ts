/**
 * The ONNX service: export a trained model to ONNX (opset 17 / IR 8 by default), validate it in
 * onnxruntime-node against the engine's eval-mode forward pass, write both crash-safely, and decode
 * files back. Plain Node, no Electron. See docs/onnx.md for the op mapping, metadata keys and the
 * validation report's fields. Validation (and so exportAndValidate) runs on the main thread only.
 */
export { canonicalJson, canonicalSha256 } from '../canonical-json.js';
export { OnnxError, OnnxValidationError } from './errors.js';
export { BATCH_DIM, exportOnnx, type ExportOptions } from './export.js';
export { exportAndValidate, reportPathFor, type ExportAndValidateOptions, type ExportResult } from './export-and-validate.js';
export {
  inspectOnnx,
  type OnnxAttributeValue,
  type OnnxInitializerInfo,
  type OnnxInspection,
  type OnnxNodeInfo,
  type OnnxTensorInfo,
} from './inspect.js';
export { INPUT_NAME, type OutputKind } from './layers.js';
export { PRODUCER_NAME, type ExportableModel, type OnnxExportMeta } from './metadata.js';
export { DEFAULT_OPSET, GELU_OPSET, SUPPORTED_OPSETS, irVersionFor } from './opset.js';
export { DEFAULT_TOLERANCE, type BatchCheck, type LevelReport, type OptimizationLevel, type ValidationReport } from './report.js';
export { loadOnnxRuntime } from './runtime.js';
export { validateOnnx, type ValidateOptions, type ValidationInputs } from './validate.js';

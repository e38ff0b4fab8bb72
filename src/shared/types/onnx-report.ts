/**
 * The ONNX validation report: what was checked when an exported model was run in onnxruntime and
 * compared with the engine, stored as `<name>.validation.json` beside `<name>.onnx`. Plain JSON
 * data; every field is documented here and in docs/onnx.md. Non-finite numbers (an output that is
 * finite on one side only gives an infinite error) are written as null by JSON.stringify.
 *
 * Tolerance: a check passes when max |onnxruntime - engine| <= 1e-5 x output scale, where the
 * output scale is max |engine output| over the checked rows, floored at 1.
 */
import type { Head } from '../../engine/portable.js';

export interface OnnxTensorInfo {
  name: string;
  /** e.g. "float32"; "unknown(<n>)" for element types this service does not name. */
  elemType: string;
  /** Fixed sizes as numbers, symbolic dimensions (dim_param) as strings, unknown as null. */
  shape: Array<number | string | null>;
}

export type OptimizationLevel = 'disabled' | 'basic' | 'extended' | 'all';

export interface Worst {
  row: number;
  column: number;
  engine: number;
  onnx: number;
}

export interface BatchCheck {
  /** Rows in this run (the first `rows` rows of the validation inputs). */
  rows: number;
  /** Shape onnxruntime returned; must be [rows, outputSize]. */
  outputShape: number[];
  maxAbsError: number;
  /** max |onnx - engine| / max(|engine|, 1e-3), elementwise (the floor keeps zeros from dominating). */
  maxRelError: number;
  /**
   * Classifiers: softmax head, fraction of rows whose argmax agrees; sigmoid head, fraction of
   * outputs on the same side of the decision threshold (logit 0 / probability 0.5). null for
   * regression heads.
   */
  argmaxAgreement: number | null;
  /** Where the largest absolute error is (null when both agree exactly everywhere). */
  worst: Worst | null;
  passed: boolean;
}

export interface LevelReport {
  /** onnxruntime's graphOptimizationLevel for this session. */
  optimization: OptimizationLevel;
  /** Worst values over this level's batches. */
  maxAbsError: number;
  maxRelError: number;
  argmaxAgreement: number | null;
  batches: BatchCheck[];
  passed: boolean;
  timings: { sessionCreateMs: number; runMs: number };
}

export interface ValidationReport {
  format: 'ablate-onnx-validation';
  formatVersion: 1;
  /** File name of the model (no directory). */
  file: string;
  fileBytes: number;
  /** SHA-256 (hex) of the model file's bytes: ties this report to exactly that file. */
  sha256: string;
  opset: number | null;
  irVersion: number;
  producer: { name: string; version: string };
  inputs: OnnxTensorInfo[];
  outputs: OnnxTensorInfo[];
  head: Head;
  /** The engine's eval-mode forward pass the outputs were compared with. */
  reference: string;
  runtime: { name: 'onnxruntime-node'; version: string; executionProvider: 'cpu' };
  tolerance: {
    /** The rule, in words. */
    rule: string;
    relative: number;
    /** max |engine output| over the checked rows, floored at 1. */
    outputScale: number;
    /** relative x outputScale: the largest absolute error allowed. */
    maxAbsError: number;
  };
  /** Worst values over all levels and batches. */
  maxAbsError: number;
  maxRelError: number;
  argmaxAgreement: number | null;
  levels: LevelReport[];
  passed: boolean;
  /** Why it failed, in words (null when passed). */
  failure: string | null;
  timings: {
    /** Time to load onnxruntime in this call (0 when it was already loaded in this process). */
    runtimeLoadMs: number;
    /** Time to write the bytes (exportAndValidate only; null when validateOnnx was called alone). */
    exportMs: number | null;
    inspectMs: number;
    engineMs: number;
    totalMs: number;
  };
}

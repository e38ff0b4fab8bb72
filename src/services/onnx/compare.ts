/**
 * Output comparison for validation: max absolute and relative error with the location of the
 * worst element, and decision agreement for classifiers. Non-finite values agree only with the
 * identical value (NaN with NaN, +Inf with +Inf); any other mismatch involving them is an
 * infinite error, so a NaN from either side can never pass. Pure; any thread.
 */
import type { Worst } from './report.js';

/** Denominator floor of the elementwise relative error. */
export const REL_ERROR_FLOOR = 1e-3;

/** How classifier decisions are compared: argmax per row, or each output against a threshold. */
export type Agreement = { kind: 'argmax' } | { kind: 'threshold'; at: number } | null;

export interface Comparison {
  maxAbsError: number;
  maxRelError: number;
  argmaxAgreement: number | null;
  worst: Worst | null;
}

/** max |v| over the finite values, floored at 1. */
export function outputScale(values: Float32Array): number {
  let scale = 1;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (a > scale && a !== Infinity) scale = a;
  }
  return scale;
}

/** onnx and engine are (rows, cols) row-major. */
export function compareOutputs(onnx: Float32Array, engine: Float32Array, rows: number, cols: number, agreement: Agreement): Comparison {
  let maxAbs = 0;
  let maxRel = 0;
  let worst: Worst | null = null;
  for (let i = 0; i < rows * cols; i++) {
    const o = onnx[i];
    const e = engine[i];
    const abs = Object.is(o, e) || o === e ? 0 : Number.isFinite(o) && Number.isFinite(e) ? Math.abs(o - e) : Infinity;
    if (abs > maxAbs) {
      maxAbs = abs;
      worst = { row: Math.floor(i / cols), column: i % cols, engine: e, onnx: o };
    }
    const rel = abs / Math.max(Math.abs(e), REL_ERROR_FLOOR);
    if (rel > maxRel) maxRel = rel;
  }
  return { maxAbsError: maxAbs, maxRelError: maxRel, argmaxAgreement: agreementOf(onnx, engine, rows, cols, agreement), worst };
}

function agreementOf(onnx: Float32Array, engine: Float32Array, rows: number, cols: number, agreement: Agreement): number | null {
  if (!agreement || rows === 0) return null;
  let same = 0;
  if (agreement.kind === 'argmax') {
    for (let r = 0; r < rows; r++) if (argmax(onnx, r * cols, cols) === argmax(engine, r * cols, cols)) same++;
    return same / rows;
  }
  for (let i = 0; i < rows * cols; i++) if (onnx[i] > agreement.at === engine[i] > agreement.at) same++;
  return same / (rows * cols);
}

/** Index of the first maximum of v[start .. start + n); NaN never wins. */
export function argmax(v: Float32Array, start: number, n: number): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let c = 0; c < n; c++) {
    if (v[start + c] > bestValue) {
      bestValue = v[start + c];
      best = c;
    }
  }
  return best;
}

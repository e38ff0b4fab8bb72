/**
 * The opsets the exporter writes and the IR version each one needs (the pairs the onnx package
 * itself uses: opset 17-18 -> IR 8, 19-20 -> IR 9, 21 -> IR 10). Opset 17 / IR 8 is the default:
 * every onnxruntime from 1.14 on loads it. From opset 20 on, gelu and gelu_tanh are written as the
 * native `Gelu` op; below, they are composed from Erf/Tanh/Mul/Add.
 */
import { OnnxError } from './errors.js';

export const DEFAULT_OPSET = 17;

const IR_VERSION_FOR_OPSET: Readonly<Record<number, number>> = { 17: 8, 18: 8, 19: 9, 20: 9, 21: 10 };

export const SUPPORTED_OPSETS: readonly number[] = Object.keys(IR_VERSION_FOR_OPSET).map(Number);

/** First opset with a native Gelu (approximate = "none" | "tanh"). */
export const GELU_OPSET = 20;

export function irVersionFor(opset: number): number {
  const ir = IR_VERSION_FOR_OPSET[opset];
  if (ir === undefined) throw new OnnxError(`ONNX opset ${opset} is not supported; choose one of ${SUPPORTED_OPSETS.join(', ')}`);
  return ir;
}

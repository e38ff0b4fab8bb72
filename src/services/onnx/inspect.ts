/**
 * inspectOnnx: decodes the bytes of an ONNX file back into plain data (names, ops, attributes,
 * opset, IR version, metadata, input/output shapes, initializer shapes and optionally values) for
 * tests, the validation report and the UI. It checks the structure a runnable graph needs (IR
 * version, an opset import, a graph with inputs, outputs and typed nodes) and throws an OnnxError
 * naming the file otherwise; it does not check operator semantics (onnxruntime does that when
 * validateOnnx creates a session). Pure; any thread.
 */
import { errorMessage } from '../../engine/portable.js';
import type { OnnxTensorInfo } from '../../shared/types/onnx-report.js';
import { OnnxError } from './errors.js';
import { decodeModel, int64, type AttributeProto, type ModelProto, type TensorProto, type ValueInfoProto } from './proto.js';

export type { OnnxTensorInfo };

export type OnnxAttributeValue = number | string | number[] | string[] | null;

export interface OnnxNodeInfo {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, OnnxAttributeValue>;
}

export interface OnnxInitializerInfo {
  name: string;
  dims: number[];
  elemType: string;
  byteLength: number;
  /** Float32 values (decoded little-endian), when asked for with `withValues`. */
  values?: Float32Array;
}

export interface OnnxInspection {
  fileName: string;
  fileBytes: number;
  irVersion: number;
  opsets: { domain: string; version: number }[];
  /** Version of the default ("" / ai.onnx) domain. */
  opset: number | null;
  producerName: string;
  producerVersion: string;
  docString: string;
  graphName: string;
  inputs: OnnxTensorInfo[];
  outputs: OnnxTensorInfo[];
  nodes: OnnxNodeInfo[];
  initializers: OnnxInitializerInfo[];
  metadata: Record<string, string>;
}

const ELEM_TYPES: Record<number, string> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  14: 'complex64',
  15: 'complex128',
  16: 'bfloat16',
};
const utf8 = new TextDecoder();

export function elemTypeName(t: number | undefined): string {
  return ELEM_TYPES[t ?? 0] ?? `unknown(${t ?? 0})`;
}

export function inspectOnnx(bytes: Uint8Array, opts: { fileName?: string; withValues?: boolean } = {}): OnnxInspection {
  const fileName = opts.fileName ?? 'the ONNX model';
  const invalid = (reason: string, cause?: unknown) => new OnnxError(`${fileName} is not a valid ONNX model: ${reason}`, { cause });
  if (bytes.length === 0) throw invalid('the file is empty');
  let model: ModelProto;
  try {
    model = decodeModel(bytes);
  } catch (err) {
    throw invalid(`the protobuf does not decode (${errorMessage(err)}); the file is truncated or corrupted`, err);
  }
  const graph = model.graph;
  const irVersion = int64(model.ir_version);
  if (irVersion < 3) throw invalid(`missing or unsupported ir_version (${irVersion})`);
  if (!model.opset_import?.length) throw invalid('no opset_import');
  if (!graph) throw invalid('no graph');
  if (!graph.node?.length) throw invalid('the graph has no nodes');
  if (!graph.input?.length || !graph.output?.length) throw invalid('the graph has no inputs or no outputs');
  const opsets = model.opset_import.map((o) => ({ domain: o.domain ?? '', version: int64(o.version) }));
  const nodes = graph.node.map((n, i) => {
    if (!n.op_type) throw invalid(`node ${i} (${n.name ?? 'unnamed'}) has no op_type`);
    return {
      name: n.name ?? '',
      opType: n.op_type,
      domain: n.domain ?? '',
      inputs: n.input ?? [],
      outputs: n.output ?? [],
      attributes: Object.fromEntries((n.attribute ?? []).map((a) => [a.name ?? '', attributeValue(a)])),
    };
  });
  return {
    fileName,
    fileBytes: bytes.length,
    irVersion,
    opsets,
    opset: opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? null,
    producerName: model.producer_name ?? '',
    producerVersion: model.producer_version ?? '',
    docString: model.doc_string ?? '',
    graphName: graph.name ?? '',
    inputs: graph.input.map((v) => tensorInfo(v)),
    outputs: graph.output.map((v) => tensorInfo(v)),
    nodes,
    initializers: (graph.initializer ?? []).map((t) => initializerInfo(t, opts.withValues ?? false)),
    metadata: Object.fromEntries((model.metadata_props ?? []).map((p) => [p.key ?? '', p.value ?? ''])),
  };
}

function tensorInfo(v: ValueInfoProto): OnnxTensorInfo {
  const t = v.type?.tensor_type;
  return {
    name: v.name ?? '',
    elemType: elemTypeName(t?.elem_type),
    // Decoded messages hold defaults on their prototype: only own properties were on the wire.
    shape: (t?.shape?.dim ?? []).map((d) =>
      Object.hasOwn(d, 'dim_param') ? d.dim_param! : Object.hasOwn(d, 'dim_value') ? int64(d.dim_value) : null,
    ),
  };
}

function attributeValue(a: AttributeProto): OnnxAttributeValue {
  switch (a.type) {
    case 1:
      return a.f ?? 0;
    case 2:
      return int64(a.i);
    case 3:
      return a.s ? utf8.decode(a.s) : '';
    case 6:
      return a.floats ?? [];
    case 7:
      return (a.ints ?? []).map(int64);
    case 8:
      return (a.strings ?? []).map((s) => utf8.decode(s));
    default:
      return null; // tensors and graphs: not needed by this service
  }
}

function initializerInfo(t: TensorProto, withValues: boolean): OnnxInitializerInfo {
  const raw = t.raw_data;
  const byteLength = raw && raw.length > 0 ? raw.length : (t.float_data?.length ?? 0) * 4;
  const info: OnnxInitializerInfo = {
    name: t.name ?? '',
    dims: (t.dims ?? []).map(int64),
    elemType: elemTypeName(t.data_type),
    byteLength,
  };
  if (withValues && t.data_type === 1) {
    if (raw && raw.length > 0) {
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      const values = new Float32Array(raw.length >> 2);
      for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(i * 4, true);
      info.values = values;
    } else {
      info.values = Float32Array.from(t.float_data ?? []);
    }
  }
  return info;
}

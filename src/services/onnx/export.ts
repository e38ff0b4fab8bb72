/**
 * exportOnnx: a trained model (plan + parameter arena + batch-norm buffers) to the bytes of an
 * ONNX file, opset 17 / IR 8 unless asked otherwise. Deterministic: the same model, meta and
 * options give identical bytes (no timestamps, metadata sorted by key, fields encoded in field
 * number order by protobufjs). Runs in any thread; it only reads the model.
 */
import { ENGINE_VERSION } from '../../engine/index.js';
import { INPUT_NAME, buildGraph } from './layers.js';
import { docString, metadataProps, PRODUCER_NAME, type ExportableModel, type OnnxExportMeta } from './metadata.js';
import { DEFAULT_OPSET, irVersionFor } from './opset.js';
import { encodeModel, FLOAT, type ModelProto, type ValueInfoProto } from './proto.js';

export interface ExportOptions {
  /** ONNX opset (default 17). 20 and later write gelu as the native Gelu op. */
  opset?: number;
  /** Append Softmax (softmax head) or Sigmoid (sigmoid head); the output is then "probabilities". */
  probabilities?: boolean;
}

/** The symbolic batch dimension on every graph input and output. */
export const BATCH_DIM = 'batch';

export function exportOnnx(model: ExportableModel, meta: OnnxExportMeta, opts: ExportOptions = {}): Uint8Array {
  const opset = opts.opset ?? DEFAULT_OPSET;
  const irVersion = irVersionFor(opset);
  const { builder, outputName } = buildGraph(model, opset, opts.probabilities ?? false);
  const { plan } = model;
  const proto: ModelProto = {
    ir_version: irVersion,
    opset_import: [{ domain: '', version: opset }],
    producer_name: PRODUCER_NAME,
    producer_version: ENGINE_VERSION,
    doc_string: docString(model, meta, outputName),
    graph: {
      name: meta.graphName ?? 'ablate_mlp',
      node: builder.nodes,
      initializer: builder.initializers,
      input: [valueInfo(INPUT_NAME, plan.inputSize, 'preprocessed features, one row per example')],
      output: [valueInfo(outputName, plan.outputSize, outputName === 'probabilities' ? `${plan.head} of the logits` : '')],
    },
    metadata_props: metadataProps(model, meta, opset, outputName),
  };
  return encodeModel(proto);
}

function valueInfo(name: string, width: number, doc: string): ValueInfoProto {
  const info: ValueInfoProto = {
    name,
    type: { tensor_type: { elem_type: FLOAT, shape: { dim: [{ dim_param: BATCH_DIM }, { dim_value: width }] } } },
  };
  if (doc) info.doc_string = doc;
  return info;
}

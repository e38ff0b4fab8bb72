/**
 * Collects the nodes and initializers of one ONNX graph in emission order (which is a valid
 * topological order because the exporter emits layer by layer). Initializers are float32 tensors
 * with little-endian `raw_data`, copied out of the caller's arrays (which may be shared memory)
 * bit for bit, so NaN payloads and signed zeros survive and the bytes never depend on the host's
 * endianness. Scalar constants are deduplicated by name. Not thread-safe; one builder per export.
 */
import { endianness } from 'node:os';
import { OnnxError } from './errors.js';
import { ATTR_FLOAT, ATTR_INT, ATTR_STRING, FLOAT, type AttributeProto, type NodeProto, type TensorProto } from './proto.js';

export type AttrValue = { float: number } | { int: number } | { string: string };

const LITTLE_ENDIAN_HOST = endianness() === 'LE';
const utf8 = new TextEncoder();

export function floatRawData(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  if (LITTLE_ENDIAN_HOST) {
    out.set(new Uint8Array(values.buffer, values.byteOffset, values.length * 4));
  } else {
    const view = new DataView(out.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  }
  return out;
}

export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly names = new Set<string>();
  private readonly constants = new Map<string, number>();

  /** A float32 initializer named `name` with shape `dims` holding `values` (row-major). */
  tensor(name: string, dims: number[], values: Float32Array): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (values.length !== size)
      throw new OnnxError(`initializer ${name}: expected ${size} values for shape [${dims.join(', ')}], got ${values.length}`);
    this.claim(name);
    this.initializers.push({ name, dims, data_type: FLOAT, raw_data: floatRawData(values) });
    return name;
  }

  /** A scalar float32 constant shared by every node that uses it (e.g. `const.half`). */
  scalar(name: string, value: number): string {
    const existing = this.constants.get(name);
    if (existing !== undefined) {
      if (!Object.is(existing, Math.fround(value))) throw new OnnxError(`constant ${name} defined twice with different values`);
      return name;
    }
    this.constants.set(name, Math.fround(value));
    return this.tensor(name, [], Float32Array.of(value));
  }

  /** Adds a node whose name is also the name of its (single) output unless `output` is given. */
  node(opType: string, name: string, inputs: string[], attrs: Record<string, AttrValue> = {}, output = name, docString?: string): string {
    this.claim(output);
    const attribute: AttributeProto[] = Object.keys(attrs)
      .sort()
      .map((key) => attributeProto(key, attrs[key]));
    const node: NodeProto = { input: inputs, output: [output], name, op_type: opType, attribute };
    if (docString) node.doc_string = docString;
    this.nodes.push(node);
    return output;
  }

  /** Value names are unique in a graph (initializers and node outputs share one namespace). */
  private claim(name: string): void {
    if (this.names.has(name)) throw new OnnxError(`internal error: value name ${name} used twice in the exported graph`);
    this.names.add(name);
  }
}

function attributeProto(name: string, v: AttrValue): AttributeProto {
  if ('float' in v) return { name, type: ATTR_FLOAT, f: v.float };
  if ('int' in v) return { name, type: ATTR_INT, i: v.int };
  return { name, type: ATTR_STRING, s: utf8.encode(v.string) };
}

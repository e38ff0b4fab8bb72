/**
 * ONNX export without a runtime: the op mapping of every activation at opset 17 and 20, Gemm and
 * batch-norm attributes and initializers (names = plan names, raw little-endian bytes = the arena),
 * placement of batch norm and residual adds, no training-only nodes, symbolic batch dims, output
 * naming, metadata and doc string, byte-identical re-export, and clear errors on bad files.
 */
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, type ActivationName } from '../src/engine/config/types.js';
import { ENGINE_VERSION } from '../src/engine/version.js';
import { canonicalJson, canonicalSha256, exportOnnx, inspectOnnx, OnnxError, type OnnxInspection } from '../src/services/onnx/index.js';
import { train } from './fixtures/onnx/models.js';

const meta = { datasetName: 'spiral', classNames: ['a', 'b', 'c'], preprocessing: { kind: 'none' }, metrics: { valAccuracy: 0.5 } };

/** Op types of hidden layer 0's activation, in graph order. */
function activationOps(info: OnnxInspection): string[] {
  return info.nodes.filter((n) => n.name.startsWith('hidden.0.') && n.name !== 'hidden.0.linear').map((n) => n.opType);
}

describe('op mapping', () => {
  const expected17: Record<ActivationName, string[]> = {
    identity: [],
    sigmoid: ['Sigmoid'],
    tanh: ['Tanh'],
    relu: ['Relu'],
    leaky_relu: ['LeakyRelu'],
    elu: ['Elu'],
    gelu: ['Mul', 'Erf', 'Add', 'Mul', 'Mul'],
    gelu_tanh: ['Mul', 'Mul', 'Mul', 'Add', 'Mul', 'Tanh', 'Add', 'Mul', 'Mul'],
    selu: ['Selu'],
    softplus: ['Softplus'],
    silu: ['Sigmoid', 'Mul'],
    mish: ['Softplus', 'Tanh', 'Mul'],
  };
  for (const act of ACTIVATIONS) {
    it(`writes ${act} as ${expected17[act].join('/') || 'no node'} at opset 17 and as native ops at 20`, () => {
      const { model } = train([{ width: 6, activation: act }], 'softmax', { epochs: 1 });
      const at17 = inspectOnnx(exportOnnx(model, meta));
      expect(activationOps(at17)).toEqual(expected17[act]);
      const at20 = inspectOnnx(exportOnnx(model, meta, { opset: 20 }));
      const native = act === 'gelu' || act === 'gelu_tanh' ? ['Gelu'] : expected17[act];
      expect(activationOps(at20)).toEqual(native);
      if (native[0] === 'Gelu')
        expect(at20.nodes.find((n) => n.opType === 'Gelu')!.attributes.approximate).toBe(act === 'gelu' ? 'none' : 'tanh');
    });
  }

  it('writes a residual projection as a bias-free Gemm (transB) with P as stored, then Add', () => {
    const { model } = train([
      { width: 6, activation: 'relu', residual: true },
      { width: 6, activation: 'tanh', residual: true },
    ]);
    const info = inspectOnnx(exportOnnx(model, meta));
    const proj = info.nodes.find((n) => n.name === 'hidden.0.residual.projection')!;
    expect(proj.opType).toBe('Gemm');
    expect(proj.inputs).toEqual(['input', 'hidden.0.residual.weight']);
    expect(proj.attributes.transB).toBe(1);
    expect(info.nodes.find((n) => n.name === 'hidden.0.residual')!.inputs[0]).toBe('hidden.0.residual.projection');
    // Equal widths: the identity skip, no projection.
    expect(info.nodes.some((n) => n.name === 'hidden.1.residual.projection')).toBe(false);
  });

  it('carries leaky_relu and elu alphas and the selu constants as attributes', () => {
    const { model } = train([
      { width: 5, activation: 'leaky_relu', alpha: 0.2 },
      { width: 5, activation: 'elu', alpha: 0.5 },
      { width: 5, activation: 'selu' },
    ]);
    const nodes = inspectOnnx(exportOnnx(model, meta)).nodes;
    expect(nodes.find((n) => n.opType === 'LeakyRelu')!.attributes.alpha).toBeCloseTo(0.2, 7);
    expect(nodes.find((n) => n.opType === 'Elu')!.attributes.alpha).toBeCloseTo(0.5, 7);
    const selu = nodes.find((n) => n.opType === 'Selu')!.attributes;
    expect(selu.alpha).toBeCloseTo(1.6732632423543772, 6);
    expect(selu.gamma).toBeCloseTo(1.0507009873554805, 6);
  });

  it('writes Gemm(alpha 1, beta 1, transB 1) with the arena bytes as little-endian raw_data under the plan names', () => {
    const { model } = train([{ width: 7, activation: 'relu', batchNorm: 'pre' }], 'softmax', { epochs: 2 });
    const info = inspectOnnx(exportOnnx(model, meta), { withValues: true });
    const gemms = info.nodes.filter((n) => n.opType === 'Gemm');
    expect(gemms.map((n) => n.name)).toEqual(['hidden.0.linear', 'output.linear']);
    for (const g of gemms) expect(g.attributes).toEqual({ alpha: 1, beta: 1, transB: 1 });
    expect(gemms[0].inputs).toEqual(['input', 'hidden.0.linear.weight', 'hidden.0.linear.bias']);
    const byName = new Map(info.initializers.map((t) => [t.name, t]));
    for (const p of model.plan.params) {
      const t = byName.get(p.name)!;
      expect(t.dims).toEqual(p.shape);
      expect(t.elemType).toBe('float32');
      expect(t.values).toEqual(model.params.subarray(p.offset, p.offset + p.size));
    }
    for (const b of model.plan.buffers) expect(byName.get(b.name)!.values).toEqual(model.bnBuffers.subarray(b.offset, b.offset + b.size));
    expect(byName.get('hidden.0.linear.weight')!.dims).toEqual([7, 2]);
  });
});

describe('graph structure', () => {
  it('puts batch norm before the activation (pre) or after it (post) with eps 1e-5 and the running statistics', () => {
    const { model } = train([
      { width: 6, activation: 'tanh', batchNorm: 'pre' },
      { width: 6, activation: 'relu', batchNorm: 'post' },
    ]);
    const info = inspectOnnx(exportOnnx(model, meta));
    expect(info.nodes.map((n) => n.name)).toEqual([
      'hidden.0.linear',
      'hidden.0.bn',
      'hidden.0.tanh',
      'hidden.1.linear',
      'hidden.1.relu',
      'hidden.1.bn',
      'output.linear',
    ]);
    const bn = info.nodes.filter((n) => n.opType === 'BatchNormalization');
    expect(bn[0].inputs).toEqual([
      'hidden.0.linear',
      'hidden.0.bn.gamma',
      'hidden.0.bn.beta',
      'hidden.0.bn.running_mean',
      'hidden.0.bn.running_var',
    ]);
    expect(bn[1].inputs[0]).toBe('hidden.1.relu');
    for (const n of bn) expect(n.attributes.epsilon).toBeCloseTo(1e-5, 10);
  });

  it('contains no training-only nodes: dropout removed, batch norm with one output and no training_mode', () => {
    const { model } = train([
      { width: 8, activation: 'relu', dropout: 0.3, batchNorm: 'post' },
      { width: 8, activation: 'elu', dropout: 0.5, batchNorm: 'pre', residual: true },
    ]);
    const info = inspectOnnx(exportOnnx(model, meta, { probabilities: true }));
    const ops = info.nodes.map((n) => n.opType);
    expect(ops).not.toContain('Dropout');
    for (const n of info.nodes.filter((n) => n.opType === 'BatchNormalization')) {
      expect(n.outputs).toHaveLength(1);
      expect(n.attributes).not.toHaveProperty('training_mode');
    }
    expect(ops).toEqual(['Gemm', 'Relu', 'BatchNormalization', 'Gemm', 'BatchNormalization', 'Elu', 'Add', 'Gemm', 'Softmax']);
  });

  it('adds the residual input to the branch output', () => {
    const { model } = train([
      { width: 4, activation: 'relu' },
      { width: 4, activation: 'gelu', residual: true },
    ]);
    const add = inspectOnnx(exportOnnx(model, meta)).nodes.find((n) => n.opType === 'Add' && n.name === 'hidden.1.residual')!;
    expect(add.inputs).toEqual(['hidden.0.relu', 'hidden.1.gelu']);
  });

  it('gives every input and output a symbolic batch dimension and names the output after what it holds', () => {
    const cases = [
      { head: 'softmax', probabilities: false, name: 'logits', last: 'Gemm' },
      { head: 'softmax', probabilities: true, name: 'probabilities', last: 'Softmax' },
      { head: 'sigmoid', probabilities: false, name: 'logits', last: 'Gemm' },
      { head: 'sigmoid', probabilities: true, name: 'probabilities', last: 'Sigmoid' },
      { head: 'linear', probabilities: false, name: 'predictions', last: 'Gemm' },
    ] as const;
    for (const c of cases) {
      const { model } = train([{ width: 4, activation: 'relu' }], c.head, { epochs: 1 });
      const info = inspectOnnx(exportOnnx(model, { datasetName: 'd' }, { probabilities: c.probabilities }));
      expect(info.inputs).toEqual([{ name: 'input', elemType: 'float32', shape: ['batch', model.plan.inputSize] }]);
      expect(info.outputs).toEqual([{ name: c.name, elemType: 'float32', shape: ['batch', model.plan.outputSize] }]);
      expect(info.nodes.at(-1)!.opType).toBe(c.last);
      expect(info.nodes.at(-1)!.outputs).toEqual([c.name]);
      expect(info.metadata.output).toBe(c.name);
    }
    const { model } = train([{ width: 4, activation: 'relu' }], 'linear', { epochs: 1 });
    expect(() => exportOnnx(model, meta, { probabilities: true })).toThrow(/probabilities need a softmax or sigmoid head/);
  });

  it('writes opset 17 / IR 8 by default and the matching IR version for newer opsets', () => {
    const { model } = train([{ width: 4, activation: 'relu' }], 'softmax', { epochs: 1 });
    const irFor = (opset?: number) => inspectOnnx(exportOnnx(model, meta, { opset }));
    expect(irFor()).toMatchObject({ opset: 17, irVersion: 8, opsets: [{ domain: '', version: 17 }] });
    expect(irFor(18)).toMatchObject({ opset: 18, irVersion: 8 });
    expect(irFor(20)).toMatchObject({ opset: 20, irVersion: 9 });
    expect(irFor(21)).toMatchObject({ opset: 21, irVersion: 10 });
    expect(() => exportOnnx(model, meta, { opset: 16 })).toThrow(/opset 16 is not supported; choose one of 17, 18, 19, 20, 21/);
  });
});

describe('metadata and determinism', () => {
  it('records producer, config hash, seed, dataset, classes, preprocessing, metrics and opset, sorted by key', () => {
    const { model } = train([{ width: 5, activation: 'relu', dropout: 0.2 }]);
    const bytes = exportOnnx(model, { ...meta, runId: 'run-1', featureNames: ['x0', 'x1'] }, { probabilities: true });
    const info = inspectOnnx(bytes);
    expect(info.producerName).toBe('ablate');
    expect(info.producerVersion).toBe(ENGINE_VERSION);
    const keys = Object.keys(info.metadata);
    expect(keys).toEqual([...keys].sort());
    expect(keys).toEqual([
      'class_names',
      'config',
      'config_sha256',
      'dataset',
      'engine',
      'engine_version',
      'feature_names',
      'head',
      'input_preprocessing',
      'metrics',
      'opset',
      'output',
      'output_meaning',
      'run_id',
      'seed',
      'weights_sha256',
    ]);
    const m = info.metadata;
    expect(JSON.parse(m.config)).toEqual(JSON.parse(JSON.stringify(model.config)));
    expect(m.config_sha256).toBe(canonicalSha256(model.config));
    expect(m.config_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(m.seed).toBe(String(model.config.seed));
    expect(m.dataset).toBe('spiral');
    expect(JSON.parse(m.class_names)).toEqual(['a', 'b', 'c']);
    expect(JSON.parse(m.input_preprocessing)).toEqual({ kind: 'none' });
    expect(JSON.parse(m.metrics)).toEqual({ valAccuracy: 0.5 });
    expect(m.opset).toBe('17');
    expect(m.weights_sha256).toBe(model.weightsSha256);
    const recomputed = inspectOnnx(exportOnnx({ ...model, weightsSha256: undefined }, meta)).metadata.weights_sha256;
    expect(recomputed).toBe(model.weightsSha256);
    expect(info.docString).toContain('hidden.0: linear 2 -> 5, relu, dropout 0.2 in training (removed: identity at inference)');
    expect(info.docString).toContain('Output "probabilities": float32 [batch, 3], class probabilities');
    expect(info.docString).toContain('Classes, in output order: a, b, c.');
  });

  it('exports the same model twice to identical bytes, and different weights to different bytes', () => {
    const { model } = train([{ width: 6, activation: 'gelu_tanh', batchNorm: 'pre' }]);
    const a = exportOnnx(model, meta);
    const copy = { ...model, params: Float32Array.from(model.params), bnBuffers: Float32Array.from(model.bnBuffers) };
    const b = exportOnnx(copy, { ...meta, metrics: { valAccuracy: 0.5 } });
    expect(Buffer.from(b).equals(Buffer.from(a))).toBe(true);
    copy.params[0] += 1e-3;
    expect(Buffer.from(exportOnnx({ ...copy, weightsSha256: undefined }, meta)).equals(Buffer.from(a))).toBe(false);
  });

  it('hashes configs by a canonical JSON that ignores key order', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: undefined, c: 'x' }], e: NaN })).toBe('{"a":[1,{"c":"x"}],"b":1,"e":null}');
    expect(canonicalSha256({ x: 1, y: { b: 2, a: 1 } })).toBe(canonicalSha256({ y: { a: 1, b: 2 }, x: 1 }));
    expect(canonicalJson([undefined, 'é'])).toBe('[null,"é"]');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cyclic/);
  });

  it('rejects class names that do not match the classes', () => {
    const { model } = train([{ width: 4, activation: 'relu' }], 'softmax', { epochs: 1 });
    expect(() => exportOnnx(model, { datasetName: 'd', classNames: ['a', 'b'] })).toThrow(
      /2 class names given for a softmax head with 3 classes/,
    );
  });
});

describe('bad files', () => {
  const { model } = train([{ width: 6, activation: 'relu' }], 'softmax', { epochs: 1 });
  const bytes = exportOnnx(model, meta);

  it('names the file and says it is not a valid ONNX model when truncated, corrupted, empty or not ONNX', () => {
    const attempt = (b: Uint8Array) => () => inspectOnnx(b, { fileName: 'model.onnx' });
    expect(attempt(bytes.subarray(0, Math.floor(bytes.length / 2)))).toThrow(
      /^model\.onnx is not a valid ONNX model: .*truncated or corrupted/,
    );
    expect(attempt(new Uint8Array(0))).toThrow('model.onnx is not a valid ONNX model: the file is empty');
    expect(attempt(new TextEncoder().encode('{"not": "onnx"}'))).toThrow(/^model\.onnx is not a valid ONNX model/);
    const garbage = Uint8Array.from(bytes);
    for (let i = 0; i < 64; i++) garbage[i] = (i * 37 + 11) & 0xff;
    expect(attempt(garbage)).toThrow(OnnxError);
    expect(attempt(garbage)).toThrow(/^model\.onnx is not a valid ONNX model/);
  });
});

/**
 * Exported models run in onnxruntime-node and agree with the engine's eval-mode forward pass
 * within the stated tolerance (max abs error <= 1e-5 x output scale, scale = max |engine output|
 * floored at 1), with graph optimizations disabled and all on: every activation with batch norm
 * none/pre/post after training, alphas, residual blocks, every head with and without
 * probabilities, dynamic batch sizes 1/7/256, every supported opset. Mismatches fail with a clear
 * message; corrupted or ill-fitting files throw clear errors.
 */
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, BATCH_NORM_PLACEMENTS } from '../src/engine/config/types.js';
import {
  DEFAULT_TOLERANCE,
  exportOnnx,
  OnnxError,
  SUPPORTED_OPSETS,
  validateOnnx,
  type ValidationReport,
} from '../src/services/onnx/index.js';
import { decodeModel, encodeModel } from '../src/services/onnx/proto.js';
import { repeatRows, train } from './fixtures/onnx/models.js';

const meta = { datasetName: 'spiral' };

function expectPassed(report: ValidationReport): void {
  expect(report.failure).toBeNull();
  expect(report.passed).toBe(true);
  expect(report.levels.map((l) => l.optimization)).toEqual(['disabled', 'all']);
  expect(report.maxAbsError).toBeLessThanOrEqual(DEFAULT_TOLERANCE * report.tolerance.outputScale);
  expect(report.tolerance.outputScale).toBeGreaterThanOrEqual(1);
  for (const level of report.levels) for (const b of level.batches) expect(b.passed).toBe(true);
}

describe('every activation and batch-norm placement, trained, at opset 17 and 20', () => {
  for (const act of ACTIVATIONS) {
    for (const bn of BATCH_NORM_PLACEMENTS) {
      it(`${act} with batch norm ${bn}`, async () => {
        const { model, inputs } = train(
          [
            { width: 12, activation: act, batchNorm: bn, dropout: 0.1 },
            { width: 12, activation: act, batchNorm: bn, residual: true },
          ],
          'softmax',
          { epochs: 3 },
        );
        if (bn !== 'none') {
          const rm = model.plan.hidden[0].bn!.runningMean;
          const stats = model.bnBuffers.subarray(rm.offset, rm.offset + rm.size);
          expect(stats.some((v) => Math.abs(v) > 1e-3)).toBe(true); // running statistics were trained
        }
        for (const opset of [17, 20]) {
          const report = await validateOnnx(exportOnnx(model, meta, { opset }), model, inputs);
          expectPassed(report);
          expect(report.opset).toBe(opset);
          expect(report.argmaxAgreement).toBe(1);
          expect(report.levels[0].batches.map((b) => b.rows)).toEqual([1, inputs.rows]);
        }
      });
    }
  }
});

describe('layer options and heads', () => {
  it('agrees with leaky_relu and elu alphas other than the defaults', async () => {
    const { model, inputs } = train([
      { width: 10, activation: 'leaky_relu', alpha: 0.3, batchNorm: 'pre' },
      { width: 10, activation: 'elu', alpha: 0.4, batchNorm: 'post' },
      { width: 10, activation: 'leaky_relu', alpha: 0, residual: true },
    ]);
    expectPassed(await validateOnnx(exportOnnx(model, meta), model, inputs));
  });

  it('agrees with residual projections across widths (trained P)', async () => {
    const { model, inputs } = train([
      { width: 12, activation: 'silu', residual: true },
      { width: 7, activation: 'mish', batchNorm: 'pre', residual: true },
      { width: 7, activation: 'relu', residual: true },
    ]);
    expectPassed(await validateOnnx(exportOnnx(model, meta), model, inputs));
  });

  for (const head of ['softmax', 'sigmoid', 'linear'] as const) {
    for (const probabilities of head === 'linear' ? [false] : [false, true]) {
      it(`agrees for a ${head} head ${probabilities ? 'with' : 'without'} probabilities`, async () => {
        const { model, inputs } = train(
          [
            { width: 16, activation: 'selu', batchNorm: 'post' },
            { width: 16, activation: 'tanh', residual: true, dropout: 0.2 },
          ],
          head,
          { epochs: 4 },
        );
        const report = await validateOnnx(exportOnnx(model, meta, { probabilities }), model, inputs);
        expectPassed(report);
        expect(report.head).toBe(head);
        expect(report.outputs[0].name).toBe(head === 'linear' ? 'predictions' : probabilities ? 'probabilities' : 'logits');
        if (head === 'linear') expect(report.argmaxAgreement).toBeNull();
        else expect(report.argmaxAgreement).toBe(1);
        if (probabilities) expect(report.tolerance.outputScale).toBe(1);
      });
    }
  }

  it('agrees on large inputs where softplus and exp-based activations saturate', async () => {
    const { model, inputs } = train([
      { width: 8, activation: 'softplus' },
      { width: 8, activation: 'elu' },
      { width: 8, activation: 'sigmoid' },
    ]);
    const big = { x: inputs.x.map((v) => v * 60), rows: inputs.rows };
    expectPassed(await validateOnnx(exportOnnx(model, meta), model, big));
  });
});

describe('batches and opsets', () => {
  it('runs dynamic batch sizes 1, 7 and 256 from one file', async () => {
    const { model, inputs } = train([
      { width: 32, activation: 'gelu', batchNorm: 'pre' },
      { width: 32, activation: 'relu', batchNorm: 'post', residual: true },
    ]);
    const many = repeatRows(inputs, 2, 256);
    const report = await validateOnnx(exportOnnx(model, meta, { probabilities: true }), model, many, { batchSizes: [256, 1, 7] });
    expectPassed(report);
    for (const level of report.levels) {
      expect(level.batches.map((b) => b.rows)).toEqual([1, 7, 256]);
      expect(level.batches.map((b) => b.outputShape)).toEqual([
        [1, 3],
        [7, 3],
        [256, 3],
      ]);
    }
    expect(report.inputs[0].shape).toEqual(['batch', 2]);
  });

  it(`loads and agrees at every supported opset (${SUPPORTED_OPSETS.join(', ')})`, async () => {
    const { model, inputs } = train([
      { width: 8, activation: 'gelu' },
      { width: 8, activation: 'gelu_tanh', batchNorm: 'pre' },
    ]);
    for (const opset of SUPPORTED_OPSETS) {
      const report = await validateOnnx(exportOnnx(model, meta, { opset }), model, inputs);
      expectPassed(report);
      expect(report.opset).toBe(opset);
    }
  });
});

describe('failures', () => {
  const { model, inputs } = train([{ width: 8, activation: 'relu', batchNorm: 'pre' }]);
  const bytes = exportOnnx(model, meta);

  it('fails with the location and size of the error when the file does not compute the model', async () => {
    const other = { ...model, params: Float32Array.from(model.params) };
    other.params[model.plan.output.bias.offset + 1] += 0.5;
    const report = await validateOnnx(bytes, other, inputs, { fileName: 'run-7.onnx' });
    expect(report.passed).toBe(false);
    expect(report.failure).toMatch(
      /^run-7\.onnx: onnxruntime \(graph optimizations disabled, batch 1\) differs from the engine by 5\.00\de-1 at row 0, output 1 .*; the tolerance is 0\.00001 x output scale/,
    );
    expect(report.levels[0].batches[0].worst).toMatchObject({ row: 0, column: 1 });
  });

  it('throws a clear error for a truncated or corrupted file', async () => {
    await expect(validateOnnx(bytes.subarray(0, 100), model, inputs, { fileName: 'model.onnx' })).rejects.toThrow(
      /^model\.onnx is not a valid ONNX model: /,
    );
    const proto = decodeModel(bytes);
    proto.graph!.node![0].op_type = 'NoSuchOp';
    await expect(validateOnnx(encodeModel(proto), model, inputs, { fileName: 'model.onnx' })).rejects.toThrow(
      /^model\.onnx is not a valid ONNX model: onnxruntime refused it \(.*NoSuchOp/,
    );
  });

  it('refuses files and inputs that do not fit the model', async () => {
    const { model: wide } = train([{ width: 8, activation: 'relu' }], 'linear', { epochs: 1 });
    await expect(validateOnnx(bytes, wide, inputs)).rejects.toThrow(
      /model\.onnx does not fit the model: its input is float32 \[batch, 2\], the model takes float32 \[batch, 3\]/,
    );
    await expect(validateOnnx(bytes, model, { x: inputs.x, rows: 0 })).rejects.toThrow(OnnxError);
    await expect(validateOnnx(bytes, model, { x: inputs.x.subarray(0, 3), rows: 2 })).rejects.toThrow(
      /2 rows of 2 features need 4 values, got 3/,
    );
    await expect(validateOnnx(bytes, model, inputs, { batchSizes: [inputs.rows + 1] })).rejects.toThrow(
      /batch size \d+ must be an integer from 1/,
    );
  });
});

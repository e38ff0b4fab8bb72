/**
 * exportAndValidate on disk: a model trained a few epochs is written as <name>.onnx plus
 * <name>.validation.json (crash-safely, no temporary files left), the report describes that exact
 * file, re-exporting gives the same bytes, and a failed validation leaves no .onnx claiming
 * success (an older one at the path is removed) but does leave the failing report.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportAndValidate, inspectOnnx, OnnxError, OnnxValidationError, type ValidationReport } from '../src/services/onnx/index.js';
import { pixelInputs, mnistSizedModel } from '../src/bench/onnx.js';
import { train } from './fixtures/onnx/models.js';

const dir = mkdtempSync(join(tmpdir(), 'ablate-onnx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const meta = {
  datasetName: 'spiral',
  classNames: ['arm 0', 'arm 1', 'arm 2'],
  preprocessing: { kind: 'standardize', mean: [0.01, -0.02], std: [0.5, 0.49] },
};

describe('exportAndValidate', () => {
  it('exports a model trained for a few epochs and writes the model and its report side by side', async () => {
    const { model, inputs, finalValLoss } = train(
      [
        { width: 24, activation: 'relu', batchNorm: 'pre', dropout: 0.1 },
        { width: 24, activation: 'gelu', batchNorm: 'post', residual: true },
      ],
      'softmax',
      { epochs: 8 },
    );
    const outPath = join(dir, 'runs', 'r1', 'model.onnx');
    const metrics = { valLoss: finalValLoss };
    const { path, reportPath, report } = await exportAndValidate(model, { ...meta, metrics }, { outPath, inputs, probabilities: true });
    expect(path).toBe(outPath);
    expect(reportPath).toBe(join(dir, 'runs', 'r1', 'model.validation.json'));
    expect(readdirSync(join(dir, 'runs', 'r1')).sort()).toEqual(['model.onnx', 'model.validation.json']);

    const bytes = readFileSync(outPath);
    const onDisk = JSON.parse(readFileSync(reportPath, 'utf8')) as ValidationReport;
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(report)));
    expect(onDisk).toMatchObject({
      format: 'ablate-onnx-validation',
      formatVersion: 1,
      file: 'model.onnx',
      fileBytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      opset: 17,
      irVersion: 8,
      producer: { name: 'ablate' },
      inputs: [{ name: 'input', elemType: 'float32', shape: ['batch', 2] }],
      outputs: [{ name: 'probabilities', elemType: 'float32', shape: ['batch', 3] }],
      head: 'softmax',
      runtime: { name: 'onnxruntime-node', executionProvider: 'cpu' },
      tolerance: { relative: 1e-5, outputScale: 1, maxAbsError: 1e-5 },
      argmaxAgreement: 1,
      passed: true,
      failure: null,
    });
    expect(onDisk.timings.exportMs).toBeGreaterThan(0);
    expect(onDisk.levels).toHaveLength(2);

    const info = inspectOnnx(bytes);
    expect(JSON.parse(info.metadata.input_preprocessing)).toEqual(meta.preprocessing);
    expect(JSON.parse(info.metadata.metrics)).toEqual(metrics);

    const again = await exportAndValidate(model, { ...meta, metrics }, { outPath, inputs, probabilities: true });
    expect(readFileSync(again.path).equals(bytes)).toBe(true);
  });

  it('leaves no .onnx claiming success when validation fails, and writes the failing report', async () => {
    // A 784-wide dot product summed in float32 by onnxruntime and in float64 by the engine cannot
    // agree to 1e-12 of the output scale: this forces the failure path with a real comparison.
    const model = mnistSizedModel(3);
    const inputs = pixelInputs(8, 784);
    const outPath = join(dir, 'failing', 'model.onnx');
    const digits = { datasetName: 'bench' };
    await exportAndValidate(model, digits, { outPath, inputs });
    expect(existsSync(outPath)).toBe(true);
    const err = await exportAndValidate(model, digits, { outPath, inputs, tolerance: 1e-12 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OnnxValidationError);
    const v = err as OnnxValidationError;
    expect(v.message).toMatch(
      /^ONNX export failed validation: model\.onnx: onnxruntime \(graph optimizations disabled, batch 1\) differs from the engine by/,
    );
    expect(v.message).toMatch(/No model was written; the report is in .*model\.validation\.json$/);
    expect(v.report.passed).toBe(false);
    expect(existsSync(outPath)).toBe(false);
    const report = JSON.parse(readFileSync(join(dir, 'failing', 'model.validation.json'), 'utf8')) as ValidationReport;
    expect(report.passed).toBe(false);
    expect(report.failure).toBe(v.report.failure);
    expect(readdirSync(join(dir, 'failing'))).toEqual(['model.validation.json']);
  });

  it('refuses an output path that does not end in .onnx', async () => {
    const { model, inputs } = train([{ width: 4, activation: 'relu' }], 'softmax', { epochs: 1 });
    await expect(exportAndValidate(model, meta, { outPath: join(dir, 'model.bin'), inputs })).rejects.toThrow(OnnxError);
    await expect(exportAndValidate(model, meta, { outPath: join(dir, 'model.bin'), inputs })).rejects.toThrow(/must end in \.onnx/);
  });

  it('reports a file it cannot write with the path', async () => {
    const { model, inputs } = train([{ width: 4, activation: 'relu' }], 'softmax', { epochs: 1 });
    const blocker = join(dir, 'blocker');
    writeFileSync(blocker, 'a file where a directory should be');
    const attempt = exportAndValidate(model, meta, { outPath: join(blocker, 'sub', 'model.onnx'), inputs });
    await expect(attempt).rejects.toThrow(OnnxError);
    await expect(exportAndValidate(model, meta, { outPath: join(blocker, 'sub', 'model.onnx'), inputs })).rejects.toThrow(
      /^could not create the folder .*blocker\/sub: /,
    );
  });

  it('leaves no .onnx behind when its report cannot be written (a folder in the way), nor an earlier one', async () => {
    const { model, inputs } = train([{ width: 4, activation: 'relu' }], 'softmax', { epochs: 1 });
    const out = join(dir, 'report-blocked');
    const outPath = join(out, 'model.onnx');
    await exportAndValidate(model, meta, { outPath, inputs }); // an earlier export, then its report is replaced by a folder
    rmSync(join(out, 'model.validation.json'));
    mkdirSync(join(out, 'model.validation.json', 'inside'), { recursive: true });
    const err = await exportAndValidate(model, meta, { outPath, inputs }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OnnxError);
    expect((err as Error).message).toContain(join(out, 'model.validation.json'));
    expect(readdirSync(out).filter((n) => !n.startsWith('.'))).toEqual(['model.validation.json']); // the folder, no model
    expect(readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]); // no temp files either
  });
});

/**
 * How onnxruntime-node is loaded: not when the service is imported (lazily, on first use), its
 * native binding exactly once per process however many validations run, and never in a worker
 * thread (the loader refuses there with a clear error). The native load is observed through
 * process.dlopen, which Node uses for every .node addon.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const nativeLoads: string[] = [];
const originalDlopen = process.dlopen.bind(process);
process.dlopen = ((module: object, filename: string, flags?: number) => {
  if (filename.includes('onnxruntime')) nativeLoads.push(filename);
  return flags === undefined ? originalDlopen(module, filename) : originalDlopen(module, filename, flags);
}) as typeof process.dlopen;

describe('loading onnxruntime', () => {
  it('loads the native binding lazily, once per process', async () => {
    const onnx = await import('../src/services/onnx/index.js');
    const { train } = await import('./fixtures/onnx/models.js');
    expect(nativeLoads).toEqual([]);
    const first = onnx.loadOnnxRuntime();
    expect(onnx.loadOnnxRuntime()).toBe(first);
    const ort = await first;
    expect(nativeLoads).toHaveLength(1);
    expect(nativeLoads[0]).toMatch(/onnxruntime_binding\.node$/);

    const { model, inputs } = train([{ width: 4, activation: 'relu' }], 'softmax', { epochs: 1 });
    for (let i = 0; i < 3; i++) {
      const report = await onnx.validateOnnx(onnx.exportOnnx(model, { datasetName: 'd' }), model, inputs);
      expect(report.passed).toBe(true);
      expect(report.timings.runtimeLoadMs).toBe(0);
    }
    expect(await onnx.loadOnnxRuntime()).toBe(ort);
    expect(nativeLoads).toHaveLength(1);
  });

  it('refuses to load in a worker thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ablate-onnx-worker-'));
    try {
      const runtimePath = new URL('../src/services/onnx/runtime.ts', import.meta.url).pathname;
      const bundle = await build({
        stdin: {
          contents: `import { parentPort } from 'node:worker_threads';
            import { loadOnnxRuntime } from ${JSON.stringify(runtimePath)};
            loadOnnxRuntime().then(() => parentPort.postMessage('loaded'), (e) => parentPort.postMessage(e.name + ': ' + e.message));`,
          resolveDir: dir,
          loader: 'ts',
        },
        bundle: true,
        format: 'esm',
        platform: 'node',
        external: ['onnxruntime-node'],
        write: false,
      });
      const file = join(dir, 'worker.mjs');
      writeFileSync(file, bundle.outputFiles[0].text);
      const message = await new Promise<string>((resolve, reject) => {
        const worker = new Worker(file);
        worker.once('message', (m: string) => void worker.terminate().then(() => resolve(m)));
        worker.once('error', reject);
      });
      expect(message).toBe('OnnxError: onnxruntime is loaded only on the main thread, not in worker threads');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

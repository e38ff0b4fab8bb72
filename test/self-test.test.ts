/**
 * The packaged app's self-test path, run in plain Node with the compiled worker: pool, one epoch
 * on the embedded MNIST digits, ONNX export validated in onnxruntime, a JSON report.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runSelfTest } from '../src/services/self-test.js';

describe('self-test', () => {
  it('trains, exports and validates, and reports ok', async () => {
    const { ok, report } = await runSelfTest({
      workerPath: fileURLToPath(new URL('../out/engine/worker.js', import.meta.url)),
      embeddedDir: fileURLToPath(new URL('../resources/runtime/mnist', import.meta.url)),
    });
    expect(report).toMatchObject({ training: { status: 'completed' }, onnx: { passed: true, opset: 17 } });
    expect(ok).toBe(true);
    expect((report as { training: { valAccuracy: number } }).training.valAccuracy).toBeGreaterThan(0.6);
  });

  it('reports the failing step instead of throwing', async () => {
    const { ok, report } = await runSelfTest({
      workerPath: fileURLToPath(new URL('../out/engine/worker.js', import.meta.url)),
      embeddedDir: '/nonexistent/mnist',
    });
    expect(ok).toBe(false);
    expect(report).toMatchObject({ failedStep: 'train one epoch on the embedded MNIST digits' });
    expect((report as { error: string }).error).toMatch(/nonexistent/);
  });
});

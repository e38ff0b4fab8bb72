/**
 * Cost of the diagnostics probes at their default frequency: the same reference training (batch
 * 128, one worker, fastest kernels) with and without diagnostics, interleaved twice to cancel
 * drift; overhead = 1 - with / without.
 */
import { availableKernelSets, DEFAULT_DIAGNOSTICS, type KernelSetName, WorkerPool } from '../engine/index.js';
import { REFERENCE_INPUT_DIM } from './peers/reference-mlp.js';
import { referenceConfig } from './train.js';

export async function benchDiagnostics(o: { workerPath: string; features: Float32Array; labels: Int32Array; seconds: number }) {
  const kernels: KernelSetName = availableKernelSets().includes('wasm') ? 'wasm' : 'naive';
  const pool = new WorkerPool({ workerPath: o.workerPath, size: 1 });
  pool.addDataset('mnist', { features: o.features, d: REFERENCE_INPUT_DIM, labels: o.labels, values: null, width: 1 });
  const rows = kernels === 'wasm' ? Math.min(o.labels.length, 8192) : 1024;
  const train = Int32Array.from({ length: rows }, (_, i) => i);
  const validation = Int32Array.from({ length: Math.min(1000, o.labels.length - rows) }, (_, i) => rows + i);
  const speed = async (diagnostics: boolean) => {
    const r = await pool.submit({
      config: referenceConfig(128, 3),
      datasetId: 'mnist',
      train,
      validation,
      test: new Int32Array(0),
      threads: 1,
      kernels,
      diagnostics: diagnostics ? DEFAULT_DIAGNOSTICS : null,
    }).result;
    const measured = r.outcome.epochs.slice(1);
    return (measured.reduce((a, e) => a + e.steps, 0) * 128) / measured.reduce((a, e) => a + e.seconds, 0);
  };
  try {
    let without = 0;
    let withDiag = 0;
    for (let i = 0; i < 2; i++) {
      without += await speed(false);
      withDiag += await speed(true);
    }
    return {
      kernels,
      everySteps: DEFAULT_DIAGNOSTICS.everySteps,
      without: without / 2,
      with: withDiag / 2,
      overhead: 1 - withDiag / without,
    };
  } finally {
    await pool.shutdown();
  }
}

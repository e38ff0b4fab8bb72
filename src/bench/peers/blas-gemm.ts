/**
 * The single-thread SGEMM peer of the GEMM benchmark: the same core's OpenBLAS (through torch,
 * the BLAS PyTorch trains with) on the three products of each layer shape, run as a child process
 * (openblas_gemm.py, beside this file) with one BLAS thread and the environment PyTorch is measured in (its
 * best kernels: peerEnvironment). Resolves to the rows, or to { skipped, note } without a
 * Python that imports torch. Rejects when the script fails: a broken peer must be seen.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { findBenchScript, findTorchPython, peerEnvironment } from './pytorch.js';

const run = promisify(execFile);

export interface BlasGemmRow {
  rows: number;
  in: number;
  out: number;
  product: 'forward' | 'dX' | 'dW';
  gflops: number;
}

export async function benchBlasGemm(
  shapes: [number, number, number][],
): Promise<{ blas: string; rows: BlasGemmRow[] } | { skipped: true; note: string }> {
  const python = await findTorchPython();
  if (python === null) return { skipped: true, note: 'OpenBLAS GEMM skipped: no Python with torch' };
  const env = { ...(await peerEnvironment(python)).env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' };
  const arg = shapes.map((s) => s.join(':')).join(',');
  const { stdout } = await run(python, [findBenchScript('openblas_gemm.py'), arg], { env, timeout: 600_000, maxBuffer: 1 << 20 });
  const out = JSON.parse(stdout) as { torch: string; blas: string; results: BlasGemmRow[] };
  return { blas: `${out.blas} via torch ${out.torch}`, rows: out.results };
}

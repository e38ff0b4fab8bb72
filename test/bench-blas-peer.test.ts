/**
 * The OpenBLAS GEMM peer's request protocol (peers/blas-gemm.ts driving peers/openblas_gemm.py):
 * one trial per request, a bad request answered with an error that names it, the process still
 * serving afterwards. Skipped without a Python that imports torch.
 */
import { describe, expect, it } from 'vitest';
import { openBlasPeer, type Product } from '../src/bench/peers/blas-gemm.js';
import { findTorchPython } from '../src/bench/peers/pytorch.js';

const python = await findTorchPython();

describe.skipIf(python === null)('OpenBLAS GEMM peer over stdin', () => {
  it('answers calibrations and trials, and names a bad request without dying', { timeout: 180_000 }, async () => {
    const peer = await openBlasPeer();
    if ('skipped' in peer) throw new Error(peer.note);
    try {
      expect(peer.description).toMatch(/via torch .*1 thread/);
      await peer.shape(16, 8, 4);
      const reps = await peer.calibrate('dW', 0, 1);
      expect(reps).toBeGreaterThanOrEqual(1);
      expect(await peer.trial('dW', reps)).toBeGreaterThan(0);
      await expect(peer.trial('dZ' as Product, 1)).rejects.toThrow(/OpenBLAS GEMM peer: bad request .*dZ/);
      expect(await peer.trial('forward', 1)).toBeGreaterThanOrEqual(0);
    } finally {
      await peer.close();
    }
  });
});

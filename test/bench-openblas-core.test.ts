import { describe, expect, it } from 'vitest';
import { coreFromDescription, openblasCoreOverride } from '../src/bench/peers/openblas-core.js';

// Flags as /proc/cpuinfo lists them on three real CPUs (abridged to the ones that decide).
const EMERALD_RAPIDS = new Set(['sse3', 'avx', 'avx2', 'fma', 'avx512f', 'avx512dq', 'avx512cd', 'avx512bw', 'avx512vl', 'avx512_fp16']);
const ZEN2 = new Set(['sse3', 'avx', 'avx2', 'fma']);
const SANDY_BRIDGE = new Set(['sse3', 'avx']);

describe('OpenBLAS core override for the PyTorch peer', () => {
  it('gives an AVX-512 CPU that OpenBLAS took for a Prescott the SkylakeX kernels', () => {
    expect(openblasCoreOverride('Prescott', EMERALD_RAPIDS)).toBe('SkylakeX');
    expect(openblasCoreOverride('Haswell', EMERALD_RAPIDS)).toBe('SkylakeX');
  });

  it("leaves OpenBLAS's own choice where it already uses what the CPU has", () => {
    expect(openblasCoreOverride('Cooperlake', EMERALD_RAPIDS)).toBeNull();
    expect(openblasCoreOverride('SkylakeX', EMERALD_RAPIDS)).toBeNull();
    expect(openblasCoreOverride('Zen', ZEN2)).toBeNull();
    expect(openblasCoreOverride('Sandybridge', SANDY_BRIDGE)).toBeNull();
  });

  it('gives an AVX2 CPU taken for an older core the Haswell kernels, never AVX-512 ones', () => {
    expect(openblasCoreOverride('Prescott', ZEN2)).toBe('Haswell');
    expect(openblasCoreOverride('Prescott', SANDY_BRIDGE)).toBeNull();
  });

  it("reads the core from pytorch_mlp.py's BLAS description", () => {
    expect(coreFromDescription('OpenBLAS 0.3.21 NO_LAPACKE (Prescott kernels, MAX_THREADS=64)')).toBe('Prescott');
    expect(coreFromDescription('libblas.so.3')).toBeNull();
  });
});

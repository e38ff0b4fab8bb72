/**
 * Which OpenBLAS kernels the peers run with. OpenBLAS picks its kernels from the CPU's family and
 * model; a CPU newer than the library falls back to its oldest x86-64 kernels. Debian's 0.3.21
 * takes an Emerald Rapids Xeon (family 6, model 207, AVX-512) for a Prescott (SSE3): PyTorch then
 * trains the reference MLP 3 to 4 times slower than with the AVX-512 SkylakeX kernels (measured
 * 2026-12-06: 9,900 against 33,900 samples/s at batch 128, 2 threads). A peer measured that way is
 * not PyTorch at its best, so where the detected core lacks what the CPU has, the peers are run
 * with OPENBLAS_CORETYPE naming the best kernels the CPU's flags support, and the note says so.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** OpenBLAS core names whose kernels use AVX-512 or AVX2 with FMA (x86-64, 0.3.x). */
const AVX512_CORES = new Set(['SkylakeX', 'Cooperlake', 'SapphireRapids']);
const AVX2_CORES = new Set([...AVX512_CORES, 'Haswell', 'Zen']);
const AVX512_FLAGS = ['avx512f', 'avx512bw', 'avx512dq', 'avx512vl', 'avx512cd'];
const AVX2_FLAGS = ['avx2', 'fma'];

/**
 * The OPENBLAS_CORETYPE to set, or null to leave OpenBLAS's own choice: SkylakeX when the CPU has
 * the AVX-512 subsets SkylakeX's kernels use and the detected core has no AVX-512 kernels, Haswell
 * when it has AVX2 and FMA and the detected core has neither.
 */
export function openblasCoreOverride(detected: string, cpuFlags: ReadonlySet<string>): string | null {
  const has = (flags: string[]) => flags.every((f) => cpuFlags.has(f));
  if (has(AVX512_FLAGS) && !AVX512_CORES.has(detected)) return 'SkylakeX';
  if (has(AVX2_FLAGS) && !AVX2_CORES.has(detected)) return 'Haswell';
  return null;
}

/** The core name inside pytorch_mlp.py's BLAS description: "OpenBLAS 0.3.21 ... (Prescott kernels, ...)". */
export function coreFromDescription(blas: string): string | null {
  return /\((\w+) kernels/.exec(blas)?.[1] ?? null;
}

/** The first CPU's flags from /proc/cpuinfo; empty where there is none (not Linux). */
export async function cpuFlags(): Promise<Set<string>> {
  const text = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const line = /^flags\s*:(.*)$/m.exec(text)?.[1] ?? '';
  return new Set(line.trim().split(/\s+/).filter(Boolean));
}

/**
 * The core OpenBLAS detects when torch loads it under `env`, by running pytorch_mlp.py's own
 * description function; null when the BLAS is not OpenBLAS.
 */
export async function detectedOpenblasCore(python: string, script: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  const code = `import sys; sys.path.insert(0, ${JSON.stringify(path.dirname(script))}); import torch; from pytorch_mlp import blas_description; print(blas_description())`;
  const { stdout } = await run(python, ['-c', code], { env, timeout: 120_000 });
  return coreFromDescription(stdout.trim());
}

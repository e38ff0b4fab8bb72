/**
 * PyTorch (CPU) peer of the reference benchmark (reference-mlp.ts), run as a child process
 * (pytorch_mlp.py, beside this file) on exactly the caller's data, with 1 and with 2 threads.
 *
 * Contract: benchPytorchBatches(data, batches, opts) resolves to { samplesPerSec1, samplesPerSec2,
 * best, threadsBest, othersCpu1, othersCpu2, note } per batch size, or to { skipped: true, note }
 * when no Python can `import torch` (tried: /usr/bin/python3, where Debian's python3-torch lives,
 * then `python3` on PATH). It rejects when torch is there but the run fails: a broken peer should
 * be seen, not quietly dropped. The data goes through a temporary file (n*784 little-endian
 * float32, then n int32), deleted afterwards.
 *
 * PyTorch is measured at its best, or the comparison flatters Ablate; the child's environment
 * (and only the child's) differs from ours in the ways listed in pytorchEnvironment() and peerEnvironment().
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cpuFlags, detectedOpenblasCore, openblasCoreOverride } from './openblas-core.js';
import {
  BUSY_CPU_SHARE,
  DEFAULT_BENCH_SECONDS,
  DEFAULT_WARMUP_STEPS,
  REFERENCE_INPUT_DIM,
  referenceBatchCount,
  referenceSampleCount,
  type PeerBenchOptions,
  type ReferenceData,
} from './reference-mlp.js';

const run = promisify(execFile);

export interface PytorchResult {
  samplesPerSec1: number;
  samplesPerSec2: number;
  best: number;
  threadsBest: 1 | 2;
  /** Share of all CPUs (0..1) that other processes used during the 1-thread and 2-thread runs. */
  othersCpu1: number;
  othersCpu2: number;
  note: string;
}

export interface PytorchSkipped {
  skipped: true;
  note: string;
}

const PYTHON_CANDIDATES = ['/usr/bin/python3', 'python3'];
/** glibc's malloc thresholds, raised far above any buffer here (see pytorchEnvironment). */
const MALLOC_THRESHOLD = '4294967296';

/**
 * The child's environment: ours, except that
 * - OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed: set on this machine for older OpenBLAS
 *   builds, they pin 0.3.21 to its AVX2 Haswell kernels: about 100 SGEMM GFLOP/s on one core here
 *   against 150 to 180 with the AVX-512 (Cooperlake) kernels it picks without them. The script
 *   checks SGEMM against float64 before it measures anything;
 * - MALLOC_MMAP_THRESHOLD_ and MALLOC_TRIM_THRESHOLD_ are 4 GiB: otherwise glibc serves each
 *   step's fresh megabyte-sized tensors with mmap and gives them back to the kernel, so every
 *   step page-faults its buffers in again: 100 to 500 faults per step here, and at batch 32 a
 *   step then costs 2.7 times the CPU time (1.3 to 1.4 times at 128 and 512). glibc 2.36 takes
 *   the values above its 32 MiB mallopt cap from these variables (checked: a 40 MiB malloc then
 *   comes from the heap).
 * Thread placement is left to OpenMP's defaults: OMP_PROC_BIND=true made no difference on an idle
 * machine here. What does matter is that the machine be idle: on 2 cores, PyTorch with 2 OpenMP
 * threads slows down 10 to 50 times as soon as another process takes a core (each parallel region
 * waits for the descheduled thread), so every result carries the share of CPU that other
 * processes used meanwhile.
 */
export function pytorchEnvironment(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  env.MALLOC_MMAP_THRESHOLD_ = MALLOC_THRESHOLD;
  env.MALLOC_TRIM_THRESHOLD_ = MALLOC_THRESHOLD;
  return env;
}
const ENVIRONMENT_NOTE = 'env: OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset, MALLOC_MMAP/TRIM_THRESHOLD_=4GiB';

let peerEnvironmentPromise: Promise<{ env: NodeJS.ProcessEnv; note: string }> | null = null;

/**
 * pytorchEnvironment(), plus OPENBLAS_CORETYPE where OpenBLAS mistakes this CPU for an older one
 * (openblas-core.ts), with the note that says which; worked out once per process.
 */
export function peerEnvironment(python: string): Promise<{ env: NodeJS.ProcessEnv; note: string }> {
  peerEnvironmentPromise ??= (async () => {
    const env = pytorchEnvironment();
    const detected = await detectedOpenblasCore(python, findBenchScript('pytorch_mlp.py'), env);
    const core = detected === null ? null : openblasCoreOverride(detected, await cpuFlags());
    if (core === null) return { env, note: ENVIRONMENT_NOTE };
    return {
      env: { ...env, OPENBLAS_CORETYPE: core },
      note: `env: OPENBLAS_CORETYPE=${core} (OpenBLAS alone took this CPU for ${detected}), OPENBLAS_L2_SIZE unset, MALLOC_MMAP/TRIM_THRESHOLD_=4GiB`,
    };
  })();
  return peerEnvironmentPromise;
}

/**
 * A peer script beside this file (src/bench/peers), found by walking up from this module: it runs
 * from src/bench/peers under tsx and from out/cli once esbuild has bundled the CLI, at different
 * depths below the repository root.
 */
export function findBenchScript(name: string): string {
  const relative = path.join('src', 'bench', 'peers', name);
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, relative);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`benchmark: ${relative} not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

let pythonPromise: Promise<string | null> | null = null;

/** The first candidate Python that imports torch, or null; looked up once per process. */
export function findTorchPython(): Promise<string | null> {
  pythonPromise ??= (async () => {
    for (const python of PYTHON_CANDIDATES) {
      try {
        await run(python, ['-c', 'import torch'], { timeout: 60_000, env: pytorchEnvironment() });
        return python;
      } catch {
        // not installed, or no torch for this one: try the next
      }
    }
    return null;
  })();
  return pythonPromise;
}

interface ScriptOutput {
  torch: string;
  blas: string;
  sgemmCheck: string;
  results: { batch: number; threads: number; samplesPerSec: number; steps: number; othersCpu: number }[];
}

/**
 * All batch sizes in one child process, in the order given: importing torch and loading the data
 * take a few seconds, paid once. With 1 thread, then with 2, for each batch size.
 */
export async function benchPytorchBatches(
  data: ReferenceData,
  batches: readonly number[],
  opts: PeerBenchOptions = {},
): Promise<PytorchResult[] | PytorchSkipped> {
  const n = referenceSampleCount(data);
  for (const batch of batches) referenceBatchCount(n, batch);
  const seconds = opts.seconds ?? DEFAULT_BENCH_SECONDS;
  const warmupSteps = opts.warmupSteps ?? DEFAULT_WARMUP_STEPS;

  const python = await findTorchPython();
  if (python === null) {
    return { skipped: true, note: `PyTorch skipped: none of ${PYTHON_CANDIDATES.join(', ')} can import torch` };
  }

  const dir = await mkdtemp(path.join(tmpdir(), 'ablate-bench-'));
  try {
    const environment = await peerEnvironment(python);
    const file = path.join(dir, 'data.bin');
    await writeFile(file, encodeData(data, n));
    const args = [findBenchScript('pytorch_mlp.py'), file, String(n), batches.join(','), '1,2', String(seconds), String(warmupSteps)];
    // Generous: per batch size and thread count, about `seconds` plus warm-up, plus torch's import.
    const timeout = (60 + batches.length * 2 * (seconds * 3 + 10)) * 1000;
    let stdout: string;
    try {
      ({ stdout } = await run(python, args, { env: environment.env, timeout, maxBuffer: 1 << 20 }));
    } catch (err) {
      const stderr = (err as { stderr?: string }).stderr?.trim();
      throw new Error(`PyTorch benchmark failed (${python})${stderr ? `: ${stderr.split('\n').slice(-3).join(' | ')}` : ''}`, {
        cause: err,
      });
    }
    const out = JSON.parse(stdout) as ScriptOutput;
    const note = `PyTorch ${out.torch} via ${python}, ${out.blas}, SGEMM check ${out.sgemmCheck}; ${environment.note}`;
    return batches.map((batch) => {
      const row = (threads: number): ScriptOutput['results'][number] => {
        const found = out.results.find((r) => r.batch === batch && r.threads === threads);
        if (found === undefined) throw new Error(`PyTorch benchmark: no result for batch ${batch}, ${threads} thread(s)`);
        return found;
      };
      const [one, two] = [row(1), row(2)];
      const busiest = Math.max(one.othersCpu, two.othersCpu);
      return {
        samplesPerSec1: one.samplesPerSec,
        samplesPerSec2: two.samplesPerSec,
        best: Math.max(one.samplesPerSec, two.samplesPerSec),
        threadsBest: two.samplesPerSec > one.samplesPerSec ? 2 : 1,
        othersCpu1: one.othersCpu,
        othersCpu2: two.othersCpu,
        note:
          busiest > BUSY_CPU_SHARE ? `${note}; WARNING: other processes used ${Math.round(busiest * 100)} % of the CPUs meanwhile` : note,
      };
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** x then y, raw little-endian, as pytorch_mlp.py reads them. */
function encodeData(data: ReferenceData, n: number): Buffer {
  const buf = Buffer.alloc(n * (REFERENCE_INPUT_DIM + 1) * 4);
  const xBytes = n * REFERENCE_INPUT_DIM * 4;
  for (let i = 0; i < n * REFERENCE_INPUT_DIM; i++) buf.writeFloatLE(data.x[i], i * 4);
  for (let i = 0; i < n; i++) buf.writeInt32LE(data.y[i], xBytes + i * 4);
  return buf;
}

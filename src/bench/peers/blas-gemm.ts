/**
 * The single-thread SGEMM peer of the GEMM benchmark: the same core's OpenBLAS (through torch,
 * the BLAS PyTorch trains with) on the three products of each layer shape, in a long-lived child
 * process (openblas_gemm.py, beside this file) with one BLAS thread and the environment PyTorch is
 * measured in (its best kernels: peerEnvironment). gemm.ts asks it for one timed trial at a time,
 * between trials of Ablate's kernels, so the two alternate in adjacent pairs and the host's drift
 * in speed cancels in their ratio. openBlasPeer() resolves to null without a Python that imports
 * torch; a request rejects when the script fails or dies: a broken peer must be seen.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { findBenchScript, findTorchPython, peerEnvironment } from './pytorch.js';

export type Product = 'forward' | 'dX' | 'dW';

/** A contender of the GEMM benchmark timed outside this thread: the same calls as gemm.ts's own. */
export interface GemmPeer {
  name: string;
  /** What it is, for the table's footnote: "OpenBLAS 0.3.21 ... via torch 2.x, 1 thread". */
  description: string;
  shape(rows: number, inDim: number, outDim: number): Promise<void>;
  /** Warms up, then returns the calls per trial that take at least trialMs of CPU time. */
  calibrate(product: Product, warmupMs: number, trialMs: number): Promise<number>;
  /** CPU seconds the peer's process spent on `reps` calls. */
  trial(product: Product, reps: number): Promise<number>;
  close(): Promise<void>;
}

/** Torch's import and the first request take seconds; no single request may take minutes. */
const REQUEST_TIMEOUT_MS = 180_000;

export async function openBlasPeer(): Promise<GemmPeer | { skipped: true; note: string }> {
  const python = await findTorchPython();
  if (python === null) return { skipped: true, note: 'OpenBLAS GEMM skipped: no Python with torch' };
  const env = { ...(await peerEnvironment(python)).env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' };
  const child = spawn(python, [findBenchScript('openblas_gemm.py')], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<string>((resolve) =>
    child.on('close', (code, signal) =>
      resolve(`exited (${signal ?? code})${stderr.trim() ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`),
    ),
  );
  child.on('error', () => {}); // reported through 'close'
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (what: string): Promise<Record<string, unknown>> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`OpenBLAS GEMM peer: no answer to ${what} in ${REQUEST_TIMEOUT_MS / 1000} s`)),
        REQUEST_TIMEOUT_MS,
      );
    });
    try {
      const line = await Promise.race([
        lines.next(),
        exited.then((why) => Promise.reject(new Error(`OpenBLAS GEMM peer (${python}) ${why}`))),
        timeout,
      ]);
      if (line.done) throw new Error(`OpenBLAS GEMM peer (${python}) ${await exited}`);
      const out = JSON.parse(line.value) as Record<string, unknown>;
      if (typeof out.error === 'string') throw new Error(`OpenBLAS GEMM peer: ${out.error}`);
      return out;
    } finally {
      clearTimeout(timer);
    }
  };
  const request = (req: Record<string, unknown>) => {
    child.stdin.write(JSON.stringify(req) + '\n');
    return next(String(req.op));
  };
  try {
    const hello = await next('start-up');
    return {
      name: 'OpenBLAS',
      description: `${String(hello.blas)} via torch ${String(hello.torch)}, 1 thread`,
      shape: async (rows, inDim, outDim) => void (await request({ op: 'shape', rows, in: inDim, out: outDim })),
      calibrate: async (product, warmupMs, trialMs) => Number((await request({ op: 'calibrate', product, warmupMs, trialMs })).reps),
      trial: async (product, reps) => Number((await request({ op: 'trial', product, reps })).seconds),
      close: async () => {
        child.stdin.end();
        await exited;
      },
    };
  } catch (err) {
    child.kill();
    throw err;
  }
}

/**
 * Runs code in a worker thread under a time and heap budget, so a test can show that an input is
 * handled in bounded time and memory: a hang or a runaway allocation ends the worker and fails the
 * call (naming the budget) instead of stalling the suite. The worker's entry is a TypeScript module
 * that answers `{ id, input }` messages with `{ id, ... }`; it is bundled with esbuild first
 * (workers cannot load TypeScript), dependencies included.
 *
 * Budgets are meant to be generous (tens of times what a quiet machine needs), never tight: they
 * catch minutes-long or gigabyte-sized behaviour, not a slow machine.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';

export interface Budget {
  /** Wall time one call may take before the worker is ended. */
  timeoutMs: number;
  /** V8 old-generation heap of the worker; past it the worker dies with ERR_WORKER_OUT_OF_MEMORY. */
  heapMb: number;
}

export class BudgetExceeded extends Error {}

/** Bundles `entry` (a path relative to the repository root) into a temporary .mjs file. */
export async function bundleWorker(entry: string): Promise<string> {
  const outfile = path.join(mkdtempSync(path.join(tmpdir(), 'ablate-budget-')), 'worker.mjs');
  await build({
    entryPoints: [path.join(import.meta.dirname, '..', '..', entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    banner: { js: "import { createRequire as __req } from 'node:module'; const require = __req(import.meta.url);" },
  });
  return outfile;
}

/** One worker at a time; a call that breaks the budget ends it and the next call starts a fresh one. */
export class BudgetedWorker<In, Out> {
  private worker: Worker | null = null;
  private next = 0;

  constructor(
    private readonly file: string,
    private readonly budget: Budget,
  ) {}

  call(input: In): Promise<Out> {
    const worker = (this.worker ??= new Worker(this.file, {
      resourceLimits: { maxOldGenerationSizeMb: this.budget.heapMb },
    }));
    const id = this.next++;
    return new Promise<Out>((resolve, reject) => {
      const done = (fn: () => void) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        fn();
      };
      const kill = (why: string) => {
        this.worker = null;
        void worker.terminate();
        reject(new BudgetExceeded(why));
      };
      const timer = setTimeout(() => done(() => kill(`took more than ${this.budget.timeoutMs} ms`)), this.budget.timeoutMs);
      const onMessage = (m: { id: number } & Out) => {
        if (m.id === id) done(() => resolve(m));
      };
      const onError = (e: Error & { code?: string }) =>
        done(() =>
          kill(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `needed more than ${this.budget.heapMb} MB of heap` : `worker failed: ${e.message}`),
        );
      const onExit = (code: number) => done(() => kill(`worker exited with code ${code}`));
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ id, input });
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = null;
  }
}

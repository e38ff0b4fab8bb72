/**
 * Where the CLI finds what it needs at run time, relative to its own bundle (out/cli/ablate.js):
 * the pool's worker (out/engine/worker.js) and the embedded MNIST cache (resources/runtime/mnist).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UsageError } from './errors.js';

export function workerPath(): string {
  const p = fileURLToPath(new URL('../engine/worker.js', import.meta.url));
  if (!existsSync(p)) throw new UsageError(`the engine worker is missing (${p}); run "npm run build:engine" first`);
  return p;
}

export function embeddedDataDir(): string {
  return fileURLToPath(new URL('../../resources/runtime/mnist', import.meta.url));
}

/**
 * Bundles a worker_threads entry written in TypeScript (importing the engine's sources) with
 * esbuild, into a fresh folder under out/test-workers/ inside the repository, so that the bundle
 * finds what the engine finds by walking up from its own location (the native addon's build/ and
 * prebuilds/ folders). `dispose()` removes the folder.
 */
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export async function bundleWorker(source: string): Promise<{ file: string; dispose(): void }> {
  const parent = join(ROOT, 'out', 'test-workers');
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, 'w-'));
  const file = join(dir, 'worker.mjs');
  await build({
    stdin: { contents: source, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: file,
    logLevel: 'error',
    // Bundled ESM needs require() for CommonJS (the addon loader requires node-gyp-build).
    banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
  });
  return { file, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

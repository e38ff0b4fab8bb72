// Bundles the Node entry points of the engine with esbuild: the pool's worker (out/engine/worker.js,
// used by plain-Node tests, the CLI and benchmarks; the app bundles its own through electron-vite)
// and the `ablate` CLI (out/cli/ablate.js). Dependencies stay external (node_modules at run time).
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})];
const entries = [
  ['src/engine/parallel/worker.ts', 'out/engine/worker.js'],
  ['src/cli/main.ts', 'out/cli/ablate.js'],
].filter(([src]) => existsSync(src));

await Promise.all(
  entries.map(([entry, outfile]) =>
    build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: true,
      external,
      logLevel: 'warning',
      // Bundled ESM needs require() for CommonJS dependencies (papaparse, jstat).
      banner: { js: "import { createRequire as __ablateRequire } from 'node:module'; const require = __ablateRequire(import.meta.url);" },
    }),
  ),
);
console.log(`built ${entries.map(([, o]) => o).join(', ')}`);

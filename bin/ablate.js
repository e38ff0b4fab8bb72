#!/usr/bin/env node
// The `ablate` CLI entry (package.json "bin"). The CLI itself is bundled to out/cli/ablate.js by
// `npm run build:engine`, which `npm install` runs (the "prepare" script).
import { existsSync } from 'node:fs';

const bundle = new URL('../out/cli/ablate.js', import.meta.url);
if (!existsSync(bundle)) {
  console.error('ablate: the CLI is not built yet; run "npm run build:engine" (npm install does it for you).');
  process.exit(2);
}
await import(bundle.href);

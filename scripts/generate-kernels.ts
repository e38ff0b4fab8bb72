/**
 * Writes the code generated from the kernel contract (src/engine/kernels/contract.ts):
 * kernels.generated.ts (the `Kernels` interface) and flat-abi.generated.ts (the compiled sets'
 * binding), formatted with the repository's Prettier settings, and the native addon's argument
 * readers (native/src/addon_args.generated.h, written as generated). Run after editing the contract:
 * `npm run gen:kernels`. test/kernel-contract.test.ts fails while a committed file is stale.
 */
import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { generateKernelFiles } from '../src/engine/kernels/codegen.js';
import { generateNativeArgs, NATIVE_GENERATED_FILE } from '../src/engine/kernels/codegen-native.js';

export const KERNELS_DIR = fileURLToPath(new URL('../src/engine/kernels/', import.meta.url));

/** The generated files' formatted text, by path. */
export async function renderKernelFiles(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [name, text] of Object.entries(generateKernelFiles())) {
    const path = join(KERNELS_DIR, name);
    out.set(path, await format(text, { ...(await resolveConfig(path)), filepath: path }));
  }
  out.set(fileURLToPath(new URL(`../${NATIVE_GENERATED_FILE}`, import.meta.url)), generateNativeArgs());
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [path, text] of await renderKernelFiles()) await writeFile(path, text);
  console.log(`gen:kernels: wrote ${[...(await renderKernelFiles()).keys()].map((p) => relative(process.cwd(), p)).join(', ')}`);
}

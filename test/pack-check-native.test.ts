/**
 * The packaging check's native part (scripts/check-package-native.mjs) on hand-made unpacked
 * folders: a prebuilt binary is loaded alone through the engine's loader and compared with the
 * wasm kernels, and a missing, damaged or foreign one is reported. The folders sit under out/ so
 * that the bundled check finds node-gyp-build by walking up, as it does in a package.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without declarations
import { checkNativeAddon } from '../scripts/check-package-native.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUILT = path.join(ROOT, 'build', 'Release', 'ablate_kernels.node');
const OWN = `prebuilds/${process.platform}-${process.arch}/ablate_kernels.node`;
const folders: string[] = [];

/** An unpacked folder holding `files` (relative path -> bytes), as app.asar.unpacked would. */
function unpacked(files: Record<string, Buffer>): {
  unpackedDir: string;
  unpackedFiles: string[];
  entries: Map<string, { unpacked: boolean }>;
} {
  mkdirSync(path.join(ROOT, 'out'), { recursive: true });
  const unpackedDir = mkdtempSync(path.join(ROOT, 'out', 'pack-native-'));
  folders.push(unpackedDir);
  for (const [file, bytes] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(unpackedDir, file)), { recursive: true });
    writeFileSync(path.join(unpackedDir, file), bytes);
  }
  // The loader, as the package unpacks it (its package.json is what the check looks for).
  const loader = path.join(unpackedDir, 'node_modules', 'node-gyp-build');
  mkdirSync(loader, { recursive: true });
  for (const f of ['package.json', 'index.js', 'node-gyp-build.js'])
    copyFileSync(path.join(ROOT, 'node_modules', 'node-gyp-build', f), path.join(loader, f));
  const unpackedFiles = Object.keys(files);
  return { unpackedDir, unpackedFiles, entries: new Map(unpackedFiles.map((f) => [f, { unpacked: true }])) };
}

async function check(files: Record<string, Buffer>, expectPrebuilt: boolean): Promise<string[]> {
  const dir = unpacked(files);
  return (await checkNativeAddon({ root: ROOT, ...dir, platform: process.platform, arch: process.arch, expectPrebuilt })) as string[];
}

afterEach(() => {
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});

describe.skipIf(!existsSync(BUILT))('pack:check, the prebuilt native addon', () => {
  it('loads a prebuilt binary alone and finds it agrees with the wasm kernels', async () => {
    expect(await check({ [OWN]: readFileSync(BUILT) }, true)).toEqual([]);
  }, 120_000);

  it('reports a damaged prebuilt binary', async () => {
    const problems = await check({ [OWN]: readFileSync(BUILT).subarray(0, 100_000) }, true);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${OWN} (could not be checked|does not load)`));
  }, 120_000);

  it('reports a package without the prebuilt binary when one is expected, and not otherwise', async () => {
    const builtOnly = { 'build/Release/ablate_kernels.node': readFileSync(BUILT) };
    expect(await check(builtOnly, true)).toEqual([
      `no prebuilt addon (prebuilds/${process.platform}-${process.arch}/*.node, npm run native:prebuild) is in the package`,
    ]);
    expect(await check(builtOnly, false)).toEqual([]);
  }, 120_000);

  it("reports another system's prebuilt binary", async () => {
    const other = process.platform === 'win32' ? 'linux' : 'win32';
    const problems = await check({ [OWN]: readFileSync(BUILT), [`prebuilds/${other}-x64/ablate_kernels.node`]: readFileSync(BUILT) }, true);
    expect(problems).toEqual([`prebuilds/${other}-x64/ablate_kernels.node is not for ${process.platform}/${process.arch}`]);
  }, 120_000);
});

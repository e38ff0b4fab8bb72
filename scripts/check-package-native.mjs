/**
 * The native kernel addon in a built package, for scripts/check-package.mjs: it must be packed
 * for this platform and architecture only (build/Release/ablate_kernels.node, built from source on
 * the packaging machine, and/or prebuilds/<platform>-<arch>/ from prebuildify), unpacked from the
 * asar together with its loader (node_modules/node-gyp-build), and, when the package is for the
 * machine running this check, each of its binaries must load alone from app.asar.unpacked through
 * the app worker's loader and agree with the wasm kernels on a small problem (src/engine/kernels/
 * native/self-check.ts, bundled next to the unpacked files and run with this Node). Electron
 * loading the same Node-API binary is what the release workflow's --self-test launch checks.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

export const ADDON = 'build/Release/ablate_kernels.node';
const LOADER = 'node_modules/node-gyp-build';

const FORMATS = { linux: 'ELF', win32: 'PE', darwin: 'Mach-O' };

/** ELF, PE or Mach-O, from the first bytes of a file. */
function binaryFormat(file) {
  const head = readFileSync(file).subarray(0, 4);
  if (head.toString('latin1') === '\x7fELF') return 'ELF';
  if (head.subarray(0, 2).toString('latin1') === 'MZ') return 'PE';
  const magic = head.readUInt32LE(0);
  if (magic === 0xfeedfacf || magic === 0xcafebabe || magic === 0xbebafeca) return 'Mach-O';
  return 'unknown';
}

/** Whether a packed native file is the addon for platform/arch. */
export function isOwnAddon(file, platform, arch) {
  return file === ADDON || new RegExp(`^prebuilds/${platform}-${arch}/[^/]+\\.node$`).test(file);
}

/**
 * Problems with the addon in a package: `entries` are app.asar's entries (path -> { unpacked }),
 * `unpackedFiles` the files under app.asar.unpacked.
 */
export async function checkNativeAddon({ root, entries, unpackedDir, unpackedFiles, platform, arch, expectPrebuilt = false }) {
  const problems = [];
  const addons = unpackedFiles.filter((f) => f === ADDON || f.startsWith('prebuilds/'));
  for (const f of addons)
    if (entries.has(f) && !entries.get(f).unpacked) problems.push(`${f} is packed inside app.asar; it must be unpacked`);
  if (platform !== process.platform) {
    // A package for another system made here (pack:check's stub win32 build) can only hold this
    // machine's binary; the release workflow checks each real package on its own system.
    console.log(`pack:check: native addon of the ${platform} package not checked here (built on ${process.platform})`);
    return problems;
  }
  const own = addons.filter((f) => isOwnAddon(f, platform, arch));
  if (own.length === 0) {
    problems.push(
      `the native kernel addon (${ADDON} or prebuilds/${platform}-${arch}/*.node) is not unpacked: the app would train on the wasm kernels`,
    );
  }
  for (const f of addons) if (f.endsWith('.node') && !own.includes(f)) problems.push(`${f} is not for ${platform}/${arch}`);
  for (const f of own) {
    const format = binaryFormat(path.join(unpackedDir, f));
    if (format !== FORMATS[platform]) problems.push(`${f} is a ${format} binary, ${platform} needs ${FORMATS[platform]}`);
  }
  if (!existsSync(path.join(unpackedDir, LOADER, 'package.json'))) {
    problems.push(`${LOADER} must be unpacked: the worker (app.asar.unpacked/out/main/chunks) loads the addon through it`);
  }
  if (expectPrebuilt && !own.some((f) => f !== ADDON)) {
    problems.push(`no prebuilt addon (prebuilds/${platform}-${arch}/*.node, npm run native:prebuild) is in the package`);
  }
  if (problems.length > 0 || arch !== process.arch) return problems;

  // Each binary alone, loaded as the app's worker loads it and compared with the wasm kernels.
  for (const f of own) {
    const problem = await checkOneAddon({ root, unpackedDir, file: f, platform, arch });
    if (problem) problems.push(problem);
  }
  return problems;
}

/**
 * Loads one packed addon through the engine's loader (src/engine/kernels/native/addon.ts: the
 * folder found walking up, then node-gyp-build) from a bundle placed in app.asar.unpacked, and
 * compares it with the wasm kernels. build/Release is what the app loads when it is there
 * (node-gyp-build prefers it); a prebuilt binary is copied alone into a folder of its own, with
 * the layout prebuildify made, so that the loader takes it. Returns a problem or null.
 */
async function checkOneAddon({ root, unpackedDir, file, platform, arch }) {
  const dir = mkdtempSync(path.join(unpackedDir, '.pack-check-'));
  try {
    if (file !== ADDON) {
      const placed = path.join(dir, 'prebuilds', `${platform}-${arch}`);
      mkdirSync(placed, { recursive: true });
      copyFileSync(path.join(unpackedDir, file), path.join(placed, path.basename(file)));
    }
    const expected = file === ADDON ? path.join(unpackedDir, ADDON) : path.join(dir, file);
    const outfile = path.join(dir, 'check.mjs');
    await build({
      stdin: {
        contents: `import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkNativeAgainstWasm } from './src/engine/kernels/native/self-check.ts';
import { nativeIsa, nativeUnavailableReason } from './src/engine/kernels/native/kernels.ts';
import { findAddonDir } from './src/engine/kernels/native/addon.ts';
const loaded = require('node-gyp-build').path(findAddonDir(path.dirname(fileURLToPath(import.meta.url))));
const reason = nativeUnavailableReason();
console.log(JSON.stringify(reason ? { ok: false, reason, loaded } : { isa: nativeIsa(), loaded, ...checkNativeAgainstWasm() }));`,
        resolveDir: root,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile,
      logLevel: 'error',
      banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
    });
    // No node_modules next to the unpacked folder other than the unpacked ones: NODE_PATH stays unset.
    const env = { ...process.env };
    delete env.NODE_PATH;
    const run = spawnSync(process.execPath, [outfile], { encoding: 'utf8', env });
    const line = (run.stdout ?? '').trim().split('\n').at(-1) ?? '';
    let result = null;
    try {
      result = JSON.parse(line);
    } catch {
      // reported below
    }
    if (run.status !== 0 || result === null) {
      const why =
        (run.stderr || line).trim().split('\n')[0] || (run.signal ? `the process was killed by ${run.signal}` : `exit code ${run.status}`);
      return `${file} could not be checked: ${why}`;
    }
    if (path.resolve(result.loaded) !== path.resolve(expected)) return `${file} was not the binary loaded (${result.loaded} was)`;
    if (!result.ok) return `${file} ${result.reason ? `does not load: ${result.reason}` : `disagrees with the wasm kernels: ${line}`}`;
    console.log(
      `pack:check: ${file} loads from app.asar.unpacked (${result.isa}) and agrees with wasm (worst product error ${result.worstProductError.toExponential(1)})`,
    );
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

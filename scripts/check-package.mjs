#!/usr/bin/env node
/**
 * Packaging check (`npm run pack:check`, called by .ci/run). Needs `npm run build` first.
 *
 * Default mode, offline (no Electron binary, no electron-builder tools, no network): packs the app
 * with electron-builder and the project's electron-builder.yml, target `dir`, against stub
 * Electron distributions made in a temporary folder, then inspects the result:
 *   - linux/x64: the stub is a small executable named `electron` that carries a fuse wire (the
 *     sentinel and Electron's default fuse states), so electron-builder's `electronFuses` step runs
 *     for real and the flipped wire is checked;
 *   - win32/x64: the stub is a real but unrelated PE file (electron-winstaller's rcedit.exe) named
 *     `electron.exe`, because electron-builder writes the asar integrity resource into it. Executable
 *     editing (icon, version info, signing: tools downloaded from GitHub) is turned off. Skipped,
 *     loudly, if that file is not installed.
 * macOS cannot be packed here: electron-builder downloads an icon tool for it. The release workflow
 * runs this script's --inspect mode on the real packages of all three systems.
 *
 * --inspect <appOutDir> [--platform linux|win32|darwin] [--arch x64|arm64]: runs the same
 * assertions on a package electron-builder built with the real Electron (dist/linux-unpacked,
 * dist/win-unpacked, dist/mac-arm64), including the fuses of the real binary.
 *
 * --launch <appOutDir or executable> [--platform ...] [--arch ...]: starts the packaged app with
 * --self-test (under xvfb-run on Linux: the caller's job) and checks that it exits 0 and prints a
 * self-test report with ok: true, for this version, platform and architecture, from a packaged
 * app. Used by the release workflow on the unpacked apps and on the installed ones.
 *
 * What is asserted (any violation: a message per problem and exit code 1):
 *   - the executable exists and has the fuse states the app requires (FUSES below);
 *   - app.asar holds exactly package.json and the build in out/main, out/preload, out/renderer
 *     (source maps aside): so index.js, index.cjs, index.html and the worker chunk, and never src/,
 *     test/, the test harness, scripts, out/cli, out/engine, source maps or anything else;
 *   - package.json's `main` is in the archive; every production dependency is there except the
 *     build-time-only ones; no development dependency is;
 *   - every native file (.node, .so, .dylib, .dll) is onnxruntime-node's or Ablate's kernel addon,
 *     is unpacked (app.asar.unpacked) and is for this platform and architecture only; the binding
 *     and its shared library are there; each of the addon's binaries (built from source, and
 *     prebuilt by prebuildify) loads from there and agrees with the wasm kernels
 *     (check-package-native.mjs); with --expect-prebuilt (.ci/run and the release workflow, after
 *     `npm run native:prebuild`) a package for this system must hold the prebuilt one;
 *   - resources/runtime/mnist holds the repository's embedded MNIST cache, byte for byte;
 *   - nothing from the buildResources folder (icons) was copied into the resources folder.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { extractFile, getRawHeader } from '@electron/asar';
import { checkNativeAddon, isOwnAddon } from './check-package-native.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

/** As in electron-builder.yml (productName, linux.executableName). */
const PRODUCT_NAME = 'Ablate';
const LINUX_EXECUTABLE = 'ablate';
/** Folders of the electron-vite build that make up the app (package.json `main` is in out/main). */
const APP_DIRS = ['out/main', 'out/preload', 'out/renderer'];
/** Build outputs the package cannot work without (the main entry, the preload, the page). */
const REQUIRED_BUILD_FILES = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];
/**
 * Production dependencies left out of the app (electron-builder.yml): used only at build time
 * (mnist), or only by the CLI, which the app does not contain (the PNG renderer and its font).
 */
const BUILD_TIME_ONLY = new Set(['mnist', '@resvg/resvg-wasm', 'dejavu-fonts-ttf']);
/** The embedded MNIST cache (scripts/build-mnist.mjs), shipped through extraResources. */
const RUNTIME_DIR = path.join(root, 'resources', 'runtime');
const NATIVE_FILE = /\.(node|dll|dylib|exe)$|\.so(\.\d+)*$/;
const ORT_BIN = 'node_modules/onnxruntime-node/bin';
/** The shared library next to onnxruntime_binding.node, per platform. */
const ORT_LIBRARY = { linux: /^libonnxruntime\.so(\.\d+)*$/, win32: /^onnxruntime\.dll$/, darwin: /^libonnxruntime(\.\d+)*\.dylib$/ };

/**
 * The fuse states Electron's security checklist asks of the app (indices of @electron/fuses' FuseV1Options;
 * '1' on, '0' off). Checked against the binary, not against electron-builder.yml, so weakening
 * the configuration fails here.
 */
const FUSES = [
  { index: 0, name: 'runAsNode', on: false },
  { index: 1, name: 'enableCookieEncryption', on: true },
  { index: 2, name: 'enableNodeOptionsEnvironmentVariable', on: false },
  { index: 3, name: 'enableNodeCliInspectArguments', on: false },
  { index: 4, name: 'enableEmbeddedAsarIntegrityValidation', on: true },
  { index: 5, name: 'onlyLoadAppFromAsar', on: true },
  { index: 7, name: 'grantFileProtocolExtraPrivileges', on: false },
];
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's own defaults for fuses 0..7 (what an unflipped binary carries). */
const DEFAULT_FUSE_WIRE = '10110001';

const { values: opts } = parseArgs({
  options: {
    inspect: { type: 'string' },
    launch: { type: 'string' },
    platform: { type: 'string', default: process.platform },
    arch: { type: 'string', default: process.arch },
    keep: { type: 'boolean', default: false },
    'expect-prebuilt': { type: 'boolean', default: false },
  },
});

function fail(message) {
  console.error(`pack:check: ${message}`);
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------
// Reading a package

/** All entries of an asar archive: path (posix, relative) -> { unpacked, dir }. */
function asarEntries(archive) {
  const { header } = getRawHeader(archive);
  const entries = new Map();
  const walk = (node, prefix) => {
    for (const [name, child] of Object.entries(node.files ?? {})) {
      const p = prefix ? `${prefix}/${name}` : name;
      const dir = child.files !== undefined;
      entries.set(p, { unpacked: child.unpacked === true, dir });
      if (dir) walk(child, p);
    }
  };
  walk(header, '');
  return entries;
}

/** Files under `dir`, as posix paths relative to `base`. */
function listFiles(dir, base = dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full, base));
    else out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out;
}

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

function layout(appOutDir, platform) {
  if (platform === 'darwin') {
    const app = path.join(appOutDir, `${PRODUCT_NAME}.app`);
    return {
      executable: path.join(app, 'Contents', 'MacOS', PRODUCT_NAME),
      fuseTarget: app,
      resources: path.join(app, 'Contents', 'Resources'),
    };
  }
  const executable = path.join(appOutDir, platform === 'win32' ? `${PRODUCT_NAME}.exe` : LINUX_EXECUTABLE);
  return { executable, fuseTarget: executable, resources: path.join(appOutDir, 'resources') };
}

async function readFuseWire(target) {
  // @electron/fuses comes with electron-builder (app-builder-lib); resolve it from there.
  const fromBuilder = createRequire(require.resolve('app-builder-lib/package.json'));
  const { getCurrentFuseWire } = fromBuilder('@electron/fuses');
  return getCurrentFuseWire(target);
}

// ---------------------------------------------------------------------------------------------
// The assertions

async function checkPackage({ appOutDir, platform, arch }) {
  const problems = [];
  const problem = (m) => problems.push(m);
  const { executable, fuseTarget, resources } = layout(appOutDir, platform);

  if (!existsSync(executable)) problem(`the executable ${executable} is missing`);
  else if (platform !== 'win32' && (statSync(executable).mode & 0o111) === 0) problem(`${executable} is not executable`);

  if (existsSync(executable)) {
    try {
      const wire = await readFuseWire(fuseTarget);
      for (const fuse of FUSES) {
        const state = wire[fuse.index];
        const want = fuse.on ? 49 : 48; // FuseState.ENABLE / DISABLE
        if (state !== want) problem(`fuse ${fuse.name} is ${describeFuse(state)}, must be ${fuse.on ? 'enabled' : 'disabled'}`);
      }
    } catch (err) {
      problem(`cannot read the fuses of ${fuseTarget}: ${err.message}`);
    }
  }

  const archive = path.join(resources, 'app.asar');
  const unpackedDir = path.join(resources, 'app.asar.unpacked');
  if (!existsSync(archive)) {
    problem(`${archive} is missing (asar must be on)`);
    return problems;
  }
  const entries = asarEntries(archive);
  const files = [...entries].filter(([, e]) => !e.dir).map(([p]) => p);

  // The app itself: exactly package.json and the electron-vite build.
  const expected = new Set(['package.json', ...APP_DIRS.flatMap((d) => listFiles(path.join(root, d)).map((f) => `${d}/${f}`))]);
  for (const f of [...expected]) if (f.endsWith('.map')) expected.delete(f);
  for (const required of REQUIRED_BUILD_FILES) {
    if (!expected.has(required)) problem(`${required} is not built; run "npm run build" first`);
  }
  const ownFiles = files.filter((f) => !f.startsWith('node_modules/') && !isOwnAddon(f, platform, arch));
  for (const f of ownFiles) if (!expected.has(f)) problem(`app.asar must not contain ${f}${whyNot(f)}`);
  for (const f of expected) if (!entries.has(f)) problem(`app.asar lacks ${f}`);
  const workers = ownFiles.filter((f) => /^out\/main\/(.+\/)?worker[-.][^/]*\.js$/.test(f));
  if (workers.length === 0) problem('app.asar has no worker chunk (out/main/chunks/worker-*.js): the pool could not start');
  for (const w of workers) {
    if (!entries.get(w)?.unpacked || !existsSync(path.join(unpackedDir, w)))
      problem(`the worker chunk ${w} must be unpacked (app.asar.unpacked/${w})`);
  }

  // package.json: the entry point, the dependencies.
  if (entries.has('package.json')) {
    const packed = JSON.parse(extractFile(archive, 'package.json').toString('utf8'));
    const main = path.posix.normalize(packed.main ?? 'index.js');
    if (!entries.has(main)) problem(`package.json "main" (${packed.main}) is not in app.asar`);
    if (packed.version !== pkg.version) problem(`packed package.json has version ${packed.version}, the repository ${pkg.version}`);
  }
  for (const dep of Object.keys(pkg.dependencies ?? {})) {
    const there = entries.has(`node_modules/${dep}/package.json`);
    if (BUILD_TIME_ONLY.has(dep) && there)
      problem(`node_modules/${dep} is left out of the app (build time or CLI only) and must not be packed`);
    if (!BUILD_TIME_ONLY.has(dep) && !there) problem(`the production dependency ${dep} is missing from app.asar`);
  }
  for (const dep of Object.keys(pkg.devDependencies ?? {})) {
    if (entries.has(`node_modules/${dep}`)) problem(`the development dependency ${dep} is packed (node_modules/${dep})`);
  }
  for (const f of files) if (f.endsWith('.map')) problem(`app.asar must not contain source maps (${f})`);

  // Native files: onnxruntime-node's, this platform's and architecture's only, unpacked.
  const unpackedFiles = listFiles(unpackedDir);
  const natives = new Set([...files.filter((f) => NATIVE_FILE.test(f)), ...unpackedFiles.filter((f) => NATIVE_FILE.test(f))]);
  const ownDir = new RegExp(`^${ORT_BIN}/napi-v\\d+/${platform}/${arch}/[^/]+$`);
  for (const f of natives) {
    if (!ownDir.test(f) && !isOwnAddon(f, platform, arch))
      problem(`native file ${f} is neither onnxruntime-node's nor Ablate's ${platform}/${arch} binary`);
    if (entries.has(f) && !entries.get(f).unpacked) problem(`native file ${f} is packed inside app.asar; it must be unpacked`);
    if (!unpackedFiles.includes(f)) problem(`native file ${f} is not in app.asar.unpacked`);
  }
  for (const f of unpackedFiles.filter((p) => p.startsWith(`${ORT_BIN}/`))) {
    if (!ownDir.test(f)) problem(`app.asar.unpacked holds ${f}, not for ${platform}/${arch}`);
  }
  const ownBinaries = unpackedFiles.filter((f) => ownDir.test(f)).map((f) => path.posix.basename(f));
  if (!ownBinaries.includes('onnxruntime_binding.node')) problem(`onnxruntime_binding.node for ${platform}/${arch} is not unpacked`);
  if (!ownBinaries.some((f) => ORT_LIBRARY[platform]?.test(f)))
    problem(`onnxruntime's shared library for ${platform}/${arch} is not unpacked`);

  const expectPrebuilt = opts['expect-prebuilt'];
  for (const p of await checkNativeAddon({ root, entries, unpackedDir, unpackedFiles, platform, arch, expectPrebuilt })) problem(p);

  // Extra resources: the embedded MNIST cache, as built.
  const runtimeFiles = listFiles(RUNTIME_DIR).filter((f) => !f.endsWith('.tmp'));
  if (!runtimeFiles.some((f) => f.startsWith('mnist/'))) problem(`${RUNTIME_DIR}/mnist is empty; run "npm run build" first`);
  for (const f of runtimeFiles) {
    const shipped = path.join(resources, 'runtime', f);
    if (!existsSync(shipped)) problem(`extra resource runtime/${f} is missing from ${resources}`);
    else if (sha256(shipped) !== sha256(path.join(RUNTIME_DIR, f)))
      problem(`extra resource runtime/${f} differs from resources/runtime/${f}`);
  }

  // buildResources (icons, installer art) are build inputs, never app files.
  // (A macOS bundle's Resources folder has its own icon.icns, made from them on purpose.)
  for (const name of readdirSync(path.join(root, 'resources'))) {
    if (name === 'runtime' || (platform === 'darwin' && name.endsWith('.icns'))) continue;
    if (existsSync(path.join(resources, name))) problem(`build resource ${name} was copied into ${resources}`);
  }
  return problems;
}

function whyNot(f) {
  if (/^(src|test|scripts)\//.test(f)) return ' (sources, tests and scripts stay out)';
  if (/^out\/(cli|engine)\//.test(f)) return ' (the CLI bundles are not part of the app)';
  if (/harness/i.test(f)) return ' (test harness)';
  return ' (not part of the electron-vite build)';
}

function describeFuse(state) {
  return { 48: 'disabled', 49: 'enabled', 114: 'removed', 144: 'inherited' }[state] ?? `missing (${state})`;
}

// ---------------------------------------------------------------------------------------------
// Stub builds

function electronVersion() {
  try {
    return JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  } catch {
    return String(pkg.devDependencies?.electron ?? '').replace(/^[^\d]*/, '');
  }
}

/** A fuse wire as Electron carries it: sentinel, wire version 1, length, one byte per fuse. */
function fuseWire() {
  return Buffer.concat([
    Buffer.from(FUSE_SENTINEL, 'latin1'),
    Buffer.from([1, DEFAULT_FUSE_WIRE.length]),
    Buffer.from(DEFAULT_FUSE_WIRE, 'latin1'),
  ]);
}

/** A stand-in for Electron's unpacked distribution; returns null (with the reason) if it cannot be made. */
function makeStub(dir, platform) {
  const license = require.resolve('electron/LICENSE');
  if (platform === 'linux') {
    const script = Buffer.from('#!/bin/sh\necho "stub Electron of scripts/check-package.mjs: not runnable" >&2\nexit 1\n# fuse wire: ');
    writeFileSync(path.join(dir, 'electron'), Buffer.concat([script, fuseWire(), Buffer.from('\n')]));
    chmodSync(path.join(dir, 'electron'), 0o755);
  } else if (platform === 'win32') {
    let pe;
    try {
      pe = path.join(path.dirname(require.resolve('electron-winstaller/package.json')), 'vendor', 'rcedit.exe');
    } catch {
      return {
        skipped: 'electron-winstaller (a peer of electron-builder) is not installed, so there is no PE file to stand in for electron.exe',
      };
    }
    if (!existsSync(pe)) return { skipped: `${pe} is missing` };
    // The wire goes after the PE's last section (an overlay, which loaders ignore).
    writeFileSync(path.join(dir, 'electron.exe'), Buffer.concat([readFileSync(pe), fuseWire()]));
  }
  copyFileSync(license, path.join(dir, 'LICENSE'));
  writeFileSync(path.join(dir, 'version'), electronVersion());
  return { skipped: null };
}

async function stubBuild(platform, arch, workDir) {
  const { build, Platform, Arch } = require('electron-builder');
  const stubDir = path.join(workDir, `electron-${platform}`);
  const outDir = path.join(workDir, `dist-${platform}`);
  rmSync(stubDir, { recursive: true, force: true });
  mkdirSync(stubDir, { recursive: true });
  const stub = makeStub(stubDir, platform);
  if (stub.skipped) return { skipped: stub.skipped };

  const target = { linux: Platform.LINUX, win32: Platform.WINDOWS }[platform].createTarget(['dir'], Arch[arch]);
  await build({
    projectDir: root,
    targets: target,
    publish: 'never',
    // Merged over electron-builder.yml (which is still loaded): only what the stub needs.
    config: {
      electronDist: stubDir,
      electronVersion: electronVersion(),
      npmRebuild: false,
      directories: { output: outDir },
      // Icons, version info and signing are written with tools downloaded from GitHub.
      ...(platform === 'win32' ? { win: { signAndEditExecutable: false } } : {}),
    },
  });
  const appOutDir = path.join(outDir, platform === 'win32' ? 'win-unpacked' : 'linux-unpacked');
  return { skipped: null, appOutDir };
}

function report(label, problems) {
  if (problems.length === 0) {
    console.log(`pack:check: ${label}: ok`);
    return true;
  }
  const shown = 60;
  console.error(`pack:check: ${label}: ${problems.length} problem(s):`);
  for (const p of problems.slice(0, shown)) console.error(`  - ${p}`);
  if (problems.length > shown) console.error(`  ... and ${problems.length - shown} more`);
  return false;
}

// ---------------------------------------------------------------------------------------------
// Launching a packaged app's self-test

const LAUNCH_TIMEOUT_MS = 10 * 60_000; // the app gives up by itself after 5 minutes

function launchSelfTest(target, platform, arch) {
  const executable = existsSync(target) && statSync(target).isFile() ? target : layout(target, platform).executable;
  if (!existsSync(executable)) return [`the executable ${executable} is missing`];
  const reportDir = mkdtempSync(path.join(os.tmpdir(), 'ablate-self-test-'));
  try {
    return checkSelfTest(executable, platform, arch, path.join(reportDir, 'report.json'));
  } finally {
    rmSync(reportDir, { recursive: true, force: true });
  }
}

/** Runs `executable --self-test`, writing its report to reportFile, and checks what it reports. */
function checkSelfTest(executable, platform, arch, reportFile) {
  const problems = [];
  const problem = (m) => problems.push(m);
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  console.log(`pack:check: launching ${executable} --self-test`);
  const run = spawnSync(executable, ['--self-test', `--self-test-report=${reportFile}`], {
    encoding: 'utf8',
    env,
    timeout: LAUNCH_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
    windowsHide: true,
  });
  if (run.stderr) console.log(`--- stderr ---\n${run.stderr.trimEnd()}\n--------------`);
  if (run.stdout) console.log(`--- stdout ---\n${run.stdout.trimEnd()}\n--------------`);
  if (run.error) problem(`could not run it: ${run.error.message}`);
  if (run.signal) problem(`it was killed by ${run.signal}${run.error?.code === 'ETIMEDOUT' ? ` after ${LAUNCH_TIMEOUT_MS / 1000} s` : ''}`);
  if (run.status !== 0) problem(`it exited with ${run.status}, expected 0`);

  const fromStdout = (run.stdout ?? '')
    .split(/\r?\n/)
    .filter((line) => line.startsWith('{"selfTest"'))
    .map((line) => parseJson(line))
    .filter((r) => r !== null);
  const fromFile = existsSync(reportFile) ? parseJson(readFileSync(reportFile, 'utf8')) : null;
  if (fromStdout.length === 0) {
    // A Windows GUI executable's stdout is easy to lose; the report file is the one that counts.
    const message = 'no JSON self-test report on stdout';
    if (platform === 'win32' && fromFile !== null) console.warn(`pack:check: warning: ${message}`);
    else problem(message);
  }
  const report = fromFile ?? fromStdout.at(-1) ?? null;
  if (fromFile === null) problem(`no readable report in ${reportFile}`);
  if (report === null) return problems;
  if (report.selfTest !== 'ablate') problem(`the report is not Ablate's self-test report`);
  if (report.ok !== true) problem(`the self-test failed: ${report.error ?? JSON.stringify(report.report ?? {})}`);
  if (report.packaged !== true) problem('the self-test ran unpackaged (app.isPackaged is false)');
  if (report.version !== pkg.version) problem(`the app reports version ${report.version}, the repository ${pkg.version}`);
  if (report.platform !== platform || report.arch !== arch)
    problem(`the app runs as ${report.platform}/${report.arch}, expected ${platform}/${arch}`);
  if (typeof report.report !== 'object' || report.report === null) problem('the report has no "report" object');
  return problems;
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------

if (opts.launch) {
  const target = path.resolve(opts.launch);
  const problems = launchSelfTest(target, opts.platform, opts.arch);
  process.exit(report(`self-test of ${target}`, problems) ? 0 : 1);
}

if (opts.inspect) {
  const appOutDir = path.resolve(opts.inspect);
  if (!existsSync(appOutDir)) fail(`${appOutDir} does not exist`);
  const problems = await checkPackage({ appOutDir, platform: opts.platform, arch: opts.arch });
  process.exit(report(`${path.relative(root, appOutDir) || appOutDir} (${opts.platform}/${opts.arch})`, problems) ? 0 : 1);
}

for (const f of REQUIRED_BUILD_FILES) {
  if (!existsSync(path.join(root, f))) fail(`${f} is missing; run "npm run build" first`);
}

// Offline by construction: anything electron-builder would download (Electron zips, tools) points
// at a host that cannot resolve, and its cache is empty, so an attempt fails at once instead of
// silently using a cached or downloaded file.
const workDir = mkdtempSync(path.join(os.tmpdir(), 'ablate-pack-check-'));
const offline = 'https://offline.invalid/';
Object.assign(process.env, {
  ELECTRON_BUILDER_OFFLINE: 'true',
  ELECTRON_BUILDER_CACHE: path.join(workDir, 'cache'),
  ELECTRON_BUILDER_BINARIES_MIRROR: offline,
  ELECTRON_MIRROR: offline,
  ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
  CSC_IDENTITY_AUTO_DISCOVERY: 'false',
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    rmSync(workDir, { recursive: true, force: true });
    process.exit(1);
  });
}

let ok = true;
try {
  for (const [platform, arch] of [
    ['linux', 'x64'],
    ['win32', 'x64'],
  ]) {
    const label = `stub ${platform}/${arch} dir build`;
    let result;
    try {
      result = await stubBuild(platform, arch, workDir);
    } catch (err) {
      ok = report(label, [`electron-builder failed: ${err.stack ?? err}`]) && ok;
      continue;
    }
    if (result.skipped) {
      console.warn(`pack:check: ${label}: SKIPPED: ${result.skipped}`);
      continue;
    }
    ok = report(label, await checkPackage({ appOutDir: result.appOutDir, platform, arch })) && ok;
  }
} finally {
  if (opts.keep) console.log(`pack:check: kept ${workDir}`);
  else rmSync(workDir, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);

/**
 * Builds the native kernel addon (binding.gyp, native/src) with node-gyp against the Node headers
 * npm is configured with (nothing is downloaded). Run by `npm install` (the root `install` script)
 * and by `npm run build:native`/`build:engine`; skips when build/Release/ablate_kernels.node is
 * newer than every source. It never fails the install: where no C toolchain works it prints ONE
 * line saying that the WebAssembly kernels will be used (a prebuilt binary in prebuilds/, from the
 * release workflow, is used when there is one) and exits 0. Set ABLATE_NATIVE_VERBOSE=1 to see the
 * compiler's output, ABLATE_SKIP_NATIVE=1 to skip the build.
 * Usage: node scripts/build-native.mjs [--force]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const output = join(root, 'build', 'Release', 'ablate_kernels.node');
const prebuilt = join(root, 'prebuilds', `${process.platform}-${process.arch}`);
const verbose = process.env.ABLATE_NATIVE_VERBOSE === '1';

if (process.env.ABLATE_SKIP_NATIVE === '1') {
  console.log('build-native: skipped (ABLATE_SKIP_NATIVE=1); the WebAssembly kernels will be used');
  process.exit(0);
}

const sources = [join(root, 'binding.gyp'), ...readdirSync(join(root, 'native', 'src')).map((f) => join(root, 'native', 'src', f))];
if (!process.argv.includes('--force') && existsSync(output)) {
  const built = statSync(output).mtimeMs;
  if (sources.every((f) => statSync(f).mtimeMs <= built)) {
    console.log('build-native: up to date (build/Release/ablate_kernels.node)');
    process.exit(0);
  }
}

/** node-gyp: the one npm runs scripts with, else the copy bundled with npm, else PATH. */
function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed as a package here
  }
  const found = candidates.find((c) => c && existsSync(c));
  return found ? [process.execPath, found] : ['node-gyp'];
}

/** This Node's own headers (e.g. /usr/include/node), so node-gyp never downloads them; npm's nodedir wins. */
function nodeDirArgs() {
  if (process.env.npm_config_nodedir) return [];
  const prefix = join(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];
}

const [cmd, ...pre] = nodeGyp();
const result = spawnSync(cmd, [...pre, 'rebuild', '--release', ...nodeDirArgs()], {
  cwd: root,
  encoding: 'utf8',
  stdio: verbose ? 'inherit' : 'pipe',
});
const loads = () => spawnSync(process.execPath, ['-e', `require(${JSON.stringify(output)})`], { encoding: 'utf8' }).status === 0;

if (result.status === 0 && existsSync(output) && loads()) {
  console.log(`build-native: built ${'build/Release/ablate_kernels.node'}`);
  process.exit(0);
}
const log = `${result.stdout ?? ''}\n${result.stderr ?? ''}${result.error ? `\n${result.error.message}` : ''}`;
const firstError =
  log
    .split('\n')
    .find((l) => /error|not found|ENOENT/i.test(l))
    ?.trim() ?? `exit code ${result.status}`;
const fallback = existsSync(prebuilt)
  ? `the prebuilt binary in prebuilds/${process.platform}-${process.arch} will be used`
  : 'the WebAssembly kernels will be used';
console.log(`build-native: no native kernels built (${firstError.slice(0, 160)}); ${fallback}`);
process.exit(0);

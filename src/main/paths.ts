/**
 * Where the main process finds its run-time assets, and how it reads the self-test switches.
 * Pure (no Electron) so it can be tested: callers pass in what Electron knows.
 */
import path from 'node:path';

export interface AppLocation {
  /** `app.isPackaged`. */
  isPackaged: boolean;
  /** `process.resourcesPath`: the packaged app's resources folder (holds app.asar and runtime/). */
  resourcesPath: string;
  /** `app.getAppPath()`: the folder holding package.json; the repository root when unpackaged. */
  appPath: string;
}

/**
 * The embedded MNIST cache (scripts/build-mnist.mjs). Packaged, electron-builder copies
 * resources/runtime/ beside app.asar (`extraResources`); unpackaged (`electron-vite dev/preview`),
 * it is read where the build script wrote it, in the repository.
 */
export function embeddedDataDir(where: AppLocation): string {
  return where.isPackaged ? path.join(where.resourcesPath, 'runtime', 'mnist') : path.join(where.appPath, 'resources', 'runtime', 'mnist');
}

export const SELF_TEST_SWITCH = '--self-test';
const REPORT_SWITCH = '--self-test-report=';

export interface SelfTestArgs {
  /** `--self-test` was given: run the self-test and exit instead of opening a window. */
  enabled: boolean;
  /** `--self-test-report=<file>`: also write the JSON report there (null: stdout only). */
  reportPath: string | null;
}

/** Reads the self-test switches from `argv` (process.argv: the executable, maybe the app folder, then ours). */
export function selfTestArgs(argv: readonly string[]): SelfTestArgs {
  const report = argv.find((a) => a.startsWith(REPORT_SWITCH));
  const reportPath = report === undefined ? null : report.slice(REPORT_SWITCH.length);
  return { enabled: argv.includes(SELF_TEST_SWITCH), reportPath: reportPath === '' ? null : reportPath };
}

/**
 * The worker chunk's path to hand to `new Worker`: inside a packaged app electron-vite's path
 * points into app.asar, but the chunk is unpacked (electron-builder.yml asarUnpack), so the worker
 * starts from a real file whatever Electron's asar support in worker threads.
 */
export function unpackedWorkerPath(workerPath: string, isPackaged: boolean): string {
  return isPackaged ? workerPath.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1') : workerPath;
}

/**
 * `Ablate --self-test`: proves that an installed app works without showing a window. Runs the
 * self-test service on the bundled worker and the embedded data, prints one line of JSON to stdout
 * (and to `--self-test-report=<file>` if given: a Windows GUI executable's stdout is easy to lose),
 * and exits 0 only if every step passed. The release workflow launches each packaged app this way.
 */
import { writeFileSync } from 'node:fs';
import { app } from 'electron';
import workerPath from '../engine/parallel/worker?modulePath';
import { runSelfTest } from '../services/self-test.js';
import { embeddedDataDir, selfTestArgs, unpackedWorkerPath } from './paths.js';

/** A self-test that has not finished by then has hung (one epoch of a tiny model takes seconds). */
const TIMEOUT_MS = 5 * 60_000;

export interface SelfTestOutput {
  selfTest: 'ablate';
  ok: boolean;
  version: string;
  electron: string;
  node: string;
  platform: NodeJS.Platform;
  arch: string;
  packaged: boolean;
  workerPath: string;
  embeddedDir: string;
  durationMs: number;
  report?: object;
  error?: string;
}

export async function runSelfTestAndExit(): Promise<never> {
  const started = Date.now();
  const { reportPath } = selfTestArgs(process.argv);
  const embeddedDir = embeddedDataDir({ isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, appPath: app.getAppPath() });
  const worker = unpackedWorkerPath(workerPath, app.isPackaged);
  const output: SelfTestOutput = {
    selfTest: 'ablate',
    ok: false,
    version: app.getVersion(),
    electron: process.versions.electron ?? 'unknown',
    node: process.versions.node,
    platform: process.platform,
    arch: process.arch,
    packaged: app.isPackaged,
    workerPath: worker,
    embeddedDir,
    durationMs: 0,
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    // Services that need a ready app (utility processes) get one; no window, no Dock icon.
    await app.whenReady();
    app.dock?.hide();
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`self-test: no result after ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
    });
    const result = await Promise.race([runSelfTest({ workerPath: worker, embeddedDir }), timeout]);
    output.ok = result.ok === true;
    output.report = result.report;
  } catch (err) {
    output.ok = false;
    output.error = err instanceof Error ? (err.stack ?? err.message) : String(err);
  } finally {
    clearTimeout(timer);
  }
  output.durationMs = Date.now() - started;
  if (reportPath !== null) {
    try {
      writeFileSync(reportPath, JSON.stringify(output) + '\n');
    } catch (err) {
      output.ok = false;
      output.error = `self-test: cannot write the report to ${reportPath}: ${String(err)}`;
    }
  }
  // Pipes are asynchronous on Windows: exit only once the line has been handed over (or after 2 s,
  // should stdout lead nowhere).
  await new Promise<void>((resolve) => {
    setTimeout(resolve, 2000).unref();
    process.stdout.write(JSON.stringify(output) + '\n', () => resolve());
  });
  app.exit(output.ok ? 0 : 1);
  // app.exit does not return control to JavaScript in practice; this satisfies `never`.
  return new Promise<never>(() => {});
}

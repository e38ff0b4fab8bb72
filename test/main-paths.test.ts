/**
 * The main process's run-time paths and self-test switches (src/main/paths.ts), without Electron.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { embeddedDataDir, selfTestArgs } from '../src/main/paths.js';

describe('embeddedDataDir', () => {
  it('reads the extraResources copy beside app.asar when packaged', () => {
    const resourcesPath = path.join(path.sep, 'opt', 'Ablate', 'resources');
    const dir = embeddedDataDir({ isPackaged: true, resourcesPath, appPath: path.join(resourcesPath, 'app.asar') });
    expect(dir).toBe(path.join(resourcesPath, 'runtime', 'mnist'));
  });

  it("reads the repository's build output when unpackaged (electron-vite dev/preview)", () => {
    const repo = path.join(path.sep, 'home', 'dev', 'ablate');
    // Unpackaged, process.resourcesPath is Electron's own resources folder: never used.
    const dir = embeddedDataDir({ isPackaged: false, resourcesPath: path.join(repo, 'node_modules', 'electron', 'dist'), appPath: repo });
    expect(dir).toBe(path.join(repo, 'resources', 'runtime', 'mnist'));
  });
});

describe('selfTestArgs', () => {
  it('is off for a normal launch', () => {
    expect(selfTestArgs(['/opt/Ablate/ablate'])).toEqual({ enabled: false, reportPath: null });
    expect(selfTestArgs(['electron', '.'])).toEqual({ enabled: false, reportPath: null });
  });

  it('finds --self-test after the executable, packaged or not', () => {
    expect(selfTestArgs(['/opt/Ablate/ablate', '--self-test'])).toEqual({ enabled: true, reportPath: null });
    expect(selfTestArgs(['electron', '.', '--no-sandbox', '--self-test'])).toEqual({ enabled: true, reportPath: null });
  });

  it('reads --self-test-report=<file>, ignoring an empty one', () => {
    expect(selfTestArgs(['Ablate.exe', '--self-test', '--self-test-report=C:\\tmp\\r.json'])).toEqual({
      enabled: true,
      reportPath: 'C:\\tmp\\r.json',
    });
    expect(selfTestArgs(['ablate', '--self-test', '--self-test-report='])).toEqual({ enabled: true, reportPath: null });
  });

  it('does not take look-alike switches for --self-test', () => {
    expect(selfTestArgs(['ablate', '--self-tests', '--self-test-report=r.json']).enabled).toBe(false);
  });
});

describe('unpackedWorkerPath', () => {
  it('points a packaged app at the unpacked worker chunk, and leaves other paths alone', async () => {
    const { unpackedWorkerPath } = await import('../src/main/paths.js');
    expect(unpackedWorkerPath('/opt/Ablate/resources/app.asar/out/main/chunks/worker-ab12.js', true)).toBe(
      '/opt/Ablate/resources/app.asar.unpacked/out/main/chunks/worker-ab12.js',
    );
    expect(unpackedWorkerPath('C:\\Ablate\\resources\\app.asar\\out\\main\\chunks\\worker-ab12.js', true)).toBe(
      'C:\\Ablate\\resources\\app.asar.unpacked\\out\\main\\chunks\\worker-ab12.js',
    );
    expect(unpackedWorkerPath('/repo/out/main/chunks/worker-ab12.js', false)).toBe('/repo/out/main/chunks/worker-ab12.js');
  });
});

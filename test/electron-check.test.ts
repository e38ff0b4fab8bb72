/**
 * `npm start` and `npm run dev` check for Electron's binary first (scripts/check-electron.mjs):
 * without it they print one paragraph (why, the command that installs it, `npx ablate serve`)
 * and exit 1, with no stack trace; with it they go on. The binary's absence is simulated or not
 * through ELECTRON_OVERRIDE_DIST_PATH, which the electron package honours.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const check = (env: Record<string, string | undefined>) =>
  spawnSync(process.execPath, ['scripts/check-electron.mjs'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });

describe('the Electron check of npm start', () => {
  const empty = mkdtempSync(path.join(tmpdir(), 'ablate-no-electron-'));

  it('explains a missing binary in one paragraph, with the install command and ablate serve, and exits 1', () => {
    const r = check({ ELECTRON_OVERRIDE_DIST_PATH: empty, ELECTRON_SKIP_BINARY_DOWNLOAD: '' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const text = r.stderr.trim();
    expect(text.split('\n')).toHaveLength(1);
    expect(text).toMatch(/Electron's binary is not installed: its download was skipped or failed/);
    expect(text).toContain('`npm rebuild electron`');
    expect(text).toContain('`npx ablate serve`');
    expect(text).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
  });

  it('names ELECTRON_SKIP_BINARY_DOWNLOAD when it is what skipped the download', () => {
    const r = check({ ELECTRON_OVERRIDE_DIST_PATH: empty, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/ELECTRON_SKIP_BINARY_DOWNLOAD is set in this shell/);
    expect(r.stderr).toMatch(/in a shell without ELECTRON_SKIP_BINARY_DOWNLOAD/);
  });

  it('lets npm start go on when the binary is there', () => {
    const dist = mkdtempSync(path.join(tmpdir(), 'ablate-electron-'));
    writeFileSync(path.join(dist, 'electron'), '');
    const r = check({ ELECTRON_OVERRIDE_DIST_PATH: dist });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('runs first in npm start and npm run dev', () => {
    const { scripts } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(scripts.start).toMatch(/^node scripts\/check-electron\.mjs && /);
    expect(scripts.dev).toMatch(/^node scripts\/check-electron\.mjs && /);
  });
});

/**
 * npm 11 runs a dependency's install script only when package.json's `allowScripts` approves it,
 * and warns about every one it neither approves nor denies. Here: every installed dependency that
 * has an install script is covered (as `npm install-scripts ls` reports), and every entry of
 * `allowScripts` has its one-line reason in docs/install.md, so adding a dependency with an
 * install script fails CI until someone has reviewed it.
 */
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { allowScripts?: Record<string, boolean> };

describe('dependency install scripts', () => {
  it('are all approved or denied in package.json (npm install-scripts ls lists none)', () => {
    const out = execSync('npm install-scripts ls --json', { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const pending = (JSON.parse(out) as { allowScripts: Array<{ name: string; changes: Array<{ key: string }> }> }).allowScripts;
    expect(pending.flatMap((p) => p.changes.map((c) => c.key))).toEqual([]);
  });

  it('each have a reason in docs/install.md', () => {
    const docs = readFileSync(`${ROOT}docs/install.md`, 'utf8');
    const entries = Object.entries(pkg.allowScripts ?? {});
    expect(entries.length).toBeGreaterThan(0);
    const rows = new Map(
      docs
        .split('\n')
        .map((line) => line.split('|').map((cell) => cell.trim()))
        .filter((cells) => cells.length === 5 && /^`[^`]+`$/.test(cells[1]))
        .map((cells) => [cells[1].slice(1, -1), { decision: cells[2], why: cells[3] }]),
    );
    for (const [name, allowed] of entries) {
      const row = rows.get(name);
      expect(row, `docs/install.md has no row for ${name}`).toBeDefined();
      expect(row?.decision, name).toBe(allowed ? 'allowed' : 'denied');
      expect(row?.why.length, `${name} needs a reason`).toBeGreaterThan(10);
    }
  });
});

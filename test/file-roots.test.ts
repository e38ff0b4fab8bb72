/**
 * FileRoots: which typed paths the workbench may read (the store and `ablate serve --data`
 * folders). Checked on a real folder tree with symbolic links: a link inside a root that points
 * outside is refused, a root reached through a link works, a folder whose name merely starts like
 * a root's is not inside it.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileRoots } from '../src/services/app/file-roots.js';

const base = mkdtempSync(path.join(tmpdir(), 'ablate-roots-'));
const at = (...p: string[]) => path.join(base, ...p);
mkdirSync(at('data', 'nested'), { recursive: true });
mkdirSync(at('data2'));
mkdirSync(at('secret'));
writeFileSync(at('data', 'a.csv'), 'x\n');
writeFileSync(at('data', 'nested', 'b.csv'), 'x\n');
writeFileSync(at('data2', 'c.csv'), 'x\n');
writeFileSync(at('secret', 'key.txt'), 'x\n');
/** Windows lets only privileged users create symbolic links: the link cases skip there if refused. */
const links = (() => {
  try {
    symlinkSync(at('secret', 'key.txt'), at('data', 'leak.csv'));
    symlinkSync(at('secret'), at('data', 'secret-dir'), 'dir');
    symlinkSync(at('data'), at('data-link'), 'dir');
    return true;
  } catch {
    return false;
  }
})();

describe('FileRoots', () => {
  const roots = new FileRoots([at('data')]);

  it('accepts files inside a root, nested or not yet existing', () => {
    expect(roots.contains(at('data', 'a.csv'))).toBe(true);
    expect(roots.contains(at('data', 'nested', 'b.csv'))).toBe(true);
    expect(roots.contains(at('data', 'not-yet.csv'))).toBe(true);
  });

  it('refuses the root itself, its parent, a sibling whose name starts alike, and climbs out', () => {
    expect(roots.contains(at('data'))).toBe(false);
    expect(roots.contains(base)).toBe(false);
    expect(roots.contains(at('data2', 'c.csv'))).toBe(false);
    expect(roots.contains(at('data', '..', 'secret', 'key.txt'))).toBe(false);
    expect(roots.contains('/etc/passwd')).toBe(false);
  });

  it.skipIf(!links)('refuses a link inside a root that leads outside it', () => {
    expect(roots.contains(at('data', 'leak.csv'))).toBe(false);
    expect(roots.contains(at('data', 'secret-dir', 'key.txt'))).toBe(false);
  });

  it.skipIf(!links)('follows a root given through a link, and lists the roots as given', () => {
    const linked = new FileRoots([at('data-link'), at('data-link')]);
    expect(linked.paths).toEqual([at('data-link')]);
    expect(linked.contains(at('data-link', 'a.csv'))).toBe(true);
    expect(linked.contains(at('data', 'a.csv'))).toBe(true);
    expect(linked.contains(at('data-link', 'leak.csv'))).toBe(false);
  });
});

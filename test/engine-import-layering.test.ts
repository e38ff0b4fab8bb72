/**
 * The engine's stack, checked two independent ways. (1) The import graph read from the sources
 * (every static, re-export and dynamic import, resolved to a file) follows ENGINE_LAYERS from
 * eslint.config.js: each edge goes to the same folder, to a lower rank or to the base files, and
 * nothing outside the engine reaches past its entry. (2) The lint rules fire: ESLint reports a
 * forbidden import for every upward or sideways pair of folders and for an outside import of an
 * engine internal, and stays quiet on the allowed direction.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The table lives in the lint config (plain JavaScript): the rules and this test read one copy.
const configPath: string = '../eslint.config.js';
const { ENGINE_LAYERS } = (await import(configPath)) as { ENGINE_LAYERS: string[][] };

const root = resolve(import.meta.dirname, '..');
const engine = join(root, 'src/engine');
const folders = ENGINE_LAYERS.flat();
const rankOf = (folder: string): number => ENGINE_LAYERS.findIndex((rank) => rank.includes(folder));
const ENTRY = new Set(['index.ts', 'portable.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'assembly' || name === 'generated' ? [] : sourceFiles(path);
    return /\.(ts|svelte)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Relative specifiers of every import, re-export and dynamic import in a file. */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)'(\.{1,2}\/[^'?]+)(?:\?[^']*)?'/g)].map((m) => m[1]);
}

/** The engine folder of a path inside src/engine ('' for the files at its root). */
function folderOf(path: string): string {
  const rel = relative(engine, path).split('/');
  return rel.length > 1 ? rel[0] : '';
}

describe('engine import graph', () => {
  const files = sourceFiles(engine);

  it('every engine folder is declared in ENGINE_LAYERS, once', () => {
    const onDisk = readdirSync(engine).filter((n) => statSync(join(engine, n)).isDirectory() && n !== 'types');
    expect([...onDisk].sort()).toEqual([...folders].sort());
    expect(new Set(folders).size).toBe(folders.length);
  });

  it('imports go to the same folder, a lower rank or the base files; no engine file imports the entry', () => {
    const bad: string[] = [];
    for (const file of files) {
      const from = folderOf(file);
      if (from === '' && ENTRY.has(relative(engine, file))) continue;
      for (const spec of specifiers(file)) {
        const target = resolve(dirname(file), spec);
        if (!target.startsWith(engine + '/')) continue; // outward rules are ESLint's alone
        const to = folderOf(target);
        const edge = `${relative(root, file)} -> ${spec}`;
        if (to === '') {
          if (ENTRY.has(relative(engine, target).replace(/\.js$/, '.ts'))) bad.push(`${edge} (the entry)`);
          continue;
        }
        if (to === from) continue;
        if (from === '' || rankOf(to) >= rankOf(from)) bad.push(edge);
      }
    }
    expect(bad).toEqual([]);
  });

  it('code outside the engine imports only its entry (and the worker entry)', () => {
    const outside = ['services', 'cli', 'main', 'bench', 'shared'].flatMap((d) => sourceFiles(join(root, 'src', d)));
    const allowed = new Set(['index.ts', 'portable.ts', 'parallel/worker.ts']);
    const bad: string[] = [];
    for (const file of outside) {
      for (const spec of specifiers(file)) {
        const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
        const inEngine = relative(engine, target);
        if (inEngine.startsWith('..')) continue;
        if (!allowed.has(inEngine) && !allowed.has(inEngine + '.ts')) bad.push(`${relative(root, file)} -> ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });
});

describe('engine lint rules fire', () => {
  const eslint = new ESLint({ cwd: root });
  const restricted = async (code: string, filePath: string): Promise<string[]> => {
    const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
    return result.messages.filter((m) => m.ruleId?.endsWith('no-restricted-imports')).map((m) => m.message);
  };

  it('reports each upward or sideways import between engine folders, and allows downward ones', async () => {
    const missed: string[] = [];
    const wrong: string[] = [];
    for (const from of folders) {
      for (const to of folders) {
        if (to === from) continue;
        const messages = await restricted(`import { x } from '../${to}/probe.js';\nexport { x };\n`, `src/engine/${from}/probe.ts`);
        const forbidden = rankOf(to) >= rankOf(from);
        if (forbidden && messages.length === 0) missed.push(`${from} -> ${to}`);
        if (!forbidden && messages.length > 0) wrong.push(`${from} -> ${to}: ${messages.join('; ')}`);
      }
    }
    expect(missed).toEqual([]);
    expect(wrong).toEqual([]);
  }, 120_000);

  it('reports the entry imported from inside, and any folder imported from the base files', async () => {
    expect(await restricted(`export * from '../index.js';\n`, 'src/engine/train/probe.ts')).toHaveLength(1);
    expect(await restricted(`export * from '../../portable.js';\n`, 'src/engine/kernels/wasm/probe.ts')).toHaveLength(1);
    expect(await restricted(`export * from './train/loop.js';\n`, 'src/engine/probe.ts')).toHaveLength(1);
    expect(await restricted(`export * from './errors.js';\n`, 'src/engine/probe.ts')).toHaveLength(0);
    expect(await restricted(`export * from '../train/loop.js';\n`, 'src/engine/rng/probe.ts')).toHaveLength(1);
  });

  it('reports engine internals imported from outside and allows the entry', async () => {
    expect(await restricted(`export { WorkerPool } from '../engine/parallel/pool.js';\n`, 'src/services/probe.ts')).toHaveLength(1);
    expect(await restricted(`export type { RunStatus } from '../engine/train/outcome.js';\n`, 'src/shared/probe.ts')).toHaveLength(1);
    expect(await restricted(`export type { RunStatus } from '../engine/portable.js';\n`, 'src/shared/probe.ts')).toHaveLength(0);
    expect(await restricted(`export { WorkerPool } from '../engine/index.js';\n`, 'src/services/probe.ts')).toHaveLength(0);
    expect(await restricted(`import w from '../engine/parallel/worker?modulePath';\nexport { w };\n`, 'src/main/probe.ts')).toHaveLength(0);
  });
});

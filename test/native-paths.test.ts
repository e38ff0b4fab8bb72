/**
 * Every instruction-set path of the native linear products, compiled from native/src with the C
 * compiler the addon is built with, checked by native/test/gemm_check.c: against a double
 * reference on awkward shapes, split invariance bit for bit, and a hash of the outputs of a fixed
 * problem. The FMA paths (AVX-512, AVX2, NEON) must give the same hash; the portable path its own.
 * NEON runs under qemu-aarch64-static when the cross compiler (gcc-aarch64-linux-gnu) and qemu
 * (qemu-user-static) are installed (Debian packages, installed by .ci/run), else it is skipped
 * with a note. Also: ABLATE_NATIVE_ISA forces a path in the addon, and refuses one the CPU lacks.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { nativeSupported, nativeSupportedPaths } from '../src/engine/kernels/native/kernels.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = ['cpu.c', 'gemm_portable.c', 'gemm_avx2.c', 'gemm_avx512.c', 'gemm_neon.c'].map((f) => path.join(ROOT, 'native', 'src', f));
const CHECK = path.join(ROOT, 'native', 'test', 'gemm_check.c');
const FLAGS = ['-std=c11', '-O2', '-ffp-contract=off', '-fno-math-errno'];
const dir = mkdtempSync(path.join(tmpdir(), 'ablate-native-paths-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const has = (cmd: string) => spawnSync(cmd, ['--version'], { encoding: 'utf8' }).status === 0;

type PathCheck = { ok: boolean; hash: string; updates: string };

/** Compiles the check with `cc` and runs it (through `runner` when given): path -> { ok, hashes }. */
function runCheck(cc: string, extra: string[], runner?: string): Map<string, PathCheck> {
  const exe = path.join(dir, `gemm_check_${path.basename(cc)}`);
  const build = spawnSync(cc, [...FLAGS, ...extra, '-o', exe, CHECK, ...SOURCES, '-lm'], { encoding: 'utf8' });
  expect(build.status, build.stderr).toBe(0);
  const run = runner ? spawnSync(runner, [exe], { encoding: 'utf8' }) : spawnSync(exe, { encoding: 'utf8' });
  const rows = new Map<string, PathCheck>();
  for (const line of run.stdout.trim().split('\n')) {
    const [name, status, hash, updates] = line.split(' ');
    if (updates) rows.set(name, { ok: status === 'ok', hash, updates });
  }
  expect(rows.size, `${run.stdout}\n${run.stderr}`).toBeGreaterThan(0);
  for (const [name, r] of rows) expect(r.ok, `${name}: ${run.stdout}`).toBe(true);
  return rows;
}

describe.skipIf(!has('gcc') && !has('cc'))('native instruction-set paths', () => {
  const cc = has('gcc') ? 'gcc' : 'cc';
  let host: Map<string, PathCheck>;

  it('every path this CPU supports: close to a double reference, split invariant; FMA paths agree bit for bit', () => {
    host = runCheck(cc, []);
    expect(host.has('portable')).toBe(true);
    const fma = [...host].filter(([name]) => name !== 'portable').map(([, r]) => r.hash);
    expect(new Set(fma).size).toBeLessThanOrEqual(1);
    if (process.arch === 'x64') expect(host.has('avx2') || host.has('avx512') || !nativeSupported()).toBe(true);
  });

  it('the parameter passes (SGD, Adam, sum of squares) give the same bits on every path, portable included', () => {
    expect(new Set([...host.values()].map((r) => r.updates)).size).toBe(1);
  });

  const cross = has('aarch64-linux-gnu-gcc') && has('qemu-aarch64-static');
  it.skipIf(!cross || process.arch !== 'x64')('NEON under qemu-aarch64: the same bits as the x86 FMA paths', () => {
    const arm = runCheck('aarch64-linux-gnu-gcc', ['-static'], 'qemu-aarch64-static');
    expect([...arm.keys()]).toEqual(['neon', 'portable']);
    const x86Fma = host.get('avx512') ?? host.get('avx2');
    if (x86Fma) expect(arm.get('neon')!.hash).toBe(x86Fma.hash);
    expect(arm.get('portable')!.hash).toBe(host.get('portable')!.hash);
    expect(new Set([...arm.values(), ...host.values()].map((r) => r.updates)).size).toBe(1);
  });
  if (!cross) console.log('NEON path not run: install gcc-aarch64-linux-gnu and qemu-user-static to run it under emulation');

  it.skipIf(!nativeSupported())('ABLATE_NATIVE_ISA forces a supported path and refuses one this CPU lacks', () => {
    const load = (isa: string) =>
      spawnSync(
        process.execPath,
        [
          '-e',
          `const a = require(${JSON.stringify(path.join(ROOT, 'build', 'Release', 'ablate_kernels.node'))}); console.log(JSON.stringify({ isa: a.isa, err: a.loadError }))`,
        ],
        { encoding: 'utf8', env: { ...process.env, ABLATE_NATIVE_ISA: isa } },
      );
    for (const isa of nativeSupportedPaths()) expect(JSON.parse(load(isa).stdout)).toEqual({ isa, err: null });
    const missing = ['avx512', 'avx2', 'neon'].find((p) => !nativeSupportedPaths().includes(p))!;
    const refused = JSON.parse(load(missing).stdout);
    expect(refused.isa).toBeNull();
    expect(refused.err).toMatch(/does not support/);
  });
});

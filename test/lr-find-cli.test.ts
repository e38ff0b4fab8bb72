/**
 * `ablate lr-find` as a user runs it: per variant a curve, the stop and a suggested rate with its
 * rule, the same output for the same experiment (deterministic from the seed), nothing written;
 * bad input exits 2 with a message naming the flag or variant, never a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spiralSpec } from './helpers/experiments.js';

const bin = fileURLToPath(new URL('../bin/ablate.js', import.meta.url));
const ablate = (args: string[], cwd: string) => {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

function experimentDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ablate-lr-find-'));
  writeFileSync(path.join(dir, 'experiment.json'), JSON.stringify(spiralSpec('lr find')));
  return dir;
}

describe('ablate lr-find', () => {
  it("prints each variant's curve, the stop and the suggestion; same result twice; writes nothing", () => {
    const dir = experimentDir();
    const text = ablate(['lr-find', 'experiment.json', '--steps', '60'], dir);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/from 1\.00e-7 to 1\.00e\+1 over 60 optimizer steps/);
    expect(text.stdout).toMatch(/\nrelu:\n[\s\S]*\ntanh:\n/);
    expect(text.stdout).toMatch(/Suggested rate: [\d.]+e[-+]\d+ \(rule "minimum\/10"/);
    const a = JSON.parse(ablate(['lr-find', 'experiment.json', '--steps', '60', '--json'], dir).stdout);
    const b = JSON.parse(ablate(['lr-find', 'experiment.json', '--steps', '60', '--json'], dir).stdout);
    expect(a).toEqual(b);
    expect(a.seed).toBe(1);
    for (const v of a.variants) {
      const pts = v.result.points;
      expect(pts.length).toBeGreaterThan(6);
      expect(pts[0].lr).toBeCloseTo(1e-7, 20);
      // The ramp: each rate is the previous one times (1e8)^(1/59).
      expect(pts[1].lr / pts[0].lr).toBeCloseTo(Math.pow(1e8, 1 / 59), 10);
      expect(v.result.suggestion.lr).toBeCloseTo(v.result.minimum.lr / 10, 15);
    }
    expect(readdirSync(dir)).toEqual(['experiment.json']);
  });

  it('runs only the variants asked for', () => {
    const dir = experimentDir();
    const r = JSON.parse(ablate(['lr-find', 'experiment.json', '--variant', 'activation=tanh', '--steps', '20', '--json'], dir).stdout);
    expect(r.variants.map((v: { variantId: string }) => v.variantId)).toEqual(['activation=tanh']);
  });

  it('rejects bad input with exit 2 and a message naming what is wrong', () => {
    const dir = experimentDir();
    const cases: Array<[string[], RegExp]> = [
      [['lr-find'], /lr-find: which experiment file\?/],
      [['lr-find', 'missing.json'], /lr-find: cannot read missing\.json: no such file/],
      [['lr-find', 'experiment.json', '--start', 'abc'], /--start must be a number, got "abc"/],
      [['lr-find', 'experiment.json', '--start', '1', '--end', '0.1'], /--end must be a number above start \(1\), got 0\.1/],
      [['lr-find', 'experiment.json', '--steps', '2'], /--steps must be a whole number from 5 to 100000, got 2/],
      [['lr-find', 'experiment.json', '--variant', 'nope'], /no variant "nope"; variants: activation=relu, activation=tanh/],
      [['lr-find', 'experiment.json', '--fast'], /lr-find: .*--fast/],
    ];
    for (const [args, message] of cases) {
      const r = ablate(args, dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

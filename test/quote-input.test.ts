/**
 * User content in error messages is quoted safely (issue 14): a binary experiment file, a value
 * with escape sequences, a CSV cell with a bell, a flag with a clear-screen sequence never put a
 * raw control character (nor a bidirectional override) on the terminal or in the app, and a long
 * value is cut. The expected strings are written out by hand (JSON-style escapes).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { errorMessage, printable, quoteInput, shownJson } from '../src/engine/index.js';
import { parseExperiment } from '../src/services/experiments/spec/validate.js';
import { spiralSpec } from './helpers/experiments.js';
import { testServices } from './helpers/app-services.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin/ablate.js');
const base = fs.mkdtempSync(path.join(tmpdir(), 'ablate-quote-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

/** Anything a terminal would act on or a reader could not see: C0 but line feed, DEL, C1, bidi and zero-width marks. */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;

function ablate(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected an error');
}

describe('quoteInput, shownJson, printable', () => {
  it('escape control characters JSON-style and cut long values', () => {
    expect(quoteInput('relu')).toBe('"relu"');
    expect(quoteInput('a\u001b[2Jb\u0007')).toBe('"a\\u001b[2Jb\\u0007"');
    expect(quoteInput('say "hi"\\')).toBe('"say \\"hi\\"\\\\"');
    expect(quoteInput('x\n\ty\r')).toBe('"x\\n\\ty\\r"');
    expect(quoteInput('\u0085\u009b\u202eevil\u2066')).toBe('"\\u0085\\u009b\\u202eevil\\u2066"');
    expect(quoteInput('\ud800a')).toBe('"\\ud800a"'); // a lone surrogate
    expect(quoteInput('caf\u00e9 \u{1f600}')).toBe('"caf\u00e9 \u{1f600}"'); // printable text stays as it is
    expect(quoteInput('abcdefghij', 4)).toBe('"abcd..." (10 characters)');
    expect(quoteInput('x'.repeat(10_000_000))).toBe(`"${'x'.repeat(40)}..." (10000000 characters)`);
    expect(shownJson([1, 2, 3])).toBe('[1,2,3]');
    expect(shownJson('\u009b2J')).toBe('"\\u009b2J"');
    expect(
      shownJson(
        Array.from({ length: 100 }, () => 7),
        10,
      ),
    ).toBe('[7,7,7,7,7... (201 characters)');
    expect(printable('line 1\n\tline 2\u001b[31m')).toBe('line 1\n\tline 2\\u001b[31m');
    expect(errorMessage(new Error('bad \u0007'))).toBe('bad \\u0007');
  });
});

describe('an experiment file with control characters', () => {
  it('a binary file is refused with its first bytes escaped', () => {
    const m = messageOf(() => parseExperiment('\u0000\u0001\u0002ELF\u001b[31m', 'model.bin'));
    expect(m).toBe(
      'Invalid experiment model.bin: line 1, column 1: unexpected "\\u0000\\u0001\\u0002ELF\\u001b"; expected a value (a string in double quotes, a number, true, false, null, a list or an object)',
    );
  });

  it('a value or a key with escape sequences is quoted escaped, and a long one cut', () => {
    const spec = spiralSpec('q', {});
    const m = messageOf(() =>
      parseExperiment(
        JSON.stringify({
          ...spec,
          '\u001b[31mkey': 1,
          model: { ...spec.model, hidden: [{ width: 4, activation: 're\u0007lu\u202e' + 'x'.repeat(100) }] },
        }),
        'e.json',
      ),
    );
    expect(m).toContain('["\\u001b[31mkey"]: is not a known field');
    expect(m).toContain(`got "re\\u0007lu\\u202e${'x'.repeat(34)}..." (106 characters)`);
    expect(m).not.toMatch(RAW);
  });

  it('the CLI prints a binary experiment file, a bad flag and a bad CSV cell without a raw control character', () => {
    const binary = path.join(base, 'binary.json');
    fs.writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x1b, 0x5b, 0x32, 0x4a, 0x00, 0x00, 0x9b, 0x07]));
    const r = ablate(['run', binary, '--out', path.join(base, 'store')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('line 1, column 1: unexpected "\\u007fELF\\u0002\\u0001\\u001b"; expected a value');
    expect(r.stderr).not.toMatch(RAW);

    const flag = ablate(['run', binary, '--workers', '\u001b[2J\u0007']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('got "\\u001b[2J\\u0007"');
    expect(flag.stderr).not.toMatch(RAW);

    const csv = path.join(base, 'cells.csv');
    fs.writeFileSync(csv, 'a,b,label\n1,2,0\n3,\u0007\u001b]0;pwned\u0007,1\n5,6,0\n');
    const spec = path.join(base, 'csv.json');
    fs.writeFileSync(
      spec,
      JSON.stringify({
        ...spiralSpec('csv cells'),
        data: { source: 'csv', path: csv, target: 'label', missing: 'error' },
        compare: undefined,
        seeds: [1],
      }),
    );
    const c = ablate(['run', spec, '--out', path.join(base, 'store')]);
    expect(c.code, c.stdout + c.stderr).toBe(2);
    expect(c.stderr).not.toMatch(RAW);
    expect(c.stderr).toContain('\\u0007\\u001b]0;pwned\\u0007');
  });

  it("the app's experiment-file opener words a binary file like the CLI, escaped", async () => {
    const file = path.join(base, 'app-binary.json');
    fs.writeFileSync(file, Buffer.from([0x00, 0x1b, 0x5b, 0x32, 0x4a, 0x07]));
    const services = testServices(base, { dialogs: { openExperimentFile: async () => file } });
    try {
      const r = await services.invoke('openExperimentFile', [null]);
      expect(r.ok).toBe(false);
      const error = (r as { error: string }).error;
      expect(error).toBe(
        'app-binary.json is not valid JSON: line 1, column 1: unexpected "\\u0000\\u001b"; expected a value (a string in double quotes, a number, true, false, null, a list or an object)',
      );
    } finally {
      await services.dispose();
    }
  });
});

/**
 * Damaged runs are not results (issues 13 and 14): a complete run that lost weights.bin or
 * config.json keeps a summary whose numbers look fine, but the seed statistics of `ablate show`,
 * the app's comparison (results table and curves), `ablate compare` and the report leave it out,
 * and say so: "n = 1 of 3; 2 damaged runs excluded". Checked against the summaries read straight
 * from the run folders.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareExperiment } from '../src/services/experiments/compare.js';
import { compareAcross } from '../src/services/experiments/cross-compare.js';
import { loadExperiment } from '../src/services/store/reader.js';
import { exclusionText } from '../src/shared/excluded.js';
import { spiralSpec } from './helpers/experiments.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin/ablate.js');
const base = fs.mkdtempSync(path.join(tmpdir(), 'ablate-damaged-stats-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

function ablate(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 600_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const RELU = 'activation=relu';
const TANH = 'activation=tanh';
interface Summary {
  runId: string;
  variantId: string;
  seed: number;
  final: { valLoss: number };
}

let dir = '';
let healthyRelu: Summary;
let tanh: Summary[];

beforeAll(() => {
  const spec = path.join(base, 'spiral.json');
  fs.writeFileSync(
    spec,
    JSON.stringify(
      spiralSpec('Damaged stats', { train: { epochs: 3, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } }, seeds: [1, 2, 3] }),
    ),
  );
  const r = ablate(['run', spec, '--out', path.join(base, 'store'), '--json', '--workers', '2']);
  expect(r.code, r.stderr).toBe(0);
  dir = (JSON.parse(r.stdout) as { dir: string }).dir;
  const summaries = fs
    .readdirSync(path.join(dir, 'runs'))
    .map((id) => JSON.parse(fs.readFileSync(path.join(dir, 'runs', id, 'summary.json'), 'utf8')) as Summary);
  const relu = summaries.filter((s) => s.variantId === RELU).sort((a, b) => a.seed - b.seed);
  tanh = summaries.filter((s) => s.variantId === TANH);
  expect(relu).toHaveLength(3);
  // Two of relu's three runs lose a file each; seed 2 stays intact.
  fs.rmSync(path.join(dir, 'runs', relu[0].runId, 'weights.bin'));
  fs.rmSync(path.join(dir, 'runs', relu[2].runId, 'config.json'));
  healthyRelu = relu[1];
}, 600_000);

describe('a variant with damaged runs', () => {
  it('`ablate show` counts only the intact run and says two damaged runs were excluded', () => {
    const json = ablate(['show', dir, '--json']);
    expect(json.code).toBe(1); // damaged runs make show exit 1 (issue 14)
    const stats = JSON.parse(json.stdout).statistics as {
      variants: Array<{ variantId: string; statuses: Record<string, number>; metrics: Record<string, { n: number; mean: number }> }>;
    };
    const relu = stats.variants.find((v) => v.variantId === RELU)!;
    expect(relu.statuses).toEqual({ completed: 1, damaged: 2 });
    expect(relu.metrics['final.valLoss'].n).toBe(1);
    expect(relu.metrics['final.valLoss'].mean).toBe(healthyRelu.final.valLoss);
    const t = stats.variants.find((v) => v.variantId === TANH)!;
    expect(t.metrics['final.valLoss'].n).toBe(3);
    expect(t.metrics['final.valLoss'].mean).toBeCloseTo(tanh.reduce((a, s) => a + s.final.valLoss, 0) / 3, 12);

    const text = ablate(['show', dir]);
    expect(text.stdout).toContain('relu: n = 1 of 3; 2 damaged runs excluded');
    expect(text.stdout).not.toMatch(/tanh: n =/);
  });

  it("the app's comparison leaves the damaged runs out of the table and the curves", async () => {
    const cmp = await compareExperiment(await loadExperiment(dir), null);
    const relu = cmp.variants.find((v) => v.variantId === RELU)!;
    expect(relu.metrics['final.valLoss']).toMatchObject({ n: 1, mean: healthyRelu.final.valLoss });
    expect(relu.metrics['curve.valLossArea']?.n ?? 1).toBe(1);
    const band = cmp.curves[RELU].valLoss;
    expect(band.n).toEqual([1, 1, 1]);
    expect(band.mean[2]).toBe(healthyRelu.final.valLoss);
    expect(cmp.curves[TANH].valLoss.n).toEqual([3, 3, 3]);
  });

  it('`ablate compare` and the report leave them out too', async () => {
    const across = compareAcross([await loadExperiment(dir)]);
    const relu = across.statistics.variants.find((v) => v.variantId.endsWith(RELU))!;
    expect(relu.statuses).toEqual({ completed: 1, damaged: 2 });
    expect(relu.metrics['final.valLoss'].n).toBe(1);

    const out = path.join(base, 'report.html');
    const r = ablate(['report', dir, '--out', out]);
    expect(r.code, r.stderr).not.toBe(2);
    expect(fs.readFileSync(out, 'utf8')).toContain('n = 1 of 3; 2 damaged runs excluded');
  });
});

describe('exclusionText', () => {
  it('says how many ended runs count and which were left out, worst first', () => {
    expect(exclusionText({ completed: 2, damaged: 1 })).toBe('n = 2 of 3; 1 damaged run excluded');
    expect(exclusionText({ early_stopped: 1, completed: 1, cancelled: 1, diverged: 2 })).toBe(
      'n = 2 of 5; 2 diverged, 1 cancelled runs excluded',
    );
    expect(exclusionText({ completed: 3, early_stopped: 1 })).toBeNull();
    expect(exclusionText({})).toBeNull();
    expect(exclusionText({ failed: 1 })).toBe('n = 0 of 1; 1 failed run excluded');
  });
});

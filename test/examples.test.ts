/**
 * The shipped examples (examples/*.json) run from the CLI on the embedded MNIST digits and show
 * what their descriptions promise: vanishing gradients with sigmoid, a train/validation gap that
 * regularizers narrow and early stopping cuts short, and inits that fail; and each example's
 * one-file report (ablate report) opens offline in Chromium and prints to PDF. The longest tests of the
 * suite (about 1.5 minutes each on a quiet 2-core machine, 5 when it is loaded): each example is
 * trained as shipped, in a child process whose time limit (EXAMPLE_LIMIT_MS) is ten times a quiet
 * run, so a machine three times slower passes with room to spare; the child is spawned
 * asynchronously so the limit is enforced while it runs, with its output in the failure.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { MetricRecord, RunSummary } from '../src/services/experiments/types.js';
import { SKIP_BROWSER } from './e2e/browser.js';
import { openReport } from './e2e/report-check.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The child's limit: 10x a quiet run of the longest example (about 95 s); the test's own timeout is a little longer. */
const EXAMPLE_LIMIT_MS = 1_000_000;
const TEST_TIMEOUT_MS = EXAMPLE_LIMIT_MS + 60_000;

async function runExample(name: string): Promise<{ dir: string; summaries: RunSummary[] }> {
  const out = mkdtempSync(path.join(tmpdir(), 'ablate-example-'));
  const child = spawn(
    process.execPath,
    [path.join(root, 'bin/ablate.js'), 'run', path.join(root, 'examples', `${name}.json`), '--out', out, '--json'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const started = Date.now();
  const killer = setTimeout(() => child.kill('SIGKILL'), EXAMPLE_LIMIT_MS);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(killer);
  const took = `${name} ran ${((Date.now() - started) / 1000).toFixed(0)} s (limit ${EXAMPLE_LIMIT_MS / 1000} s)`;
  expect(code, `${took}\n${stderr.slice(-4000)}`).toBe(0);
  const result = JSON.parse(stdout);
  return { dir: result.dir, summaries: result.summaries };
}

/** `ablate report` on the example's folder, then the report opened offline in Chromium (skipped without it). */
async function expectReportOpens(dir: string, name: string): Promise<void> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'ablate-report-')), `${name}.html`);
  const r = spawnSync(process.execPath, [path.join(root, 'bin/ablate.js'), 'report', dir, '--out', file], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  expect(r.status, r.stderr).toBe(0);
  if (SKIP_BROWSER) return;
  const seen = await openReport(file);
  expect([seen.errors, seen.refused]).toEqual([[], []]);
  expect(seen.figures.length).toBeGreaterThanOrEqual(4);
  expect(seen.pdfMagic).toBe('%PDF-');
}

const byVariant = (summaries: RunSummary[], variant: string) => summaries.filter((s) => s.variantId === variant);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function firstDiagnostics(dir: string, runId: string) {
  const lines = readFileSync(path.join(dir, 'runs', runId, 'metrics.ndjson'), 'utf8')
    .trim()
    .split('\n');
  return lines.map((l) => JSON.parse(l) as MetricRecord).find((r) => r.kind === 'diag')!;
}

describe('examples', () => {
  it(
    'why-relu-beat-sigmoid: gradients vanish towards the input with sigmoid, not with the rectifiers',
    async () => {
      const { dir, summaries } = await runExample('why-relu-beat-sigmoid');
      expect(summaries).toHaveLength(15);
      const ratio = (s: RunSummary) => {
        const d = firstDiagnostics(dir, s.runId);
        return d.layers[0].gradNorm / d.layers.at(-1)!.gradNorm;
      };
      for (const s of byVariant(summaries, 'activation=sigmoid')) expect(ratio(s)).toBeLessThan(0.01);
      for (const v of ['activation=relu', 'activation=leaky_relu', 'activation=elu'])
        for (const s of byVariant(summaries, v)) expect(ratio(s)).toBeGreaterThan(0.3);
      const acc = (v: string) => mean(byVariant(summaries, v).map((s) => s.final!.valAccuracy!));
      expect(acc('activation=relu')).toBeGreaterThan(acc('activation=sigmoid') + 0.3);
      expect(acc('activation=tanh')).toBeGreaterThan(acc('activation=sigmoid') + 0.3);
      await expectReportOpens(dir, 'why-relu-beat-sigmoid');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'taming-overfitting: the unregularized net overfits; dropout narrows the gap; early stopping stops early',
    async () => {
      const { dir, summaries } = await runExample('taming-overfitting');
      expect(summaries).toHaveLength(10);
      const gap = (v: string) => mean(byVariant(summaries, v).map((s) => s.final!.trainAccuracy! - s.final!.valAccuracy!));
      expect(gap('regularizer=none')).toBeGreaterThan(0.03);
      expect(gap('regularizer=dropout-0.5')).toBeLessThan(gap('regularizer=none'));
      for (const s of byVariant(summaries, 'regularizer=none')) {
        expect(s.final!.trainAccuracy).toBeGreaterThan(0.99);
        expect(s.final!.valLoss!).toBeGreaterThan(s.best!.valLoss!); // validation loss rose after its best epoch
      }
      for (const s of byVariant(summaries, 'regularizer=early-stopping')) {
        expect(s.status).toBe('early_stopped');
        expect(s.epochsRun).toBeLessThan(20);
        expect(s.restoredBestWeights).toBe(true);
      }
      await expectReportOpens(dir, 'taming-overfitting');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'initialization-matters: Glorot trains, N(0, 1) saturates, zeros never breaks symmetry',
    async () => {
      const { dir, summaries } = await runExample('initialization-matters');
      const acc = (v: string) => mean(byVariant(summaries, v).map((s) => s.final!.valAccuracy!));
      expect(acc('init=glorot_uniform')).toBeGreaterThan(0.9);
      expect(acc('init=glorot_uniform')).toBeGreaterThan(acc('init=normal-1') + 0.1);
      expect(acc('init=zeros')).toBeLessThan(0.2);
      await expectReportOpens(dir, 'initialization-matters');
    },
    TEST_TIMEOUT_MS,
  );
});

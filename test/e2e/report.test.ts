/**
 * The one-file report of a real small experiment (a spiral, relu vs sigmoid, 3 seeds, two hidden
 * layers, with what its units learned), written by `ablate report` and opened in headless Chromium from its file with every
 * other request refused: it shows its tables and figures, raises no error, fetches nothing, and
 * prints to PDF. The examples' reports are opened the same way in test/examples.test.ts. Skipped
 * (with a reason) when ABLATE_SKIP_BROWSER_TESTS is set or Chromium is not installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spiralSpec } from '../helpers/experiments.js';
import { SKIP_BROWSER } from './browser.js';
import { openReport } from './report-check.js';

const bin = fileURLToPath(new URL('../../bin/ablate.js', import.meta.url));
const ablate = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 300_000 });

describe.skipIf(SKIP_BROWSER)('the one-file report in a browser', () => {
  it('opens offline with its tables and figures, and prints to PDF', { timeout: 600_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ablate-report-'));
    const spec = {
      ...spiralSpec('report in a browser', { seeds: [1, 2, 3] }),
      compare: { activation: ['relu', 'sigmoid'] },
    };
    spec.model.hidden = [
      { width: 16, activation: 'relu' },
      { width: 16, activation: 'relu' },
    ];
    writeFileSync(path.join(dir, 'experiment.json'), JSON.stringify(spec));
    const run = ablate(['run', path.join(dir, 'experiment.json'), '--out', path.join(dir, 'store'), '--json']);
    expect(run.status, run.stderr).toBe(0);
    const file = path.join(dir, 'report.html');
    const report = ablate(['report', JSON.parse(run.stdout).dir, '--out', file]);
    expect(report.status, report.stderr).toBe(0);
    expect(report.stdout.trim()).toBe(file);
    expect(readFileSync(file, 'utf8')).not.toMatch(/<script|<link|src=|href=/i);

    const seen = await openReport(file, path.join(dir, 'report.png'));
    expect(seen.errors).toEqual([]);
    expect(seen.refused).toEqual([]);
    expect(seen.title).toBe('report in a browser: Ablate report');
    // Four learning curves, the gradient flow at the first and last logged step, the activation
    // variance at step 1, the variants' activations of hidden layers 1 and 2 on one axis, and what
    // the units learned: each variant's unit responses, every run's boundary, their disagreement.
    expect(seen.figures).toHaveLength(13);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('<h2>What the units learned</h2>');
    expect(html).toMatch(/Where the 6 runs disagree/);
    for (const f of seen.figures) expect(f.width * f.height).toBeGreaterThan(200 * 100);
    // Results, curve summaries, paired differences, signal at initialization, runs; and per class,
    // on validation and on test, each variant's confusion matrix and per-class table and the
    // recall differences against the baseline (2 x (2 x 2 + 1)).
    expect(seen.tables).toBe(15);
    expect(seen.pdfMagic).toBe('%PDF-');
    expect(seen.pdfBytes).toBeGreaterThan(10_000);
  });
});

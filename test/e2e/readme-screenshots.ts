/**
 * Regenerates the README's screenshots (docs/images/*.png) from the real app: runs the "Why ReLU
 * beat sigmoid" example in headless Chromium on `ablate serve`, then captures the Design tab (with its signal check and
 * learning-rate finder), the Compare tab (learning curves, gradient flow, distributions overlaid,
 * what the units learned, per-class results, results); then trains the example's ReLU network
 * with Adam (`ablate run`) and captures the comparison across the two experiments; and after
 * training the "Tuned then compared" search (1-tune.json) with the CLI into the same store, its
 * hyperparameter views.
 * Not a test:
 *   npm run build && npx tsx test/e2e/readme-screenshots.ts [--only NAME,NAME...]
 * `--only` writes just the named images (e.g. `--only classes,lr-finder`); the runs are the same.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { expand } from './browser.js';
import { startWorkbench } from './serve-process.js';

const out = fileURLToPath(new URL('../../docs/images/', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/ablate.js', import.meta.url));
const example = fileURLToPath(new URL('../../examples/why-relu-beat-sigmoid.json', import.meta.url));
const tune = fileURLToPath(new URL('../../examples/tuned-then-compared/1-tune.json', import.meta.url));
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? new Set(process.argv[onlyArg + 1]?.split(',') ?? []) : null;
const LONG = { timeout: 300_000 };

/** Captures the page, or one element of it, as docs/images/<name>.png (unless --only leaves it out). */
async function shot(page: Page, name: string, testid?: string): Promise<void> {
  if (only && !only.has(name)) return;
  const file = path.join(out, `${name}.png`);
  if (testid) await page.getByTestId(testid).first().screenshot({ path: file });
  else await page.screenshot({ path: file });
  console.log(`wrote ${file}`);
}

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const dir = mkdtempSync(path.join(tmpdir(), 'ablate-shots-'));
  const { serve, browser, close } = await startWorkbench(['store', '--port', '0'], dir);
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
    await page.goto(serve.url);
    await page.getByTestId('example-card').filter({ hasText: 'Why ReLU beat sigmoid' }).getByRole('button', { name: 'Run' }).click();
    await page.getByTestId('runs-tab').waitFor();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="run-row"][data-status="completed"]').length === 15,
      null,
      LONG,
    );
    await page.getByTestId('tab-design').click();
    await page.waitForTimeout(1500);
    await shot(page, 'design');
    // The signal check measures each variant on its own first training batch.
    await page.getByTestId('signal-check').getByTestId('plot-signal').locator('.main-svg').first().waitFor(LONG);
    await page.getByTestId('signal-check').scrollIntoViewIfNeeded();
    await page.waitForTimeout(1000);
    await shot(page, 'signal-check', 'signal-check');
    if (!only || only.has('lr-finder')) {
      await expand(page, 'training');
      await page.getByTestId('lr-find').click();
      await page.getByTestId('lr-find-plot').waitFor(LONG);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="lr-suggestion"]').length > 0, null, LONG);
      await page.getByTestId('lr-finder').scrollIntoViewIfNeeded();
      await page.waitForTimeout(1000);
      await shot(page, 'lr-finder', 'lr-finder');
    }
    await page.getByTestId('tab-compare').click();
    await page.waitForFunction(() => document.querySelectorAll('.js-plotly-plot').length >= 2, null, { timeout: 30_000 });
    await page.waitForTimeout(2500);
    await shot(page, 'compare');
    await page.getByTestId('section-gradients').click();
    await page.waitForTimeout(2500);
    await shot(page, 'gradient-flow');
    await page.getByTestId('section-distributions').click();
    await page.getByTestId('hist-mode').selectOption('overlay');
    await page.getByTestId('hist-quantity').selectOption('gradient');
    await page.getByTestId('hist-layer').selectOption('0');
    await page.getByTestId('plot-distribution-overlay').locator('.legendtext').nth(4).waitFor(LONG);
    await page.waitForTimeout(2000);
    await shot(page, 'distribution-overlay');
    await page.getByTestId('section-learned').click();
    await page.getByTestId('plot-unit-images').first().locator('.main-svg').first().waitFor(LONG);
    await page.waitForTimeout(2000);
    await shot(page, 'units-learned');
    await page.getByTestId('section-classes').click();
    await page.getByTestId('confusion-matrix').waitFor(LONG);
    // The baseline (sigmoid) has not learned in 4 epochs: show a variant that has.
    await page.getByTestId('classes-variant').selectOption({ label: 'relu' });
    await page.waitForTimeout(1500);
    await shot(page, 'classes');
    await page.getByTestId('section-results').click();
    await page.waitForTimeout(1500);
    await shot(page, 'results');
    if (!only || only.has('cross-compare')) {
      // The same network with ReLU and Adam, next to the example's sigmoid and ReLU.
      const { compare: _compare, baseline: _baseline, ...spec } = JSON.parse(readFileSync(example, 'utf8'));
      const adam = { ...spec, name: 'ReLU with Adam', train: { ...spec.train, optimizer: { name: 'adam', lr: 0.001 } } };
      writeFileSync(path.join(dir, 'adam.json'), JSON.stringify(adam));
      const run = spawnSync(process.execPath, [bin, 'run', path.join(dir, 'adam.json'), '--out', path.join(dir, 'store')], {
        encoding: 'utf8',
      });
      if (run.status !== 0) throw new Error(run.stderr);
      await page.reload();
      await page.getByTestId('cross-open').click();
      const experiments = page.getByTestId('cross-experiment');
      // The list is newest first: the example is picked first, so its sigmoid is the baseline.
      await experiments.nth(1).waitFor();
      await experiments.nth(1).check();
      await experiments.nth(0).check();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="cross-variant"]').length === 6, null, { timeout: 30_000 });
      for (const v of ['activation=tanh', 'activation=leaky_relu', 'activation=elu'])
        await page.locator(`[data-testid="cross-variant"][data-id$="/${v}"]`).uncheck();
      await page.getByTestId('cross-run').click();
      await page.getByTestId('plot-cross-curves').locator('.main-svg').first().waitFor({ timeout: 30_000 });
      await page.waitForTimeout(1500);
      await shot(page, 'cross-compare');
    }
    if (!only || only.has('hyperparameters')) {
      // The search's views: trials against their hyperparameters, and how much each one matters. It
      // is trained into the store only now: the example cards show on an empty store.
      const tuned = spawnSync(process.execPath, [bin, 'run', tune, '--out', path.join(dir, 'store'), '--json'], {
        encoding: 'utf8',
        timeout: 900_000,
      });
      if (tuned.status !== 0) throw new Error(`ablate run 1-tune.json failed: ${tuned.stderr}`);
      const tunedId = (JSON.parse(tuned.stdout) as { experimentId: string }).experimentId;
      await page.goto(serve.url);
      await page.locator(`[data-testid="experiment-item"][data-id="${tunedId}"]`).click();
      await page.getByTestId('tab-compare').waitFor();
      await page.getByTestId('tab-compare').click();
      await page.getByTestId('section-search').click();
      await page.getByTestId('plot-search-importance').locator('.main-svg').first().waitFor(LONG);
      await page.waitForTimeout(2000);
      await shot(page, 'hyperparameters');
    }
    console.log(`screenshots written to ${out}`);
  } finally {
    await close();
  }
}

void main();

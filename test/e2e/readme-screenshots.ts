/**
 * Regenerates the README's screenshots (docs/images/*.png) from the real app: runs the "Why ReLU
 * beat sigmoid" example in headless Chromium on `ablate serve`, then captures the Design
 * tab and the Compare tab (learning curves and gradient flow); then trains the example's ReLU
 * network with Adam (`ablate run`) and captures the comparison across the two experiments. Not a
 * test:
 *   npm run build && npx tsx test/e2e/readme-screenshots.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWorkbench } from './serve-process.js';

const out = fileURLToPath(new URL('../../docs/images/', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/ablate.js', import.meta.url));
const example = fileURLToPath(new URL('../../examples/why-relu-beat-sigmoid.json', import.meta.url));

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const dir = mkdtempSync(path.join(tmpdir(), 'ablate-shots-'));
  const { serve, browser, close } = await startWorkbench(['store', '--port', '0'], dir);
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
    await page.goto(serve.url);
    await page.getByTestId('example-card').filter({ hasText: 'Why ReLU beat sigmoid' }).getByRole('button', { name: 'Run' }).click();
    await page.getByTestId('runs-tab').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="run-row"][data-status="completed"]').length === 15, null, {
      timeout: 300_000,
    });
    await page.getByTestId('tab-design').click();
    await page.waitForTimeout(1500);
    await page.screenshot({ path: path.join(out, 'design.png') });
    await page.getByTestId('tab-compare').click();
    await page.waitForFunction(() => document.querySelectorAll('.js-plotly-plot').length >= 2, null, { timeout: 30_000 });
    await page.waitForTimeout(2500);
    await page.screenshot({ path: path.join(out, 'compare.png') });
    await page.getByTestId('section-gradients').click();
    await page.waitForTimeout(2500);
    await page.screenshot({ path: path.join(out, 'gradient-flow.png') });
    await page.getByTestId('section-results').click();
    await page.waitForTimeout(1500);
    await page.screenshot({ path: path.join(out, 'results.png') });

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
    await page.screenshot({ path: path.join(out, 'cross-compare.png') });
    console.log(`screenshots written to ${out}`);
  } finally {
    await close();
  }
}

void main();

/**
 * End-to-end: the built renderer in Debian's headless Chromium (playwright-core), served by
 * `ablate serve` started as a user starts it (a child process; the page opened at the URL it
 * printed, token included), so window.api is the product's web transport on the real services.
 * Scenarios: design and run relu vs sigmoid on a synthetic spiral with 2 seeds, see both curves,
 * gradient flow and the results table, export ONNX and see the validation pass; open an existing
 * store; an invalid value shows an inline error and nothing runs. Screenshots of each main screen go to test-results/e2e/.
 * Skipped (with a reason) when ABLATE_SKIP_BROWSER_TESTS is set or Chromium is not installed.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expand, field, SKIP_BROWSER } from './browser.js';
import { startWorkbench, type ServedWorkbench } from './serve-process.js';

const shots = fileURLToPath(new URL('../../test-results/e2e/', import.meta.url));

let workbench: ServedWorkbench;
let store: string;

const openApp = () => workbench.openApp();

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: false });

describe.skipIf(SKIP_BROWSER)('the workbench in a browser, on the real services', () => {
  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    const dir = mkdtempSync(path.join(tmpdir(), 'ablate-e2e-'));
    store = path.join(dir, 'store');
    workbench = await startWorkbench([store, '--port', '0', '--workers', '2'], dir);
  });
  afterAll(async () => {
    await workbench?.close();
  });

  it('an invalid value shows an inline error and nothing runs', async () => {
    const { page, errors } = await openApp();
    await page.getByTestId('welcome').waitFor();
    await shot(page, 'welcome');
    await page.getByTestId('new-experiment').click();
    await page.getByTestId('design-tab').waitFor();
    await expand(page, 'training');
    await field(page, 'Epochs').fill('-3');
    const error = page.getByTestId('field-error').filter({ hasText: /at least 1/ });
    await error.first().waitFor({ timeout: 15_000 });
    expect(await error.first().innerText()).toMatch(/-3/);
    expect(await page.getByTestId('run-experiment').isDisabled()).toBe(true);
    await shot(page, 'design-inline-error');
    // Nothing was stored: no experiment folder exists.
    expect(existsSync(store) ? readdirSync(store) : []).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('designs, runs and compares relu vs sigmoid on a spiral, then exports a validated ONNX model', async () => {
    const { page, errors } = await openApp();
    await page.getByTestId('new-experiment').click();
    await page.getByTestId('design-tab').waitFor();
    await page.getByTestId('data-source').getByText('Synthetic', { exact: false }).click();
    await field(page, 'Rows').fill('400');
    await page.getByTestId('data-preview').waitFor();
    await expand(page, 'training');
    await field(page, 'Epochs').fill('15');
    await field(page, 'Learning rate').fill('0.01');
    await expand(page, 'seeds');
    await field(page, 'Number of seeds').fill('2');
    const activation = page.getByTestId('factor-activation');
    await expect.poll(() => activation.locator('.chip.on').allInnerTexts()).toEqual(['sigmoid', 'relu']);
    await page.getByTestId('design-status').getByText(/ready/i).waitFor({ timeout: 15_000 });
    await shot(page, 'design');
    await page.getByTestId('run-experiment').click();

    await page.getByTestId('runs-tab').waitFor();
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(4);
    await shot(page, 'runs-live');
    await expect
      .poll(async () => (await page.getByTestId('run-status').allInnerTexts()).filter((t) => /done|completed/i.test(t)).length, {
        timeout: 120_000,
      })
      .toBe(4);
    // Finished runs show full progress bars, even runs that finished between two UI refreshes.
    const bars = page.getByTestId('run-row').getByRole('progressbar');
    await expect
      .poll(() => bars.evaluateAll((els) => els.map((e) => e.getAttribute('aria-valuenow'))), { timeout: 10_000 })
      .toEqual(['100', '100', '100', '100']);
    await shot(page, 'runs');

    await page.getByTestId('tab-compare').click();
    await page.getByTestId('compare-tab').waitFor();
    await page.getByTestId('variant-legend').getByText('relu').waitFor();
    await page.getByTestId('variant-legend').getByText('sigmoid').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.js-plotly-plot').length >= 2, null, { timeout: 30_000 });
    // Both variants' mean curves are drawn (traces named after each variant), once the data is in.
    const traceNames = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('.js-plotly-plot')].flatMap((el: { data?: Array<{ name?: string }> }) =>
          (el.data ?? []).map((t) => t.name ?? ''),
        ),
      );
    await expect
      .poll(async () => (await traceNames()).filter((n: string) => /^(relu|sigmoid) · validation/.test(n)).length, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(2);
    await shot(page, 'compare');

    // Step-level curves: the x axis can be steps, epochs or training time; each seed on demand.
    const overlayLayout = () =>
      page.evaluate(
        () =>
          (document.querySelector('[data-testid=plot-overlay] .js-plotly-plot') as { layout?: { xaxis?: { title?: unknown } } } | null)
            ?.layout,
      );
    await page.getByTestId('x-axis-picker').getByText('epoch', { exact: true }).click();
    await page.getByTestId('x-axis-picker').getByText('step', { exact: true }).click();
    expect(await overlayLayout()).toBeTruthy();
    await page.getByTestId('seeds-picker').getByText('each seed', { exact: true }).click();
    await expect
      .poll(async () => (await traceNames()).filter((n: string) => /· seed \d+$/.test(n)).length, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(2);
    await page.getByTestId('seeds-picker').getByText('mean ± 95% CI', { exact: true }).click();
    // Each metric's plot keeps the scale chosen for it (it used to reset): loss on log, accuracy
    // on its own linear default, and back to loss, log again.
    await page.getByTestId('scale-picker').getByText('log', { exact: true }).click();
    await page.getByTestId('metric-picker').selectOption('accuracy');
    await expect.poll(() => page.getByTestId('scale-picker').locator('input[value=linear]').isChecked()).toBe(true);
    await page.getByTestId('metric-picker').selectOption('loss');
    await expect.poll(() => page.getByTestId('scale-picker').locator('input[value=log]').isChecked()).toBe(true);
    await page.getByTestId('scale-picker').getByText('linear', { exact: true }).click();
    // No mode-bar button talks to a network (Plotly shows "Share chart" by default).
    await page.getByTestId('plot-overlay').hover();
    const titles = await page.evaluate(() =>
      [...document.querySelectorAll('.modebar-btn')].map(
        (b: { getAttribute(n: string): string | null }) => b.getAttribute('data-title') ?? '',
      ),
    );
    expect(titles.length).toBeGreaterThan(0);
    expect(titles.filter((t: string) => /share|cloud|chart studio|plotly/i.test(t))).toEqual([]);
    // Hiding a variant removes it from the plots.
    await page.getByTestId('variant-legend').getByRole('button', { name: 'Show sigmoid in the plots' }).click();
    await expect.poll(async () => (await traceNames()).filter((n: string) => /^sigmoid · /.test(n)).length, { timeout: 10_000 }).toBe(0);
    await page.getByTestId('variant-legend').getByRole('button', { name: 'Show sigmoid in the plots' }).click();

    await page.getByTestId('section-gradients').click();
    await page.getByTestId('plot-gradient-lines').waitFor({ timeout: 30_000 });
    await shot(page, 'compare-gradient-flow');

    await page.getByTestId('section-results').click();
    const rows = page.getByTestId('results-row');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await page.getByTestId('results-table').innerText()).toMatch(/relu[\s\S]*sigmoid|sigmoid[\s\S]*relu/);
    await shot(page, 'compare-results');

    await page.getByTestId('tab-export').click();
    await page.getByTestId('export-tab').waitFor();
    await page.getByTestId('export-onnx-button').click();
    const report = page.getByTestId('onnx-report');
    await report.waitFor({ timeout: 60_000 });
    expect(await report.innerText()).toMatch(/pass/i);
    await shot(page, 'export');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens an existing store: the experiment is listed and its comparison loads', async () => {
    const { page, errors } = await openApp();
    const item = page.getByTestId('experiment-item').first();
    await item.waitFor();
    expect(await item.innerText()).toMatch(/4/);
    await item.click();
    await page.getByTestId('tab-compare').click();
    await page.getByTestId('variant-legend').getByText('relu').waitFor();
    await page.getByTestId('section-results').click();
    await expect.poll(() => page.getByTestId('results-row').count()).toBe(2);
    await shot(page, 'store-reopened');
    expect(errors).toEqual([]);
    await page.close();
  });
});

/**
 * End-to-end, the Design tab's "Find a learning rate" in headless Chromium on the real services
 * (`ablate serve`): a new design on a synthetic spiral runs the range test of both default
 * variants, plots the loss against the rate on a log axis, names the suggested rate with its rule
 * (minimum/10: a tenth of the rate of the lowest smoothed loss, both printed), and "Use" copies
 * the suggestion into the learning rate field. Skipped (with a reason) when
 * ABLATE_SKIP_BROWSER_TESTS is set or Chromium is not installed.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expand, field, SKIP_BROWSER } from './browser.js';
import { startWorkbench, type ServedWorkbench } from './serve-process.js';

const shots = fileURLToPath(new URL('../../test-results/e2e/', import.meta.url));
const SLOW = { timeout: 120_000 };
/** Waits on the finder's outcome; shorter than the test's timeout, so a failure can say what the page shows. */
const OUTCOME_MS = 100_000;
let workbench: ServedWorkbench;

describe.skipIf(SKIP_BROWSER)('the learning-rate finder in the Design tab, on the real services', () => {
  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    const dir = mkdtempSync(path.join(tmpdir(), 'ablate-e2e-lr-'));
    workbench = await startWorkbench([path.join(dir, 'store'), '--port', '0', '--workers', '2'], dir);
  });
  afterAll(async () => {
    await workbench?.close();
  });

  it('runs the range test per variant, plots it on a log axis and uses the suggestion', { timeout: 300_000 }, async () => {
    const { page, errors } = await workbench.openApp();
    await page.getByTestId('new-experiment').click();
    await page.getByTestId('design-tab').waitFor();
    await page.getByTestId('data-source').getByText('Synthetic', { exact: false }).click();
    await field(page, 'Rows').fill('400');
    await page.getByTestId('design-status').getByText(/ready/i).waitFor(SLOW);
    await expand(page, 'training');
    const button = page.getByTestId('lr-find');
    await expect.poll(() => button.isDisabled(), SLOW).toBe(false);
    await button.click();
    await plotOrFailure(page);
    await expect.poll(() => page.getByTestId('lr-suggestion').count(), SLOW).toBe(2);
    await expect.poll(() => page.locator('[data-testid="lr-find-plot"] .xaxislayer-above .xtick').count(), SLOW).toBeGreaterThan(2);
    expect(await page.locator('[data-testid="lr-find-plot"] .xtitle').textContent()).toMatch(/learning rate \(log scale\)/);
    const first = await page.getByTestId('lr-suggestion').first().innerText();
    const m =
      /suggested rate ([\d.]+e[-+]\d+) \(rule “minimum\/10”: the rate of the lowest smoothed loss, ([\d.]+e[-+]\d+), divided by 10/.exec(
        first,
      );
    expect(m, first).not.toBeNull();
    expect(Number(m![1])).toBeCloseTo(Number(m![2]) / 10, 4);
    await page.getByTestId('lr-finder').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'design-lr-finder.png'), fullPage: false });
    await page.getByTestId('lr-use').first().click();
    await expect.poll(() => field(page, 'Learning rate').inputValue()).toBe(String(Number(Number(m![1]).toPrecision(2))));
    expect(await page.getByTestId('lr-find-stale').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });
});

/**
 * Waits for the range test's plot. An error the finder shows instead, or neither in OUTCOME_MS,
 * fails the test with what the finder and the design status say (a flaky failure explains itself).
 */
async function plotOrFailure(page: Page): Promise<void> {
  const plot = page.getByTestId('lr-find-plot');
  const error = page.getByTestId('lr-find-error');
  const state = async () =>
    `finder: ${JSON.stringify(await page.getByTestId('lr-finder').innerText())}; ` +
    `button disabled: ${await page.getByTestId('lr-find').isDisabled()}; ` +
    `design status: ${JSON.stringify(await page.getByTestId('design-status').innerText())}`;
  try {
    await plot.or(error).first().waitFor({ timeout: OUTCOME_MS });
  } catch (e) {
    throw new Error(`neither the lr-find plot nor an error within ${OUTCOME_MS} ms (${String(e)}); ${await state()}`);
  }
  if ((await error.count()) > 0) throw new Error(`the range test failed: ${await state()}`);
}

/**
 * End-to-end, issue 18.3: an accessibility pass with axe-core over every tab of a trained
 * experiment (Design, Runs, Compare, Export) and the sidebar's Manage dialog, in the
 * light and the dark theme, in headless Chromium on `ablate serve`. No serious or critical
 * violation is allowed; each one found is printed with its rule, impact and elements (axe.ts).
 * Tabbing through the first 40 focus stops, each shows a focus ring. Skipped (with a reason) when ABLATE_SKIP_BROWSER_TESTS is set or Chromium is missing.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spiralSpec } from '../helpers/experiments.js';
import { seriousViolations } from './axe.js';
import { launchChromium, openPage, SKIP_BROWSER } from './browser.js';
import { startServe, type ServeProcess } from './serve-process.js';

const bin = fileURLToPath(new URL('../../bin/ablate.js', import.meta.url));
const SLOW = { timeout: 60_000 };
const TEST_MS = 600_000;

let serve: ServeProcess;
let browser: Browser;
let experimentId = '';

/**
 * Tabs through `stops` focus stops from the top of the page; returns those that show no focus
 * ring (no outline and no box-shadow while focused), described by tag, test id and text.
 */
async function unfocusedStops(page: Page, stops: number): Promise<string[]> {
  await page.evaluate(() => (document.activeElement as { blur?: () => void } | null)?.blur?.());
  const bad: string[] = [];
  for (let i = 0; i < stops; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
      return {
        ring,
        what: `${el.tagName.toLowerCase()}[${el.dataset.testid ?? el.id ?? ''}] ${(el.textContent ?? '').trim().slice(0, 30)}`,
      };
    });
    if (stop && !stop.ring) bad.push(stop.what);
  }
  return bad;
}

describe.skipIf(SKIP_BROWSER)('accessibility (axe-core) on every tab, in both themes', () => {
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ablate-e2e-a11y-'));
    const store = path.join(dir, 'store');
    mkdirSync(store);
    const file = path.join(dir, 'exp.json');
    writeFileSync(file, JSON.stringify(spiralSpec('Relu vs tanh, accessibility')));
    const r = spawnSync(process.execPath, [bin, 'run', file, '--out', store, '--json', '--workers', '1'], {
      encoding: 'utf8',
      timeout: 240_000,
    });
    experimentId = JSON.parse(r.stdout).experimentId;
    serve = await startServe([store, '--port', '0', '--workers', '1'], dir);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(
      `${scheme} theme: no serious or critical violation on any tab or the Manage dialog`,
      async () => {
        const { page, errors } = await openPage(browser, serve.url);
        await page.emulateMedia({ colorScheme: scheme });
        await page.reload();
        await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme), SLOW).toBe(scheme);
        const item = page.locator(`[data-testid="experiment-item"][data-id="${experimentId}"]`);
        await item.waitFor(SLOW);
        await item.click();
        const found: Record<string, string[]> = {};
        for (const tab of ['design', 'runs', 'compare', 'export'] as const) {
          await page.getByTestId(`tab-${tab}`).click();
          await page.getByTestId(`${tab}-tab`).waitFor(SLOW);
          if (tab === 'compare') await page.waitForFunction(() => document.querySelectorAll('.js-plotly-plot').length >= 1, null, SLOW);
          found[tab] = await seriousViolations(page);
        }
        await item.locator('xpath=..').getByTestId('experiment-manage').click();
        await page.getByTestId('manage-dialog').getByTestId('manage-name').waitFor(SLOW);
        found.manage = await seriousViolations(page);
        expect(found).toEqual({ design: [], runs: [], compare: [], export: [], manage: [] });
        await page.keyboard.press('Escape');
        await expect.poll(() => page.locator('dialog[open]').count(), SLOW).toBe(0);
        expect(await unfocusedStops(page, 40)).toEqual([]);
        expect(errors).toEqual([]);
        await page.close();
      },
      TEST_MS,
    );
  }
});

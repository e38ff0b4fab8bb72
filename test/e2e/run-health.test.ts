/**
 * End-to-end, issue 13 in the browser: the spiral of the first symptom (SGD at lr 500, 3 seeds)
 * and a healthy one (lr 0.05), trained by `ablate run` into a store that `ablate serve` then
 * serves, read in headless Chromium as a user would: every run of the exploding spiral says
 * "diverged at step N" in red with a bar that is not full, the sidebar and the header count 6
 * diverged, the Compare legend and the results table name them; the healthy results table keeps
 * its intervals in range with n per cell, raw and Holm p, d_z and the seed advice. Skipped (with a
 * reason) when ABLATE_SKIP_BROWSER_TESTS is set or Chromium is not installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueSpiral } from '../helpers/experiments.js';
import { SKIP_BROWSER } from './browser.js';
import { startWorkbench, type ServedWorkbench } from './serve-process.js';

const shots = fileURLToPath(new URL('../../test-results/e2e/', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/ablate.js', import.meta.url));

let workbench: ServedWorkbench;
const ids: Record<string, string> = {};

/** Trains a spec into the store with the CLI; returns the experiment id. */
function train(dir: string, store: string, spec: unknown): string {
  const file = path.join(dir, `${Object.keys(ids).length}.json`);
  writeFileSync(file, JSON.stringify(spec));
  const r = spawnSync(process.execPath, [bin, 'run', file, '--out', store, '--json', '--workers', '2'], {
    encoding: 'utf8',
    timeout: 240_000,
  });
  return JSON.parse(r.stdout).experimentId;
}

const openApp = () => workbench.openApp();

/** Waits this long for the page: a loaded machine is many times slower than a quiet one. */
const SLOW = { timeout: 120_000 };

/** Opens a stored experiment from the sidebar and waits until it has loaded (the app shows its Compare tab). */
async function select(page: Page, id: string) {
  const item = page.locator(`[data-testid="experiment-item"][data-id="${id}"]`);
  await item.waitFor(SLOW);
  await item.click();
  await expect.poll(() => page.getByTestId('tab-compare').getAttribute('aria-selected'), SLOW).toBe('true');
  return item;
}

describe.skipIf(SKIP_BROWSER)('run health and honest statistics in a browser, on the real services', () => {
  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    const dir = mkdtempSync(path.join(tmpdir(), 'ablate-e2e-health-'));
    const store = path.join(dir, 'store');
    ids.exploding = train(dir, store, issueSpiral('Spiral at lr 500', 500));
    ids.healthy = train(dir, store, issueSpiral('Spiral at lr 0.05', 0.05));
    workbench = await startWorkbench([store, '--port', '0', '--workers', '2'], dir);
  });
  afterAll(async () => {
    await workbench?.close();
  });

  it('an exploding spiral is diverged everywhere, in red, never a full bar', async () => {
    const id = ids.exploding;
    const { page, errors } = await openApp();
    const item = await select(page, id);
    expect(await item.innerText()).toMatch(/6\/6 runs finished/);
    expect(await item.locator('.part.bad').innerText()).toMatch(/6 diverged/);
    await page.getByTestId('tab-runs').click();
    await page.getByTestId('runs-tab').waitFor(SLOW);
    await expect.poll(() => page.getByTestId('run-row').count(), SLOW).toBe(6);
    const statuses = await page.getByTestId('run-status').allInnerTexts();
    for (const s of statuses) expect(s).toMatch(/diverged at step \d+/);
    const rows = page.getByTestId('run-row');
    expect(await rows.evaluateAll((els) => els.map((e) => e.className))).toEqual(Array(6).fill(expect.stringMatching(/\bbad\b/)));
    const bars = await rows.getByRole('progressbar').evaluateAll((els) => els.map((e) => Number(e.getAttribute('aria-valuenow'))));
    for (const b of bars) expect(b).toBeLessThan(100);
    expect(await page.getByTestId('header-counts').innerText()).toBe('6 runs: 6 diverged');
    expect(await page.getByTestId('header-counts').locator('.part.bad').count()).toBe(1);
    await page.screenshot({ path: path.join(shots, 'runs-diverged.png') });

    await page.getByTestId('tab-compare').click();
    await page.getByTestId('variant-legend').waitFor(SLOW);
    expect(await page.getByTestId('legend-trouble').allInnerTexts()).toEqual(['3 diverged', '3 diverged']);
    await page.getByTestId('section-results').click();
    const table = page.getByTestId('results-table');
    await table.waitFor(SLOW);
    expect(await table.innerText()).toMatch(/3 diverged[\s\S]*3 diverged/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a healthy comparison: intervals in range, n per cell, Holm, seed advice', async () => {
    const id = ids.healthy;
    const { page, errors } = await openApp();
    await select(page, id);
    await page.getByTestId('section-results').click();
    await page.getByTestId('results-table').waitFor(SLOW);
    await expect.poll(() => page.getByTestId('results-row').count(), SLOW).toBe(2);
    const n = await page.getByTestId('cell-n').allInnerTexts();
    expect(n.length).toBeGreaterThan(0);
    for (const text of n) expect(text).toBe('n = 3');
    const cells = await page.getByTestId('results-row').locator('.mean').allInnerTexts();
    for (const cell of cells) {
      const bounds = [...cell.matchAll(/(−?[\d.]+)%/g)].map((m) => Number(m[1].replace('−', '-')));
      for (const b of bounds) expect(b >= 0 && b <= 100).toBe(true);
    }
    expect(await page.getByTestId('cell-test').first().innerText()).toMatch(/p = [\d.<]+, Holm [\d.<]+, dz = /);
    await page.getByTestId('seed-advice').waitFor(SLOW);
    expect(await page.getByTestId('advice-row').count()).toBe(1);
    await page.screenshot({ path: path.join(shots, 'results-bounded.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});

/**
 * End-to-end, the Compare tab's "Per class" view in headless Chromium on the real services: a
 * 3-class spiral (relu vs tanh, 3 seeds) trained by `ablate run` into a store that `ablate serve`
 * serves. The view shows the baseline's 3 x 3 row-normalized matrix with the epoch of the kept
 * weights, every interval within 0-100%, the per-class table and the recall differences; the
 * counts of each row add up to the split's rows; an experiment whose runs predate the matrices
 * says "not recorded" and shows no zeros. Skipped (with a reason) when ABLATE_SKIP_BROWSER_TESTS
 * is set or Chromium is not installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spiralSpec } from '../helpers/experiments.js';
import { SKIP_BROWSER } from './browser.js';
import { startWorkbench, type ServedWorkbench } from './serve-process.js';

const shots = fileURLToPath(new URL('../../test-results/e2e/', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/ablate.js', import.meta.url));
const SLOW = { timeout: 120_000 };

let workbench: ServedWorkbench;
const ids: Record<string, string> = {};

function train(dir: string, store: string, name: string, spec: unknown): string {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(spec));
  const r = spawnSync(process.execPath, [bin, 'run', file, '--out', store, '--json', '--workers', '2'], {
    encoding: 'utf8',
    timeout: 240_000,
  });
  return JSON.parse(r.stdout).experimentId;
}

async function select(page: Page, id: string) {
  const item = page.locator(`[data-testid="experiment-item"][data-id="${id}"]`);
  await item.waitFor(SLOW);
  await item.click();
  await expect.poll(() => page.getByTestId('tab-compare').getAttribute('aria-selected'), SLOW).toBe('true');
  await page.getByTestId('section-classes').click();
  await page.getByTestId('classes-view').waitFor(SLOW);
}

const percents = (text: string) => [...text.matchAll(/(−?[\d.]+)%/g)].map((m) => Number(m[1].replace('−', '-')));

describe.skipIf(SKIP_BROWSER)('the per-class view in a browser, on the real services', () => {
  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    const dir = mkdtempSync(path.join(tmpdir(), 'ablate-e2e-classes-'));
    const store = path.join(dir, 'store');
    ids.spiral = train(dir, store, 'spiral', spiralSpec('Classes spiral', { seeds: [1, 2, 3] }));
    ids.old = train(dir, store, 'old', spiralSpec('Old spiral', { seeds: [1], compare: undefined }));
    // Runs written before confusion matrices existed: their summaries have no `confusion`.
    const runs = path.join(store, ids.old, 'runs');
    for (const run of readdirSync(runs)) {
      const file = path.join(runs, run, 'summary.json');
      const s = JSON.parse(readFileSync(file, 'utf8'));
      delete s.confusion;
      writeFileSync(file, JSON.stringify(s, null, 2) + '\n');
    }
    workbench = await startWorkbench([store, '--port', '0', '--workers', '2'], dir);
  });
  afterAll(async () => {
    await workbench?.close();
  });

  it('shows the matrix of the kept weights with bounded intervals, per-class metrics and paired differences', async () => {
    const { page, errors } = await workbench.openApp();
    await select(page, ids.spiral);
    const matrix = page.getByTestId('confusion-matrix');
    await matrix.waitFor(SLOW);
    expect(await page.getByTestId('confusion-cell').count()).toBe(9);
    expect(await page.getByTestId('confusion-epoch').innerText()).toBe('8');
    expect(await matrix.locator('caption').innerText()).toMatch(/relu.*test split.*mean over 3 seeds/s);
    const cells = await page.getByTestId('confusion-cell').allInnerTexts();
    for (const cell of cells) for (const v of percents(cell)) expect(v >= 0 && v <= 100).toBe(true);
    // Each row's shares add up to 100% (up to the one-decimal rounding).
    for (let i = 0; i < 3; i++) {
      const row = cells.slice(3 * i, 3 * i + 3).map((c) => percents(c)[0]);
      expect(Math.abs(row.reduce((a, b) => a + b, 0) - 100)).toBeLessThan(0.2);
    }
    expect(await page.getByTestId('class-row').count()).toBe(3);
    for (const t of await page.getByTestId('class-row').allInnerTexts()) for (const v of percents(t)) expect(v >= 0 && v <= 100).toBe(true);
    expect(await page.getByTestId('difference-row').count()).toBe(3);
    expect(await page.getByTestId('class-differences').locator('thead').innerText()).toMatch(/tanh/);
    await page.screenshot({ path: path.join(shots, 'compare-per-class.png'), fullPage: true });

    // Counts: each row adds up to the class's mean number of rows; all rows add up to the split (30 of 300).
    await page.getByTestId('classes-mode').selectOption('counts');
    await expect.poll(async () => (await matrix.locator('caption').innerText()).includes('mean count'), SLOW).toBe(true);
    const counts = (await page.getByTestId('confusion-cell').locator('.mean').allInnerTexts()).map(Number);
    expect(counts.reduce((a, b) => a + b, 0)).toBeCloseTo(30, 1);
    await page.getByTestId('classes-split').selectOption('validation');
    await page.getByTestId('classes-variant').selectOption({ label: 'tanh' });
    await expect.poll(async () => await matrix.locator('caption').innerText(), SLOW).toMatch(/tanh, validation split/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says "not recorded" for runs written before matrices existed', async () => {
    const { page, errors } = await workbench.openApp();
    await select(page, ids.old);
    const note = page.getByTestId('classes-not-recorded');
    await note.waitFor(SLOW);
    expect(await note.innerText()).toMatch(/Not recorded/);
    expect(await page.getByTestId('confusion-cell').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});

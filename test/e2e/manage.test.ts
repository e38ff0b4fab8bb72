/**
 * End-to-end, issue 18.2: managing many experiments from the sidebar, in headless Chromium on
 * `ablate serve` (no system trash: deletes go to the store's .trash). Three small experiments are
 * trained by the CLI; the user searches, renames (the header and the list follow, experiment.json
 * does not change), tags and finds by tag, duplicates (two rows never look the same), archives
 * (hidden, shown by the Archived filter), deletes after a confirmation, and restores from the
 * Trash. Skipped (with a reason) when ABLATE_SKIP_BROWSER_TESTS is set or Chromium is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spiralSpec } from '../helpers/experiments.js';
import { launchChromium, openPage, SKIP_BROWSER } from './browser.js';
import { startServe, type ServeProcess } from './serve-process.js';

const bin = fileURLToPath(new URL('../../bin/ablate.js', import.meta.url));
const SLOW = { timeout: 120_000 };

let serve: ServeProcess;
let browser: Browser;
let store: string;
const ids: Record<string, string> = {};

function train(dir: string, key: string, spec: unknown): void {
  const file = path.join(dir, `${key}.json`);
  writeFileSync(file, JSON.stringify(spec));
  const r = spawnSync(process.execPath, [bin, 'run', file, '--out', store, '--json', '--workers', '1'], {
    encoding: 'utf8',
    timeout: 240_000,
  });
  ids[key] = JSON.parse(r.stdout).experimentId;
}

const item = (page: Page, id: string) => page.locator(`[data-testid="experiment-item"][data-id="${id}"]`);
const names = (page: Page) => page.getByTestId('experiment-name').allInnerTexts();

async function manage(page: Page, id: string) {
  await item(page, id).locator('xpath=..').getByTestId('experiment-manage').click();
  const dialog = page.getByTestId('manage-dialog');
  await dialog.getByTestId('manage-name').waitFor(SLOW);
  return dialog;
}

describe.skipIf(SKIP_BROWSER)('managing experiments in a browser, on the real services', () => {
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ablate-e2e-manage-'));
    store = path.join(dir, 'store');
    mkdirSync(store);
    train(dir, 'relu', spiralSpec('Relu vs tanh', { train: { epochs: 2, batchSize: 32, optimizer: { name: 'adam', lr: 0.01 } } }));
    train(dir, 'dropout', spiralSpec('Dropout sweep', { train: { epochs: 2, batchSize: 64, optimizer: { name: 'adam', lr: 0.01 } } }));
    train(dir, 'lr', spiralSpec('Learning rates', { train: { epochs: 2, batchSize: 16, optimizer: { name: 'adam', lr: 0.01 } } }));
    serve = await startServe([store, '--port', '0', '--workers', '1'], dir);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('search, rename, tag, duplicate, archive, delete and restore', async () => {
    const { page, errors } = await openPage(browser, serve.url);
    await item(page, ids.relu).waitFor(SLOW);
    expect((await names(page)).sort()).toEqual(['Dropout sweep', 'Learning rates', 'Relu vs tanh']);

    // Search: every word must match; Clear brings all back.
    await page.getByTestId('experiment-search').fill('drop');
    await expect.poll(() => names(page), SLOW).toEqual(['Dropout sweep']);
    expect(await page.getByTestId('filter-note').innerText()).toMatch(/2 hidden by the filter/);
    await page.getByTestId('filter-clear').click();
    await expect.poll(async () => (await names(page)).length, SLOW).toBe(3);

    // Rename: a label; the stored experiment.json is untouched, the header follows when selected.
    const specFile = path.join(store, ids.relu, 'experiment.json');
    const before = readFileSync(specFile, 'utf8');
    await item(page, ids.relu).click();
    await expect.poll(() => page.getByTestId('experiment-title').innerText(), SLOW).toBe('Relu vs tanh');
    let dialog = await manage(page, ids.relu);
    await dialog.getByTestId('manage-name').fill('Activations for the lecture');
    await dialog.getByTestId('manage-tags').fill('lecture, week 3');
    await dialog.getByTestId('manage-save').click();
    await expect.poll(() => item(page, ids.relu).getByTestId('experiment-name').innerText(), SLOW).toBe('Activations for the lecture');
    await expect.poll(() => page.getByTestId('experiment-title').innerText(), SLOW).toBe('Activations for the lecture');
    expect(await item(page, ids.relu).getByTestId('experiment-tags').innerText()).toMatch(/lecture\s*week 3/);
    expect(readFileSync(specFile, 'utf8')).toBe(before);
    expect(JSON.parse(readFileSync(path.join(store, ids.relu, 'meta.json'), 'utf8'))).toMatchObject({
      name: 'Activations for the lecture',
      tags: ['lecture', 'week 3'],
    });
    await page.getByTestId('experiment-search').fill('week 3');
    await expect.poll(() => names(page), SLOW).toEqual(['Activations for the lecture']);
    await page.getByTestId('filter-clear').click();

    // Duplicate: a new experiment under a free name, in its own folder.
    dialog = await manage(page, ids.dropout);
    await dialog.getByTestId('manage-duplicate').click();
    await expect.poll(async () => (await names(page)).length, SLOW).toBe(4);
    expect(await names(page)).toContain('Dropout sweep (copy)');
    expect(readdirSync(store).filter((d) => d.startsWith('dropout-sweep-copy'))).toHaveLength(1);

    // Archive: hidden by default, shown by the Archived filter, and back.
    dialog = await manage(page, ids.lr);
    await dialog.getByTestId('manage-archive').click();
    await expect.poll(async () => (await names(page)).includes('Learning rates'), SLOW).toBe(false);
    await page.getByTestId('filter-archived').check();
    await expect.poll(() => names(page), SLOW).toEqual(['Learning rates']);
    await page.getByTestId('filter-archived').uncheck();

    // Delete: asks first; then gone from the list and the folder is in the store's trash.
    dialog = await manage(page, ids.dropout);
    await dialog.getByTestId('manage-delete').click();
    expect(await dialog.getByTestId('delete-confirm').innerText()).toMatch(
      /Delete “Dropout sweep” and its 4 runs\? It moves to the store's trash/,
    );
    expect(existsSync(path.join(store, ids.dropout))).toBe(true);
    await dialog.getByTestId('delete-confirm-yes').click();
    await expect.poll(async () => (await names(page)).includes('Dropout sweep'), SLOW).toBe(false);
    expect(existsSync(path.join(store, ids.dropout))).toBe(false);
    expect(readdirSync(path.join(store, '.trash'))).toEqual([expect.stringMatching(new RegExp(`^\\d{8}T\\d{9}Z\\.${ids.dropout}$`))]);

    // Restore from the Trash.
    await page.getByTestId('open-trash').click();
    const trash = page.getByTestId('trash-dialog');
    await expect.poll(() => trash.getByTestId('trash-item').allInnerTexts(), SLOW).toEqual([expect.stringMatching(/Dropout sweep/)]);
    await trash.getByTestId('trash-restore').click();
    await trash.getByTestId('trash-empty').waitFor(SLOW);
    expect(existsSync(path.join(store, ids.dropout, 'experiment.json'))).toBe(true);
    await trash.getByRole('button', { name: 'Close', exact: true }).first().click();
    await expect.poll(async () => (await names(page)).includes('Dropout sweep'), SLOW).toBe(true);

    expect(errors).toEqual([]);
    await page.close();
  }, 900_000);
});

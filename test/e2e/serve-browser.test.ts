/**
 * The workbench in Chromium from `ablate serve` (a child process, the URL it printed), where it
 * differs from the desktop app: the token leaves the address bar and a reload still works (the
 * cookie); data files are typed paths under a --data folder (no Choose button) and a path outside
 * is refused in words; Save downloads through the browser; Open… asks for a path on the server.
 * Skipped (with a reason) when ABLATE_SKIP_BROWSER_TESTS is set or Chromium is not installed.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expand, field, SKIP_BROWSER } from './browser.js';
import { startWorkbench, type ServedWorkbench } from './serve-process.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/initialization-matters.json', import.meta.url));

let workbench: ServedWorkbench;
let dir: string;
let dataDir: string;

/** Two well-separated classes in two features: a CSV any small network learns. */
function writeCsv(file: string): void {
  const rows = ['x1,x2,label'];
  for (let i = 0; i < 200; i++) {
    const c = i % 2;
    rows.push(`${(c * 2 - 1 + ((i * 37) % 11) / 20).toFixed(3)},${(((i * 53) % 13) / 13 - 0.5).toFixed(3)},${c ? 'yes' : 'no'}`);
  }
  writeFileSync(file, `${rows.join('\n')}\n`);
}

const openApp = () => workbench.openApp();

describe.skipIf(SKIP_BROWSER)('the workbench served by ablate serve, in Chromium', () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ablate-serve-ui-'));
    dataDir = path.join(dir, 'data');
    mkdirSync(dataDir);
    writeCsv(path.join(dataDir, 'two-classes.csv'));
    copyFileSync(EXAMPLE, path.join(dataDir, 'init.json'));
    workbench = await startWorkbench([path.join(dir, 'store'), '--port', '0', '--workers', '2', '--data', dataDir], dir);
  });
  afterAll(async () => {
    await workbench?.close();
  });

  it('opens at the printed URL, takes the token out of the address bar, and still loads on reload', async () => {
    const { page, errors } = await openApp();
    await page
      .getByTestId('status-bar')
      .getByText(/store /)
      .waitFor();
    expect(page.url()).not.toContain('token=');
    await page.reload();
    await page.getByTestId('store-path').waitFor();
    expect(await page.getByTestId('store-path').innerText()).toContain(path.join(dir, 'store'));
    // A new tab without the token in its URL (the cookie lets it in, the session endpoint gives it the token).
    const other = await page.context().newPage();
    await other.goto(new URL('/', workbench.serve.url).href);
    await other.getByTestId('store-path').waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('trains on a CSV typed as a path under --data, and refuses a path outside in words', async () => {
    const { page, errors } = await openApp();
    await page.getByTestId('new-experiment').click();
    await page.getByTestId('data-source').getByText('CSV', { exact: false }).click();
    await page.getByTestId('store-path').waitFor(); // the back end has said what it offers
    expect(await page.getByTestId('choose-csv').count()).toBe(0); // no file dialog here
    await field(page, 'CSV file').fill('/etc/passwd');
    await page
      .getByText(/outside the folders this workbench may read/)
      .first()
      .waitFor({ timeout: 30_000 });
    await field(page, 'CSV file').fill(path.join(dataDir, 'two-classes.csv'));
    await page.getByTestId('data-preview').waitFor({ timeout: 30_000 });
    await expand(page, 'training');
    await field(page, 'Epochs').fill('3');
    await expand(page, 'seeds');
    await field(page, 'Number of seeds').fill('1');
    await page.getByTestId('design-status').getByText(/ready/i).waitFor({ timeout: 30_000 });
    await page.getByTestId('run-experiment').click();
    await page.getByTestId('runs-tab').waitFor();
    const rows = await page.getByTestId('run-row').count();
    expect(rows).toBeGreaterThan(0);
    await expect
      .poll(async () => (await page.getByTestId('run-status').allInnerTexts()).filter((t) => /done|completed/i.test(t)).length, {
        timeout: 120_000,
      })
      .toBe(rows);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('saves by browser download, and opens an experiment file by its path on the server', async () => {
    const { page, errors } = await openApp();
    await page.getByTestId('open-experiment').click();
    const dialog = page.getByTestId('open-path-dialog');
    await dialog.getByRole('textbox').fill(path.join(dataDir, 'init.json'));
    await dialog.getByRole('button', { name: 'Open' }).click();
    await page.getByTestId('design-tab').waitFor();
    const name = JSON.parse(readFileSync(EXAMPLE, 'utf8')).name as string;
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-experiment').click()]);
    expect(download.suggestedFilename()).toMatch(/\.json$/);
    const saved = JSON.parse(readFileSync(await download.path(), 'utf8'));
    expect(saved.name).toBe(name);
    expect(saved.compare).toEqual(JSON.parse(readFileSync(EXAMPLE, 'utf8')).compare);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
